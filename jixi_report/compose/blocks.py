"""What a template places: prepared blocks, computed tables, the headings' wording.

Everything a document shows is decided in `compose` (which rows, which merges, which mark) and
handed to the templates as these plain objects; the templates word and place them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any

from ..base.grid import extent, placed
from ..base.style import house_style
from ..base.vocab import grouped
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

    def __post_init__(self) -> None:
        """One width per column, as percentages (any relative weights are scaled to 100), and
        the figures of each column with one number of decimals (templates/style.yaml
        `numbers`): a column that lists 188,060.06 lists 784,447.00 below it."""
        ncols = column_count(self.head or self.body)
        if len(self.cols) != ncols:
            raise ValueError(f"table {self.caption!r}: {len(self.cols)} widths for {ncols} columns")
        self.cols = percentages(self.cols)
        if not self.marks:  # a revision's marked table joins two tables already aligned
            _group_figures(self.body + self.foot)
            _align_decimals(self.body + self.foot)


def column_count(rows: list[list[Cell]]) -> int:
    """Columns of a table's grid, rowspans and colspans taken into account."""
    return extent(rows, _spans)[0]


def _spans(cell: Cell) -> tuple[int, int]:
    return cell.rowspan, cell.colspan


def percentages(weights: list[float]) -> list[int]:
    """Relative widths → whole percentages summing to 100 (largest remainders round up)."""
    total = sum(weights)
    if total <= 0:
        return [0] * len(weights)
    exact = [w * 100 / total for w in weights]
    out = [int(x) for x in exact]
    by_remainder = sorted(range(len(out)), key=lambda i: out[i] - exact[i])
    for i in by_remainder[: 100 - sum(out)]:
        out[i] += 1
    return out


_FIGURE = re.compile(r"-?\d+(\.\d+)?")  # once the thousands separator is taken out


def _bare(text: str) -> str:
    return text.replace(house_style().numbers.thousands, "")


def _group_figures(rows: list[list[Cell]]) -> None:
    """A cell that is a bare figure (a value as the content writes it: 12000) grouped as every
    other figure is (12,000), whatever its column."""
    for row in rows:
        for cell in row:
            bare = _bare(cell.text)
            if cell.parts is None and _FIGURE.fullmatch(bare):
                cell.text = grouped(f"{Decimal(bare):,f}")


def _align_decimals(rows: list[list[Cell]]) -> None:
    """Pad the figures of each `num` column to the column's most decimals. Columns are told
    apart by their grid position, so merged cells do not shift them."""
    columns: dict[int, list[Cell]] = {}
    for row in placed(rows, _spans):
        for c, cell in row:
            if cell.cls == "num" and cell.colspan == 1 and _FIGURE.fullmatch(_bare(cell.text)):
                columns.setdefault(c, []).append(cell)
    for cells in columns.values():
        places = max(len(cell.text.partition(".")[2]) for cell in cells)
        for cell in cells:
            cell.text = grouped(f"{Decimal(_bare(cell.text)):,.{places}f}")


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
