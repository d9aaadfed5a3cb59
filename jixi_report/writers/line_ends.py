"""No paragraph, caption or table cell ends on a line of one character (PDF).

Chinese typesetting avoids the 孤字: a last line holding a single character and its closing
punctuation, as "目/标" or "市生态环境/局" in a narrow column, or "逐项跟踪落/实。" at a
paragraph's end. A typesetter brings the character before it down to keep it company. Here a
WORD JOINER (U+2060) goes between a block's last two characters before it is laid out, when
both are Chinese: its last break comes one character earlier, the last line holds two, and the
block keeps its height (so tables are cut and pages broken where they would be). A figure or
Latin word before the last character ("（2023/年）") is left to break as it does: it would come
down whole and might not fit a narrow column. HarfBuzz shapes the joiner to nothing, so the
PDF's text, as a reader copies or searches it, is unchanged. Headings are left alone: the
PDF's bookmarks are their text.

Only the PDF: Word and WPS lay out their own lines, and a joiner would stay in the text the
office edits and searches. The HTML page is read at any width.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element

JOINER = "\u2060"
_BLOCKS = frozenset(("p", "td", "th", "caption", "figcaption"))
# A character a line may end with after its last character: pango keeps it on that line.
_TRAILING = frozenset(" \t\n\u3000）)」』”’》〉】〕〗〙〛]}、。，．,.；;：:！!？?％%…")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A block of two characters stays breakable: a column one character wide (单/位) must still
# hold it.
_SHORTEST = 3


def join_last_characters(root: Element) -> None:
    """Join the last two characters of every text block under `root` (in place)."""
    for element in root.iter():
        if element.tag in _BLOCKS:
            _join(element)


def _slots(element: Element) -> Iterator[tuple[Element, str]]:
    """Where the block's text lies, in reading order: each element's text, then its
    children's, each followed by the child's tail."""
    yield element, "text"
    for child in element:
        yield from _slots(child)
        yield child, "tail"


def _join(block: Element) -> None:
    characters = [
        (node, slot, i)
        for node, slot in _slots(block)
        for i in range(len(getattr(node, slot) or ""))
    ]

    def char(at: int) -> str:
        node, slot, i = characters[at]
        return getattr(node, slot)[i]

    if sum(not char(n).isspace() for n in range(len(characters))) < _SHORTEST:
        return
    last = len(characters) - 1
    while last > 0 and char(last) in _TRAILING:
        last -= 1
    if last < 1 or not (_CJK.match(char(last)) and _CJK.match(char(last - 1))):
        return  # nothing to join, or a figure or word that would come down with it
    node, slot, i = characters[last]
    text = getattr(node, slot)
    setattr(node, slot, text[:i] + JOINER + text[i:])
