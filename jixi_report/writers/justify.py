"""Justified Chinese lines: the slack spread over the gaps between characters (PDF).

WeasyPrint justifies a line by widening its spaces only. A line of Chinese with one space in
it (an indicator's number and name, "14 单位地区生产总值…") put all its slack into that space, a
hole of up to a character, and a line with no space but a figure in it (figures are narrower
than characters) stopped short of the measure. A typesetter spreads the slack evenly between
the characters (CSS `text-justify: inter-character`, the rule for Chinese). `install()` makes
WeasyPrint do so for every justified line holding a Chinese character: each character takes
an equal share, half on either side, except figures and Latin letters (2025, 85.7%, PM2.5
stay whole) and the first and last of each run of text. A line whose
last line is itself justified (the 印发 line: its organ left, its date right) keeps
WeasyPrint's way, the space taking it all. A share is at most a tenth of an em: wider,
readers extract the characters as separate words.

The share is Pango letter spacing on the characters concerned, laid out and drawn alike; a
WeasyPrint without these internals is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# The widest share, in ems of the line's font: wider, a PDF reader takes the gaps for word
# spaces ("估 算 总 投 资"), and search and copy break. A line needing more (long figures,
# few characters) is left that much short of the measure.
_CAP = 0.1
# Figures and Latin letters are not spread, nor the joiners that keep characters together
# and the zero-width spaces that let a line break before a note (line_ends.py).
_SPREAD = re.compile(r"[^0-9A-Za-z.,%²³μ/+\-−·\u2060\u200b]")


@cache
def install() -> None:
    """Justify Chinese lines between characters from now on (once a process)."""
    try:
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout import inline
        from weasyprint.text import line_break
    except ImportError:
        return
    justify_line = getattr(inline, "justify_line", None)
    layout_class = getattr(line_break, "Layout", None)
    if justify_line is None or layout_class is None or not hasattr(layout_class, "set_text"):
        return
    set_text = layout_class.set_text

    def spread(context: Any, line: Any, extra_width: float) -> None:
        texts = [b for b in line.descendants() if isinstance(b, boxes.TextBox) and b.text]
        if (
            extra_width <= 0
            or line.style["text_align_last"] == "justify"
            or not any(_CJK.search(b.text) for b in texts)
        ):
            justify_line(context, line, extra_width)
            return
        gaps = _gaps(texts)
        count = sum(len(g) for g in gaps.values())
        if not count:
            justify_line(context, line, extra_width)
            return
        share = min(extra_width / count, _CAP * line.style["font_size"])
        _shift(line, share, gaps, 0.0, boxes)

    def set_text_spread(self: Any, text: str, justify: bool = False) -> None:
        gaps = getattr(self, "jr_gaps", None)
        if not (justify and gaps):
            set_text(self, text, justify)
            return
        set_text(self, text, False)  # the style's letter spacing; no word spacing
        _letter_space(self, self.text, gaps, line_break)

    inline.justify_line = spread
    layout_class.set_text = set_text_spread


def _gaps(texts: list[Any]) -> dict[int, tuple[int, ...]]:
    """id(text box) → the characters of it that take a share: Pango spaces each by half a
    share on either side. Not a figure or a Latin letter (85.7% stays whole), nor a box's
    first or last character: Pango drops the half that would stand at a layout's edge."""
    gaps = {}
    for box in texts:
        found = tuple(m.start() for m in _SPREAD.finditer(box.text, 1, len(box.text) - 1))
        if found:
            gaps[id(box)] = found
    return gaps


def _shift(
    box: Any, share: float, gaps: dict[int, tuple[int, ...]], x_advance: float, boxes: Any
) -> float:
    """Widen each text box by its shares and move every box after it (WeasyPrint's
    add_word_spacing, with characters for spaces); returns the advance so far."""
    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        found = gaps.get(id(box), ())
        if found:
            box.justification_spacing = share
            layout = box.pango_layout  # the line's own, laid out again only when drawn
            layout.justification_spacing, layout.jr_gaps = share, found
            box.width += share * len(found)
            x_advance += share * len(found)
        return x_advance
    if isinstance(box, boxes.LineBox | boxes.InlineBox):
        box.position_x += x_advance
        before = x_advance
        children = box.children[::-1] if box.style["direction"] == "rtl" else box.children
        for child in children:
            if child.is_in_normal_flow():
                x_advance = _shift(child, share, gaps, x_advance, boxes)
        box.width += x_advance - before
        return x_advance
    box.position_x += x_advance
    return x_advance


def _letter_space(layout: Any, text: str, gaps: tuple[int, ...], line_break: Any) -> None:
    """Each character at `gaps` spaced by the line's share more than the style says."""
    pango, ffi = line_break.pango, line_break.ffi
    base = layout.style["letter_spacing"]
    base = 0 if base == "normal" else base
    spacing = int((base + layout.justification_spacing) * line_break.TO_UNITS)
    attrs = pango.pango_layout_get_attributes(layout.layout)
    if attrs == ffi.NULL:
        attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    for first, last in _runs(i for i in gaps if i < len(text)):
        # One attribute a run of such characters: Pango shapes it as one item.
        attr = pango.pango_attr_letter_spacing_new(spacing)
        attr.start_index = len(text[:first].encode("utf-8"))
        attr.end_index = len(text[: last + 1].encode("utf-8"))
        pango.pango_attr_list_change(attrs, attr)
    pango.pango_layout_set_attributes(layout.layout, attrs)


def _runs(indexes: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive indexes as (first, last) runs."""
    runs: list[tuple[int, int]] = []
    for i in indexes:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs
