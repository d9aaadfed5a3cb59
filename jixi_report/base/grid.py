"""Where each cell of a table stands, as HTML's table model places it: rows of cells with
rowspans and colspans, a cell merged down from a row above taking its columns in every row it
covers. Composing (a column's decimals), the PDF (a table cut at a page) and Word (its grid,
its tables cut as the PDF's) all place cells this way, on their own kinds of cell."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def placed(
    rows: Sequence[Sequence[T]], spans: Callable[[T], tuple[int, int]]
) -> list[list[tuple[int, T]]]:
    """Each row's cells with the grid column each starts at; `spans` gives a cell's rowspan
    and colspan."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(rows):
        c, here = 0, []
        for cell in row:
            while (r, c) in taken:
                c += 1
            here.append((c, cell))
            down, across = spans(cell)
            taken.update((r + dr, c + dc) for dr in range(down) for dc in range(across))
            c += across
        out.append(here)
    return out


def extent(rows: Sequence[Sequence[T]], spans: Callable[[T], tuple[int, int]]) -> tuple[int, int]:
    """The columns and the rows the cells reach (more rows than given: a rowspan too long)."""
    cols = height = 0
    for r, here in enumerate(placed(rows, spans)):
        for c, cell in here:
            down, across = spans(cell)
            cols, height = max(cols, c + across), max(height, r + down)
    return cols, height
