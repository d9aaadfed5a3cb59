"""Superscripts in content text: `^{…}` raises what it holds (km^{2}, μg/m^{3}, ×10^{4}).

The source lost its superscripts (μg/m3, 74250×104立方米); content writes them back this way,
the loader checks the braces, and every format shows a superscript: a template's output has
each mark turned into <sup> (`in_html`: wherever content text went, a cell, a sentence the
report composes), which the Word writer makes a superscript run; a chart draws it in
superscript characters (`raised`). Where only plain text can go (a workbook, a message, a
comparison with the source), `plain` drops the mark.
"""

from __future__ import annotations

import re

MARK = re.compile(r"\^\{([^{}^]+)\}")


def plain(text: str) -> str:
    """The text with each `^{x}` written x."""
    return MARK.sub(r"\1", text)


def problems(text: str) -> list[str]:
    """A `^` or brace left over once every well-formed `^{…}` is taken out."""
    rest = MARK.sub("", text)
    if "^{" in rest or ("^" in rest and "{" in rest):
        return ["malformed superscript: write ^{…} around what is raised, as in km^{2}"]
    return []


_TAG = re.compile(r"(<[^>]*>)")


def in_html(html: str) -> str:
    """Each `^{x}` in the text of an HTML document as <sup>x</sup>; tags and attribute values
    (an image's alt text) are left as they are."""
    parts = _TAG.split(html)
    return "".join(
        p if n % 2 else MARK.sub(lambda m: f"<sup>{m[1]}</sup>", p) for n, p in enumerate(parts)
    )


_RAISED = str.maketrans("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ")


def raised(text: str) -> str:
    """A chart label with each `^{x}` in superscript characters (μg/m³, ×10⁴): a chart's
    text is set by the PDF writer in the chart's face and by matplotlib in the PNG alike,
    where mathtext would need a font of its own (and is off: a `$` in a name is text). What
    has no superscript character is left level."""
    return MARK.sub(lambda m: m[1].translate(_RAISED), text)
