"""No portrait page left less than a third full before a landscape stretch (PDF).

A landscape table starts a new page; the text that leads into it (a heading and a paragraph
or two) may be left alone on the portrait page before it, most of that page blank. A
typesetter sets such a lead-in on the landscape page, above its table. The PDF writer lays a
part out, finds these pages, moves the lead-in (from its heading on) into the landscape
stretch in the parsed HTML and lays the part out again, as it does for tables across pages.
"""

from __future__ import annotations

import math
from typing import Any
from xml.etree.ElementTree import Element

from .table_breaks import THIRD

_HEADINGS = ("h1", "h2", "h3", "h4")
_MOVABLE = (*_HEADINGS, "p")  # what a lead-in consists of


def pull_into_landscape(root: Element, document: Any) -> dict[int, float]:
    """Move each short lead-in onto its landscape page. Returns, for each landscape page
    that took one (by page index), the height the lead-in took on the page before it: what
    the page's content is pushed down by (table_breaks.cuts)."""
    starts = _landscape_starts(document)
    parents = {id(child): parent for parent in root.iter() for child in parent}
    moved: dict[int, float] = {}
    for div, index in starts:
        if index == 0 or _is_landscape(document.pages[index - 1]):
            continue
        if _fill(document.pages[index - 1]) >= THIRD:
            continue
        lead = _lead_in(div, parents)
        if not lead or _first_page(document, lead[0]) < index - 2:
            continue  # no heading to move from, or more than a page of text
        parent = parents[id(div)]
        for n, element in enumerate(lead):
            parent.remove(element)
            div.insert(n, element)
        # A later round may move the lead-in before this one too: Word moves them all.
        div.set(_MOVED, str(len(lead) + int(div.get(_MOVED) or 0)))
        wide = document.pages[index]._page_box.width  # the landscape page's text width
        moved[index] = _height(document.pages[max(index - 2, 0) : index], lead, wide)
    return moved


def _height(pages: list[Any], elements: list[Element], wide: float) -> float:
    """What `elements` will take of a page `wide` across, from how `pages` hold them (a
    lead-in may begin on the page before its last): each block's text in as many lines of
    the wider measure as its lines' text fills, its margins and padding as they are."""
    from weasyprint.formatting_structure import boxes

    ids = {id(e) for e in elements}
    text: dict[int, float] = {}  # element → the width its lines' text takes, end to end
    rest: dict[int, float] = {}  # element → its height besides its lines
    pitch: dict[int, float] = {}
    for page in pages:
        for block in page._page_box.descendants():
            key = id(getattr(block, "element", None))
            if key not in ids or not isinstance(block, boxes.BlockBox):
                continue
            lines = [b for b in block.children if isinstance(b, boxes.LineBox)]
            used = sum(b.height for b in lines)
            rest[key] = rest.get(key, 0.0) + block.margin_height() - used
            text[key] = text.get(key, 0.0) + sum(_filled(line) for line in lines)
            if lines:
                pitch[key] = used / len(lines)
    return sum(rest[key] + math.ceil(text[key] / wide - 0.01) * pitch.get(key, 0.0) for key in rest)


def _filled(line: Any) -> float:
    """How far a line's text reaches from the line's start."""
    if not line.children:
        return 0.0
    last = line.children[-1]
    return last.position_x + last.margin_width() - line.position_x


_MOVED = "data-lead-in"  # on a landscape stretch: how many blocks before it were moved in


def recorded(root: Element) -> list[tuple[int, int]]:
    """(nth landscape stretch of the document, blocks moved onto its first page) for each
    lead-in moved: what the Word file moves too (docx.py)."""
    stretches = [div for div in root.iter("div") if "landscape" in (div.get("class") or "").split()]
    return [(n, int(div.get(_MOVED))) for n, div in enumerate(stretches) if div.get(_MOVED)]


def _landscape_starts(document: Any) -> list[tuple[Element, int]]:
    """Each landscape stretch's element and the index of the page it starts on."""
    seen: dict[int, tuple[Element, int]] = {}
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if (
                element is not None
                and element.tag == "div"
                and "landscape" in (element.get("class") or "").split()
                and id(element) not in seen
            ):
                seen[id(element)] = (element, index)
    return list(seen.values())


def _is_landscape(page: Any) -> bool:
    return page.width > page.height


def _fill(page: Any) -> float:
    """How far down the type area the page's last line of text or image reaches (0–1)."""
    from weasyprint.formatting_structure import boxes

    box = page._page_box
    top, height = box.content_box_y(), box.height
    bottom = top
    for child in box.children:
        if isinstance(child, boxes.MarginBox):  # the header line and the page number
            continue
        for b in child.descendants():
            if isinstance(b, boxes.LineBox | boxes.ReplacedBox):
                bottom = max(bottom, b.position_y + b.margin_height())
    return (bottom - top) / height if height else 1.0


def _lead_in(div: Element, parents: dict[int, Element]) -> list[Element]:
    """The paragraphs before `div` back to the nearest heading, that heading first; nothing if
    something else (a table, a figure) stands between."""
    parent = parents.get(id(div))
    if parent is None:
        return []
    siblings = list(parent)
    lead: list[Element] = []
    for element in reversed(siblings[: siblings.index(div)]):
        if element.tag not in _MOVABLE:
            return []
        lead.insert(0, element)
        if element.tag in _HEADINGS:
            return lead
    return []


def _first_page(document: Any, element: Element) -> int:
    for index, page in enumerate(document.pages):
        if any(getattr(b, "element", None) is element for b in page._page_box.descendants()):
            return index
    return -1


def settle(source: Any, document: Any) -> bool:
    """Set the pages of `document` (laid out from the WeasyPrint HTML `source`) as a
    typesetter would: a short lead-in onto its landscape page, and each table across pages
    one table a page (table_breaks.py), both in one round: a table broken on the landscape
    page a lead-in moves to is cut as if the lead-in stood above it already. True if the HTML
    changed and must be laid out again (once more only if a page overflows after all)."""
    import cssselect2

    from . import table_breaks

    root = source.etree_element
    pushed = pull_into_landscape(root, document)
    broken = table_breaks.cuts(document, pushed)
    if broken:
        table_breaks.split(root, broken)
    if not (pushed or broken):
        return False
    # cssselect2 keeps its own view of the tree for matching selectors: make it anew.
    source.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    return True
