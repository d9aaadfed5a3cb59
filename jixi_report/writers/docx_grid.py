"""A table's cells on Word's grid, and the table properties every table of the Word file has."""

from __future__ import annotations

from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..base.errors import BuildError
from ..base.grid import extent, placed
from ..base.style import PT_PER_MM, house_style
from ..render.tree import Cell, Table

_TBL_AFTER_LAYOUT = ("w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")


def grid(table: Table) -> tuple[list[tuple[int, int, Cell]], int]:
    """Place HTML cells (with rowspan/colspan) on a grid: (row, column, cell) and column count."""
    rows = [row.cells for row in table.rows]
    cells = [(r, c, cell) for r, row in enumerate(placed(rows, _spans)) for c, cell in row]
    ncols, height = extent(rows, _spans)
    if height > len(table.rows):
        raise BuildError("Word: a table cell spans past the last row")
    return cells, ncols


def _spans(cell: Cell) -> tuple[int, int]:
    return cell.rowspan, cell.colspan


def table_props(t) -> None:
    """Borders on the table itself (some readers ignore table-style borders), fixed layout."""
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = t._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "0"), ("color", "000000")):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    tbl_pr.insert_element_before(borders, "w:shd", "w:tblLayout", *_TBL_AFTER_LAYOUT)
    margins = OxmlElement("w:tblCellMar")
    across = round(house_style().tables.cell_padding_mm * PT_PER_MM * 20)  # twentieths of a pt
    for side, twips in (("top", 40), ("left", across), ("bottom", 40), ("right", across)):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(twips))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    tbl_pr.insert_element_before(margins, *_TBL_AFTER_LAYOUT[1:])


_V_ALIGN, _VAL = qn("w:vAlign"), qn("w:val")


def centred(cell: Any) -> None:
    """The cell's text in the middle of its height: w:vAlign, last of the cell's properties
    this writer sets (python-docx's setter looks for every element that may follow it)."""
    tcpr = cell._tc.get_or_add_tcPr()
    align = tcpr.find(_V_ALIGN)
    if align is None:
        align = OxmlElement("w:vAlign")
        tcpr.append(align)
    align.set(_VAL, "center")


_TC_W, _W = qn("w:tcW"), qn("w:w")


def sized(cell: Any, width: Any) -> None:
    """The cell's width, as python-docx's setter writes it, in the w:tcW every cell of a new
    table has (its setter goes through three properties and a search for each element)."""
    tcw = cell._tc.tcPr.find(_TC_W)
    tcw.set(_W, str(width.twips))
