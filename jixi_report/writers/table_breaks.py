"""A table across pages set as a typesetter sets it: one table a page, each continuation page
headed 续表N with the header rows, the bottom rule drawn at every break, merged cells' text
repeated where they continue, and a 合计 row never alone at the top of a page. A table that
fits on a page is not broken at all: it starts the next page whole, when the page it leaves
stays a third full and no heading stands right before it.

WeasyPrint repeats a table's <thead> but has no 续表, leaves the bottom rule off where it breaks
a table and prints a rowspan's text on its first page only. So the PDF writer lays a part out
once, reads where each table broke (`cuts`), splits each such table in the parsed HTML into
one table per page (`split`), and lays it out again. Where the rows of a page go is decided
from the heights of the first layout: a continuation page also holds its 续表 caption, so it
holds fewer rows than WeasyPrint put there.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from xml.etree.ElementTree import Element

from ..base.grid import placed

CONTINUED = "continued"  # class token of a continuation table (print.css breaks before it)
NEXT_PAGE = "next-page"  # class token of a table set whole on the next page (print.css too)
# No page is left less full than this: a table's last page, the page a table moves on from,
# the portrait page before a landscape stretch (page_fill.py).
THIRD = 1 / 3
_FIT = 0.5  # CSS px of rounding a row may exceed its page by
# CSS px kept free on a continuation page: a merged cell cut there and repeated in fewer rows
# may need more lines than it did across all of them.
_SAFETY = 20.0


@dataclass
class _Broken:
    table: Element
    rows: list[Element]  # the body rows (tbody, in order)
    cuts: list[int]  # body row index that starts each continuation page
    whole: bool = False  # it fits on the next page, leaving its page a third full or more


def cuts(document: Any, pushed: dict[int, float] | None = None) -> list[_Broken]:
    """The tables a layout broke across pages, with the row each later page should start with.
    `pushed`: page index → how far its content will be pushed down (a lead-in set above it,
    page_fill.py); a table broken from such a page keeps fewer rows on it."""
    pushed = pushed or {}
    from weasyprint.formatting_structure import boxes

    # id(table element) → (page box, table box, caption height) on each page it is on
    fragments: dict[int, list[tuple[Any, Any, float]]] = {}
    elements: dict[int, Element] = {}
    on_pages: dict[int, list[int]] = {}
    for number, page in enumerate(document.pages):
        for wrapper in page._page_box.descendants():
            if not getattr(wrapper, "is_table_wrapper", False):
                continue
            box = next((b for b in wrapper.children if isinstance(b, boxes.TableBox)), None)
            if box is None or box.element is None:
                continue
            caption = sum(c.margin_height() for c in wrapper.children if c is not box)
            fragments.setdefault(id(box.element), []).append((page._page_box, box, caption))
            elements[id(box.element)] = box.element
            on_pages.setdefault(id(box.element), []).append(number)
    broken = []
    for key, parts in fragments.items():
        if len(parts) < 2:
            continue
        table = elements[key]
        rows = _body_rows(table)
        index = {id(row): n for n, row in enumerate(rows)}
        heights: dict[int, float] = {}
        ends: dict[int, float] = {}  # the first page's rows: their bottom edge
        starts: list[int] = []
        head = caption = 0.0
        for n, (_page, box, height) in enumerate(parts):
            body = [r for g in box.children if not g.is_header for r in g.children]
            body = [r for r in body if isinstance(r, boxes.TableRowBox) and id(r.element) in index]
            if not body:
                continue
            starts.append(index[id(body[0].element)])
            for a, b in pairwise(body):
                heights[index[id(a.element)]] = b.position_y - a.position_y
            last = body[-1]
            heights.setdefault(index[id(last.element)], last.margin_height())
            if n == 0:
                ends = {index[id(r.element)]: r.position_y + r.margin_height() for r in body}
            if n == 0:
                caption = height
            else:
                head = body[0].position_y - box.content_box_y()
        if len(starts) < 2:
            continue
        page = parts[1][0]
        caption = caption or _caption_height()  # a table without one gets 续表 all the same
        room = page.content_box_y() + page.height - parts[1][1].content_box_y() - head - caption
        room -= _SAFETY
        first = starts[1]
        push = pushed.get(on_pages[key][0], 0.0)
        if push:  # the rows of the first page that still fit under what is set above them
            top, bottom = parts[0][0].content_box_y(), parts[0][0].height
            first = next(
                (r for r in range(starts[0], starts[1]) if ends[r] + push > top + bottom),
                starts[1],
            )
        at = _refit(max(first, starts[0] + 1), heights, len(rows), room, rows)
        # Where it starts on its first page: what that page keeps if it moves on whole.
        top = parts[0][1].position_y - parts[0][2] - parts[0][0].content_box_y()
        whole = (
            not push
            and sum(heights.get(i, 0.0) for i in range(len(rows))) <= room
            and top >= parts[0][0].height * THIRD
        )
        broken.append(_Broken(table, rows, at, whole))
    return broken


def _caption_height() -> float:
    """A one-line caption's height in CSS px (templates/style.yaml, roles.caption)."""
    from ..base.style import house_style

    role = house_style().roles["caption"]
    return ((role.line_pt or role.size * 1.6) + role.gap_pt) * 4 / 3


def _refit(first: int, heights: dict[int, float], n: int, room: float, rows: list[Element]):
    """The first row of each continuation page: as many rows as `room` holds on each, the
    first page as laid out, a 合计 row taken with the row above it."""
    out = [first]
    used = 0.0
    for i in range(first, n):
        h = heights.get(i, 0.0)
        if used + h > room + _FIT and i > out[-1]:
            out.append(i)
            used = 0.0
        used += h
    # The last page not less than a third full: rows come over from the page before it.
    height = lambda a, b: sum(heights.get(i, 0.0) for i in range(a, b))  # noqa: E731
    before = out[-2] if len(out) > 1 else 0
    last = room * THIRD
    while height(out[-1], n) < last and height(before, out[-1] - 1) > height(out[-1] - 1, n):
        out[-1] -= 1
    kept = [_keep_total(i, rows) for i in out]
    return sorted({i for i in kept if 0 < i < n})


def _keep_total(i: int, rows: list[Element]) -> int:
    """A page may not start with a 合计 row: start it one row earlier."""
    while 0 < i < len(rows) and "total" in (rows[i].get("class") or "").split():
        i -= 1
    return i


def _body_rows(table: Element) -> list[Element]:
    return [tr for group in table if group.tag == "tbody" for tr in group if tr.tag == "tr"]


def split(root: Element, broken: list[_Broken]) -> None:
    """Each broken table → one table per page in the parsed HTML: the continuation tables
    follow it, each with the caption as 续表…, the colgroup and the header rows, and the rows
    of its page, merged cells cut at the page and their text repeated. A table that fits on
    a page is not broken: it starts the next page whole, unless a heading stands right before
    it (it would be left at the foot of the page)."""
    parents = {id(child): parent for parent in root.iter() for child in parent}
    for b in broken:
        if b.whole and not _after_heading(b.table, parents):
            b.table.set("class", f"{b.table.get('class', '')} {NEXT_PAGE}".strip())
            continue
        bounds = sorted(set(b.cuts))
        if not bounds:
            continue
        _cut_spans(b.rows, bounds)
        parent = parents[id(b.table)]
        at = list(parent).index(b.table)
        pieces = [bounds[i : i + 2] for i in range(len(bounds))]
        body = next(g for g in b.table if g.tag == "tbody")
        for n, (start, *end) in enumerate(pieces, 1):
            stop = end[0] if end else len(b.rows)
            piece = _shell(b.table)
            tbody = Element("tbody")
            for row in b.rows[start:stop]:
                body.remove(row)
                tbody.append(row)
            piece.append(tbody)
            parent.insert(at + n, piece)


def _after_heading(table: Element, parents: dict[int, Element]) -> bool:
    parent = parents[id(table)]
    siblings = list(parent)
    at = siblings.index(table)
    return at > 0 and siblings[at - 1].tag in ("h1", "h2", "h3", "h4")


def _shell(table: Element) -> Element:
    """A continuation table: the table's attributes, 续 caption, colgroup and header rows."""
    piece = Element("table", dict(table.attrib))
    piece.set("class", f"{table.get('class', '')} {CONTINUED}".strip())
    caption = next((c for c in table if c.tag == "caption"), None)
    text = "".join(caption.itertext()).strip() if caption is not None else ""
    label = Element("caption")
    # a continuation split again (it overflowed its page) keeps its 续表N
    label.text = text if text.startswith("续") else f"续{text}" if text else "续表"
    piece.append(label)
    for child in table:
        if child.tag in ("colgroup", "thead"):
            piece.append(copy.deepcopy(child))
    return piece


def _cut_spans(rows: list[Element], bounds: list[int]) -> None:
    """A cell whose rowspan crosses a page boundary ends there; a copy of it (its text
    repeated) spans the rest, placed at its column in the first row of the next page."""
    grid = placed(rows, lambda cell: (int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))))
    inserts: dict[int, list[tuple[int, Element]]] = {}
    for r, here in enumerate(grid):
        for c, cell in here:
            end = r + int(cell.get("rowspan", 1))
            inside = [b for b in bounds if r < b < end]
            for first, (top, bottom) in enumerate(zip([r, *inside], [*inside, end], strict=True)):
                target = cell if first == 0 else copy.deepcopy(cell)
                if bottom - top > 1:
                    target.set("rowspan", str(bottom - top))
                elif "rowspan" in target.attrib:
                    del target.attrib["rowspan"]
                if first:
                    inserts.setdefault(top, []).append((c, target))
    for r, copies in inserts.items():
        for c, cell in sorted(copies, key=lambda x: x[0]):
            later = next((el for col, el in grid[r] if col > c and el in list(rows[r])), None)
            if later is None:
                rows[r].append(cell)
            else:
                rows[r].insert(list(rows[r]).index(later), cell)


def recorded(root: Element) -> list[tuple[int, list[int]]]:
    """(nth table of the document, body rows that start its continuation pages) for each
    table `split` set one table a page, row 0 first for a table set whole on the next page:
    what the Word file repeats (docx_split.py). Read from the split tree itself: a table's
    continuations follow it, their rows its rows, in order, however many rounds split it."""
    out: list[tuple[int, list[int]]] = []
    n, rows = -1, 0
    for table in root.iter("table"):
        classes = (table.get("class") or "").split()
        if CONTINUED in classes:
            if n >= 0:
                if not out or out[-1][0] != n:
                    out.append((n, []))
                out[-1][1].append(rows)
        else:
            n, rows = n + 1, 0
            if NEXT_PAGE in classes:
                out.append((n, [0]))
        rows += len(_body_rows(table))
    return out
