"""The text a PDF page draws, run by run, with the size each run is printed at on paper.

A run is what one BT … ET block shows. Its printed size is the font size of its `Tf` times the
scale of the text matrix (`Tm`) and of the current transformation matrix, followed through
q/Q, `cm` and form XObjects (their /Matrix too): the square root of each matrix's determinant,
so a rotated run is measured as well as an upright one. The characters are read back through
the font's ToUnicode map, as a reader's search or copy would read them.

WeasyPrint sets the text rendering mode (`Tr`) in every text block it draws for an SVG image
and in none of the document's own text: a run that sets it is a chart's.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import pypdf
from pypdf.generic import ContentStream


@dataclass
class Run:
    """One text block on a page."""

    text: str
    size: float  # printed size of its last font in points
    font: str  # that font's BaseFont, without the subset tag
    index: int  # the page's operator that draws it (for a run in a form: the form's `Do`)
    chart: bool  # drawn by an SVG image (it sets the text rendering mode)
    alpha: float  # its fill's opacity (the watermark's is low)


def _scale(m: list[float]) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


def _to_unicode(font: Any, known: dict[int, dict[int, str]]) -> dict[int, str]:
    """The font's code → text map, from its ToUnicode CMap (bfchar and bfrange entries)."""
    key = id(font)
    if key in known:
        return known[key]
    cmap: dict[int, str] = {}
    stream = font.get("/ToUnicode")
    data = stream.get_object().get_data().decode("latin-1") if stream is not None else ""
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<(\w+)>\s*<(\w+)>", block):
            cmap[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for first, last, dst in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            start = bytes.fromhex(dst).decode("utf-16-be")
            for i, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                cmap[code] = start[:-1] + chr(ord(start[-1]) + i)
    known[key] = cmap
    return cmap


def _decode(data: Any, font: Any, known: dict[int, dict[int, str]]) -> str:
    raw = data if isinstance(data, bytes) else data.original_bytes
    cmap = _to_unicode(font, known)
    width = 2 if font.get("/Subtype") == "/Type0" else 1
    codes = (int.from_bytes(raw[i : i + width], "big") for i in range(0, len(raw), width))
    return "".join(cmap.get(code, "\ufffd") for code in codes)


def page_runs(reader: pypdf.PdfReader, page: pypdf.PageObject) -> list[Run]:
    """Every text block the page draws, in drawing order."""
    runs: list[Run] = []
    known: dict[int, dict[int, str]] = {}

    def walk(content: Any, resources: Any, scale: float, alpha: float, at: int | None) -> None:
        stack: list[tuple[float, float]] = []
        fonts = resources.get("/Font") or {}
        states = resources.get("/ExtGState") or {}
        font: Any = None
        size = tm = 0.0
        text: list[str] = []
        chart = False
        for n, (args, op) in enumerate(ContentStream(content, reader).operations):
            if op == b"q":
                stack.append((scale, alpha))
            elif op == b"Q":
                scale, alpha = stack.pop()
            elif op == b"gs":
                alpha = float(states[args[0]].get_object().get("/ca", alpha))
            elif op == b"cm":
                scale *= _scale([float(x) for x in args[:4]])
            elif op == b"BT":
                text, chart, tm = [], False, 1.0
            elif op == b"Tr":
                chart = True
            elif op == b"Tm":
                tm = _scale([float(x) for x in args[:4]])
            elif op == b"Tf":
                font, size = fonts[args[0]].get_object(), float(args[1])
            elif op in (b"Tj", b"'", b'"'):
                text.append(_decode(args[-1], font, known))
            elif op == b"TJ":
                text += [_decode(a, font, known) for a in args[0] if not isinstance(a, int | float)]
            elif op == b"ET":
                name = str(font["/BaseFont"]).split("+")[-1] if font is not None else ""
                index = n if at is None else at
                printed = round(size * tm * scale, 2)
                runs.append(Run("".join(text), printed, name, index, chart, alpha))
            elif op == b"Do":
                xobject = resources["/XObject"][args[0]].get_object()
                if xobject.get("/Subtype") == "/Form":
                    m = [float(x) for x in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    inner = xobject.get("/Resources", resources)
                    walk(xobject, inner, scale * _scale(m), alpha, n if at is None else at)

    walk(page.get_contents(), page["/Resources"], 1.0, 1.0, None)
    return runs
