"""The figures' printed sizes, shared by the specs (what goes on which page) and the drawing.

Every chart is drawn at the width its page prints it (the text width, portrait or landscape)
and no taller than print.css lets a figure be at that width, so nothing shrinks it and its text
is printed at the sizes style.yaml gives. No matplotlib here: the specs use it.
"""

from __future__ import annotations

from ...base.style import PT_PER_MM, house_style
from .text import wrap

TIMELINE_LABEL_SHARE = 0.5  # of the figure's width, at most, for the projects' names
TIMELINE_ROW_IN = 0.25  # a project of one line
TIMELINE_LINE_IN = 0.15  # each further line of a wrapped name
TIMELINE_FRAME_IN = 1.0  # the legend above, the years below


def portrait_in() -> float:
    """The width of a portrait page's text, in inches."""
    return house_style().text_width_pt / 72


def landscape_in() -> float:
    return house_style().landscape_width_pt / 72


def max_height_in(landscape: bool) -> float:
    """The tallest figure printed at full width (print.css takes the same number)."""
    heights = house_style().charts.max_height_mm
    return (heights.landscape if landscape else heights.portrait) * PT_PER_MM / 72


def timeline_labels(labels: list[str]) -> list[str]:
    """The projects' names as printed: whole, wrapped to the label column."""
    em = landscape_in() * 72 * TIMELINE_LABEL_SHARE / house_style().charts.text_pt
    return ["\n".join(wrap(label, em)) for label in labels]


def timeline_height(labels: list[str]) -> float:
    lines = sum(label.count("\n") for label in labels)
    return TIMELINE_ROW_IN * len(labels) + TIMELINE_LINE_IN * lines + TIMELINE_FRAME_IN


def timeline_pages(labels: list[str]) -> list[tuple[int, int]]:
    """(start, end) of the projects on each page: as few pages as fit, as even as they fit."""
    wrapped = timeline_labels(labels)
    room = max_height_in(landscape=True)
    pages = 1
    while True:
        size = -(-len(wrapped) // pages)
        spans = [(i, min(i + size, len(wrapped))) for i in range(0, len(wrapped), size)]
        if all(timeline_height(wrapped[a:b]) <= room for a, b in spans) or size == 1:
            return spans
        pages += 1
