"""Fills and lines as the house style gives them, for every drawing module."""

from __future__ import annotations

from typing import Any

from matplotlib.patches import Patch

from ...base.style import Fill, Line, house_style
from ...base.vocab import PROJECT_DONE, PROJECT_STATUSES


def style(fill: Fill) -> dict[str, str]:
    return {"color": fill.fill, "hatch": fill.hatch}


def patch(fill: Fill, label: str) -> Patch:
    return Patch(facecolor=fill.fill, hatch=fill.hatch, edgecolor="white", label=label)


def project_fills() -> dict[str | None, Fill]:
    """Each project state's fill in the timeline, 待填报 (None) last; 完工 is coloured 达标."""
    charts, colours = house_style().charts, house_style().colours
    fills: dict[str | None, Fill] = {}
    for state in PROJECT_STATUSES:
        fills[state] = colours["met"] if state == PROJECT_DONE else charts.projects[state]
    fills[None] = colours["no_data"]
    return fills


def line(spec: Line, marker_size: float = 4.5, joined: bool = True) -> dict[str, Any]:
    """A series' colour, dash pattern and marker as matplotlib's plot keywords; a marker
    alone when not `joined` (a target: one point)."""
    kw: dict[str, Any] = {"color": spec.colour}
    kw["linestyle"] = ((0, tuple(spec.dash)) if spec.dash else "-") if joined else "none"
    if spec.marker:
        kw.update(marker=spec.marker, markersize=marker_size, markeredgecolor=spec.colour)
        kw["markerfacecolor"] = "white" if spec.hollow else spec.colour
    return kw
