"""Each table cell's content laid out once per part, however often its row is placed.

A part with a table across pages is laid out twice (table_breaks.py: the second time one
table a page), and WeasyPrint lays out a row that overflows its page again at the top of the
next. Between those layouts a cell's element, its stylesheet, its width and its spans are
the same, and so is what it holds: only where it stands changes. Inside `remembered()` (one
part's layout), a cell laid out whole is kept, and the next time the same cell is to be laid
out at the same width, spans, children and page state, a copy of it is moved where it now
stands instead: if it still fits above the page's foot (else it is laid out, as WeasyPrint
would, to be broken there). The cells of the report's tables were a third of a part's layout;
the pages are the same byte for byte.

This holds because a cell's style depends on the stylesheet and on its element and row,
which the settling rounds leave alone: they add classes to tables and move rows into new
tables, and print.css styles no cell by its table's class or its place in it. A WeasyPrint
without these internals is left as it is.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

_ACTIVE = threading.local()  # this thread's cells, while a part is laid out (`remembered`)


class Kept(dict):
    """The cells laid out whole so far, and how many layouts took a copy of one instead."""

    reused = 0


@contextmanager
def remembered() -> Iterator[Kept]:
    """Cells laid out within the block are kept for the block's later layouts (within an
    outer block, for the outer block's)."""
    _install()
    outer = getattr(_ACTIVE, "cells", None)
    if outer is not None:
        yield outer
        return
    _ACTIVE.cells = Kept()
    try:
        yield _ACTIVE.cells
    finally:
        _ACTIVE.cells = None


# WeasyPrint's block_container_layout, as table.py calls it for a cell
_PARAMETERS = (
    "context",
    "box",
    "bottom_space",
    "skip_stack",
    "page_is_empty",
    "absolute_boxes",
    "fixed_boxes",
    "adjoining_margins",
    "first_letter_style",
    "first_line_style",
    "discard",
    "max_lines",
)


@cache
def _install() -> None:
    try:
        from weasyprint.formatting_structure.boxes import TableCellBox
        from weasyprint.layout import block
    except ImportError:
        return
    lay_out = getattr(block, "block_container_layout", None)
    if lay_out is None or tuple(inspect.signature(lay_out).parameters) != _PARAMETERS:
        return

    def block_container_layout(
        context: Any,
        box: Any,
        bottom_space: float,
        skip_stack: Any,
        page_is_empty: bool,
        absolute_boxes: list[Any],
        fixed_boxes: list[Any],
        adjoining_margins: list[float] | None,
        first_letter_style: Any,
        first_line_style: Any,
        discard: bool,
        max_lines: int | None,
    ) -> Any:
        args = (context, box, bottom_space, skip_stack, page_is_empty, absolute_boxes)
        more = (fixed_boxes, adjoining_margins, first_letter_style, first_line_style, discard)
        cells: Kept | None = getattr(_ACTIVE, "cells", None)
        plain = not (adjoining_margins or first_letter_style or first_line_style or discard)
        if (
            cells is None
            or skip_stack is not None
            or max_lines is not None
            or not plain
            or not isinstance(box, TableCellBox)
        ):
            return lay_out(*args, *more, max_lines)
        key = (
            id(box.element),
            box.width,
            box.rowspan,
            box.colspan,
            box.grid_x,
            len(box.children),  # a cell emptied to be drawn bare (table.py) is another
            page_is_empty,
        )
        kept = cells.get(key)
        if kept is not None and kept[0] is box.element:
            cell = _moved(kept[1], box)
            if cell is not None and not context.overflows_page(
                bottom_space, cell.position_y + cell.margin_height()
            ):
                cells.reused += 1
                return (cell, *kept[2])
        counts = len(absolute_boxes), len(fixed_boxes)
        out = lay_out(*args, *more, max_lines)
        whole = out[0] is not None and out[1] is None
        if whole and (len(absolute_boxes), len(fixed_boxes)) == counts:  # nothing placed aside
            cells[key] = (box.element, out[0], out[1:])
        return out

    block.block_container_layout = block_container_layout


def _moved(laid: Any, box: Any) -> Any:
    """A copy of the cell `laid` as WeasyPrint's layout of `box` would give it: at `box`'s
    place, without what the table did to it since (the padding that aligned it in its row).
    None if the table cut it (a cell across pages) or gave it a height of its own."""
    height = getattr(laid, "content_height", None)
    if height is None or laid.remove_decoration_sides or laid.computed_height != "auto":
        return None
    cell = laid.deepcopy()
    cell.remove_decoration_sides = set()  # a set of its own, not shared with `laid`
    aligned = laid.padding_top - box.padding_top
    cell.padding_top, cell.padding_bottom, cell.height = box.padding_top, box.padding_bottom, height
    for child in cell.children:
        child.translate(dy=-aligned)
    cell.translate(box.position_x - laid.position_x, box.position_y - laid.position_y)
    return cell
