"""Superscripts in content text: `^{…}` raises what it holds (km^{2}, μg/m^{3}, ×10^{4}).

The source lost its superscripts (μg/m3, 74250×104立方米); content writes them back this way,
the loader checks the braces, and every format shows a superscript: the templates turn the
mark into <sup> (`html`), which the Word writer makes a superscript run. Where only plain text
can go (a workbook, a comparison with the source), `plain` drops the mark.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

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


def html(text: str) -> Markup:
    """The text escaped, each `^{x}` as <sup>x</sup>."""
    return Markup(MARK.sub(lambda m: f"<sup>{m[1]}</sup>", str(escape(text))))
