"""A table across pages in Word set as the PDF sets it: one table a page, cut where the PDF's
layout cut it (table_breaks.py), each continuation headed 续表N with the header rows, merged
cells cut at the page and their text repeated.

Word only repeats header rows (w:tblHeader): no 续表 caption, no bottom rule where a page
breaks the table, a merged cell's text on its first page only. So the Word writer is given the
body rows at which the PDF's continuation tables start and writes a table per page; each
continuation's caption starts a new page, and each table has its own bottom rule.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from ..base.grid import placed
from ..render.tree import DELETED, Cell, Para, Row, Run, Table


def pieces(table: Table, cuts: list[int]) -> list[Table]:
    """`table` as one table per page: `cuts` are the body rows (counted without the rows a
    revised draft deleted, which the PDF does not show) that start each continuation page."""
    head = [row for row in table.rows if row.header]
    body = [row for row in table.rows if not row.header]
    shown = [i for i, row in enumerate(body) if row.change != DELETED]
    bounds = sorted({shown[k] for k in cuts if 0 < k < len(shown)})
    if not bounds:
        return [table]
    body = _cut_spans(body, bounds)
    out = []
    for n, (start, stop) in enumerate(pairwise([0, *bounds, len(body)])):
        caption = table.caption if n == 0 else continued(table.caption)
        out.append(replace(table, rows=head + body[start:stop], caption=caption))
    return out


def continued(caption: Para | None) -> Para:
    """The caption of a continuation table: 续表N and the title, no id (the link target is
    the first table's), as print.css sets `table.continued caption`."""
    if caption is None:
        return Para([Run("续表")], cls="caption")
    return replace(caption, runs=[Run("续"), *caption.runs], id="")


def _cut_spans(rows: list[Row], bounds: list[int]) -> list[Row]:
    """A cell whose rowspan crosses a page boundary ends there; a copy of it (its text
    repeated) spans the rest, placed at its column in the first row of the next page."""
    pieces: dict[int, list[tuple[int, Cell]]] = {r: [] for r in range(len(rows))}
    grid = placed([row.cells for row in rows], lambda cell: (cell.rowspan, cell.colspan))
    for r, here in enumerate(grid):
        for c, cell in here:
            end = r + cell.rowspan
            inside = [b for b in bounds if r < b < end]
            for top, bottom in zip([r, *inside], [*inside, end], strict=True):
                pieces[top].append((c, replace(cell, rowspan=bottom - top)))
    return [
        replace(row, cells=[cell for _, cell in sorted(pieces[r], key=lambda x: x[0])])
        for r, row in enumerate(rows)
    ]
