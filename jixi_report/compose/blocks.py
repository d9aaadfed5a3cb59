"""What a template places: prepared blocks, computed tables, the headings' wording.

Everything a document shows is decided in `compose` (which rows, which merges, which mark) and
handed to the templates as these plain objects; the templates word and place them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from ..content.model import PlanMeta


@dataclass
class Node:
    """A block prepared for a template: ids assigned, placeholders filled, tables computed."""

    kind: str  # section | p | figure | table
    level: int = 0
    id: str = ""
    text: str = ""
    lead: str | None = None
    number: str | None = None
    src: str | None = None
    table: Any = None
    cls: str = ""
    body: list[Node] = field(default_factory=list)
    source: str = ""  # a paragraph's text as the content writes it (placeholders unfilled)
    # A revised draft against its base (compose/revise.py): the whole block inserted or deleted,
    # or its text as (op, text) pieces, op "=", "+" or "-".
    change: str = ""
    parts: list[tuple[str, str]] | None = None
    lead_parts: list[tuple[str, str]] | None = None
    derived: bool = False  # the text changed only because a figure it quotes did


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    cls: str = ""  # left, num, domain, or a status's CSS class (docs/html-subset.md)
    derived: bool = False  # computed from other data (a count, a total), not written as is
    parts: list[tuple[str, str]] | None = None  # a revised draft: the text's changes


@dataclass
class Table:
    """A table in the closed HTML subset: header rows repeat on every page."""

    cols: list[int]  # relative widths, percent
    head: list[list[Cell]]
    body: list[list[Cell]]
    number: str | None = None
    caption: str | None = None
    cls: str = ""
    foot: list[list[Cell]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # what each body row is about: "6.1", "项目12"
    marks: dict[int, str] = field(default_factory=dict)  # body row → ins or del (a revision)


def heading_text(number: str | None, title: str) -> str:
    """'一、' and '（一）' join directly; '第一章' and '1.' take a space, as printed."""
    if not number:
        return title
    return number + title if number.endswith(("、", "）")) else f"{number} {title}"


def milestone_labels(meta: PlanMeta) -> list[str]:
    """目标值（2025年）for the first term's milestone, 远期规划值（2030年）for the others."""
    labels = []
    for i, term in enumerate(meta.terms):
        name = "目标值" if i == 0 else f"{term.name}规划值"
        labels.append(f"{name}（{term.end}年）")
    return labels


def milestone_label(meta: PlanMeta, year: int) -> str:
    """The label of the milestone whose target governs `year`."""
    return milestone_labels(meta)[meta.milestones.index(meta.milestone_for(year))]


def spans(keys: list[object]) -> list[int]:
    """For consecutive equal keys: the run length at each run's first index, 0 elsewhere."""
    out = [0] * len(keys)
    i = 0
    for _, run in groupby(keys):
        n = len(list(run))
        out[i] = n
        i += n
    return out
