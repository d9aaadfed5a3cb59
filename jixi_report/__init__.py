"""jixi-report: keep a plan as data, publish its documents from that data."""

__version__ = "0.1.0"
