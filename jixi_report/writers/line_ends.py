"""No paragraph, caption or table cell ends on a line of one character (PDF).

Chinese typesetting avoids the 孤字: a last line holding a single character and its closing
punctuation, as "目/标" or "市生态环境/局" in a narrow column, or "逐项跟踪落/实。" at a
paragraph's end. A typesetter brings the character before it down to keep it company, and
does not split a short bracketed note at the end ("现状值（2023/年）" is set "现状值/（2023年）").
Here WORD JOINERs (U+2060) go between those characters before the block is laid out: its
last break comes earlier, the lines before it break as they did, and the block keeps its
height (so tables are cut and pages broken where they would be). What is kept together must
fit the line: a table cell's measure is worked out from its columns' widths, its font size and
padding, and a group wider than that is left to break as it does. HarfBuzz shapes the joiner
to nothing, so the PDF's text, as a reader copies or searches it, is unchanged. Headings are
left alone: the PDF's bookmarks are their text.

Only the PDF: Word and WPS lay out their own lines, and a joiner would stay in the text the
office edits and searches. The HTML page is read at any width.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from ..base.grid import placed
from ..base.style import PT_PER_MM, HouseStyle, house_style

JOINER = "\u2060"
BREAK = "\u200b"  # ZERO WIDTH SPACE: a line may break here, where nothing else lets it
_BLOCKS = frozenset(("p", "td", "th", "caption", "figcaption"))
# A character a line may end with after its last character: pango keeps it on that line.
_TRAILING = frozenset(" \t\n\u3000）)」』”’》〉】〕〗〙〛]}、。，．,.；;：:！!？?％%…")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_FIGURE_THEN_CJK = re.compile(r"(?<=[0-9])(?=[\u4e00-\u9fff])")
_UNIT_OR_CJK = re.compile(rf"{_CJK.pattern}|/")  # 米/秒 comes down as 米/秒
_BRACKETS = {"）": "（", ")": "("}
_GROUP = 8  # the longest bracketed note kept whole, in characters
# A block of three characters or fewer breaks as it does: in a column two characters wide
# 指标/数 reads better than 指/标数, and 单/位 must still break in one of one.
_SHORTEST = 4
_FIGURE = re.compile(r"[0-9A-Za-z]")
_WIDTH = re.compile(r"width:\s*([\d.]+)%")


def join_last_characters(root: Element, style: HouseStyle | None = None) -> None:
    """Keep the last characters of every text block under `root` together, and in body
    text a figure with the character after it (in place)."""
    room = _cell_rooms(root, style or house_style())
    for element in root.iter():
        if element.tag in _BLOCKS:
            _join(element, room.get(id(element), math.inf))
        if element.tag == "p":
            _figures(element)


def _figures(block: Element) -> None:
    """A figure and the character after it on one line (30号, 2025年, 22项): a line of body
    text does not end on "30" and begin the next with "号". A table cell is left alone: its
    column may be too narrow to hold them. A span of years (2024—2030) may break after its
    dash: kept whole inside a cited title it left the line before a third empty."""
    for node, slot in _slots(block):
        value = getattr(node, slot)
        if value:
            setattr(node, slot, _FIGURE_THEN_CJK.sub(JOINER, value))


def _cell_rooms(root: Element, style: HouseStyle) -> dict[int, float]:
    """id(td or th) → the width its text may take, in characters of its font size."""
    parents = {id(child): parent for parent in root.iter() for child in parent}
    rooms: dict[int, float] = {}
    for table in root.iter("table"):
        widths = [
            float(m.group(1))
            for col in table.iter("col")
            if (m := _WIDTH.search(col.get("style") or ""))
        ]
        if not widths:
            continue
        measure = style.landscape_width_pt if _landscape(table, parents) else style.text_width_pt
        small = "small" in (table.get("class") or "").split()
        rows = [tr for group in table for tr in group if tr.tag == "tr"]
        cells = [[c for c in tr if c.tag in ("td", "th")] for tr in rows]
        spans = lambda c: (int(c.get("rowspan", 1)), int(c.get("colspan", 1)))  # noqa: E731
        for here in placed(cells, spans):
            for col, cell in here:
                role = ("table_small" if small else "table") + ("_head" if cell.tag == "th" else "")
                size = style.roles[role].size
                share = sum(widths[col : col + spans(cell)[1]]) / 100
                padding = 2 * style.tables.cell_padding_mm * PT_PER_MM
                rooms[id(cell)] = (measure * share - padding) / size
    return rooms


def _landscape(element: Element, parents: dict[int, Element]) -> bool:
    while id(element) in parents:
        element = parents[id(element)]
        if element.tag == "div" and "landscape" in (element.get("class") or "").split():
            return True
    return False


def _ems(text: str) -> float:
    """A generous width in characters: a Chinese or full-width character 1, anything else
    0.6 (figures and Latin letters are about half as wide: generous, so what is kept
    together is sure to fit)."""
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


def _slots(element: Element) -> Iterator[tuple[Element, str]]:
    """Where the block's text lies, in reading order: each element's text, then its
    children's, each followed by the child's tail."""
    yield element, "text"
    for child in element:
        yield from _slots(child)
        yield child, "tail"


def _join(block: Element, room: float) -> None:
    """Join what ends the block: a short bracketed note after a Chinese character, else its
    last character and the one before it, where `room` (characters a line) holds them."""
    places = [
        (node, slot, i)
        for node, slot in _slots(block)
        for i in range(len(getattr(node, slot) or ""))
    ]
    text = "".join(getattr(node, slot)[i] for node, slot, i in places)
    if sum(not c.isspace() for c in text) < _SHORTEST or JOINER in text or BREAK in text:
        return
    end = len(text.rstrip())
    start = _group(text, end)
    breaks: list[int] = []
    if start is not None and _ems(text[start:end]) <= room:
        joins = [k for k in range(start + 1, end) if _CJK.match(text[k]) or _CJK.match(text[k - 1])]
        if not _CJK.match(text[start - 1]):
            # After a figure the line breaker sees one word ("85.7%（2024年）") and, where it
            # is too wide, splits the year ("85.7%（2024/年）"): the note may come down whole.
            breaks = [start]
    else:
        last = end - 1
        while last > 0 and text[last] in _TRAILING:
            last -= 1
        # a Chinese character, or a figure standing alone (附件3。)
        alone = last > 0 and _FIGURE.match(text[last]) and not _FIGURE.match(text[last - 1])
        if last < 1 or not (
            (_CJK.match(text[last]) or alone) and _UNIT_OR_CJK.match(text[last - 1])
        ):
            return  # nothing to join, or a figure or word that would come down with it
        if _ems(text[last - 1 : end]) > room:
            return
        joins = [last]
        # a figure alone names a thing in the two characters before it: 附件3, not 附/件3
        if alone and last > 1 and _CJK.match(text[last - 2]) and _ems(text[last - 2 : end]) <= room:
            joins = [last - 1, last]
    marks = [(k, JOINER) for k in joins] + [(k, BREAK) for k in breaks]
    for k, mark in sorted(marks, reverse=True):  # from the end: earlier places keep their indexes
        node, slot, i = places[k]
        value = getattr(node, slot)
        setattr(node, slot, value[:i] + mark + value[i:])


def _group(text: str, end: int) -> int | None:
    """Where a short bracketed note ending the text opens, if it does and text precedes it."""
    if end == 0 or text[end - 1] not in _BRACKETS:
        return None
    start = text.rfind(_BRACKETS[text[end - 1]], 0, end - 1)
    if start < 1 or end - start > _GROUP:
        return None
    return start
