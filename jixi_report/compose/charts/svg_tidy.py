"""A chart's SVG as matplotlib writes it → the same picture, with less for the PDF to paint.

- matplotlib wraps nearly every element in a group of its own that carries only an id: the
  PDF writer paints each group as a saved and restored graphics state (the report's chart
  pages took a tenth less time to write without them).
- It moves every text to its start with a transform, another graphics state and matrix each:
  the start is given as the text's x and y instead (6 % less).
- A hatched fill is a pattern whose tile paints the fill's colour under the hatch: where the
  tiles meet, a PDF reader shows hairline seams of the page through a bar (图10's 前期 bars,
  every inch). The colour is painted as a plain fill under the shape instead, and the tile
  holds the hatch alone.
"""

from __future__ import annotations

import re

from lxml import etree

_SVG = "{http://www.w3.org/2000/svg}"
_REFERENCE = re.compile(rb"#([\w.:-]+)")  # href="#id", url(#id): ids that must stay
_MOVED = re.compile(r"translate\((-?[\d.]+) (-?[\d.]+)\)")
_HATCHED = re.compile(r"fill: url\(#([\w.:-]+)\)")


def tidy(svg: bytes) -> bytes:
    """The SVG without empty groups, its texts placed by x and y, its hatches over plain
    fills: the same picture (the report's pages are the same to the pixel at 150 dpi, but
    for the seams)."""
    root = etree.fromstring(svg, etree.XMLParser(resolve_entities=False, no_network=True))
    _ungroup(root, {m.decode() for m in _REFERENCE.findall(svg)})
    _place_texts(root)
    _ground_hatches(root)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="utf-8")


def _ungroup(root: etree._Element, referenced: set[str]) -> None:
    """Groups that carry nothing but an id nobody refers to: their children take their place."""
    for group in list(root.iter(f"{_SVG}g")):
        if set(group.attrib) <= {"id"} and group.get("id") not in referenced:
            parent = group.getparent()
            at = parent.index(group)
            parent[at : at + 1] = list(group)


def _place_texts(root: etree._Element) -> None:
    """A text moved to its start: that start as its position."""
    for text in root.iter(f"{_SVG}text"):
        moved = _MOVED.fullmatch(text.get("transform", ""))
        if moved and "x" not in text.attrib and "y" not in text.attrib:
            del text.attrib["transform"]
            text.set("x", moved[1])
            text.set("y", moved[2])


def _ground_hatches(root: etree._Element) -> None:
    """Each pattern's ground (the rect under its hatch) painted as a plain fill under every
    shape the pattern fills, and taken out of the pattern."""
    grounds = {}
    for pattern in root.iter(f"{_SVG}pattern"):
        first = pattern[0] if len(pattern) else None
        if first is not None and first.tag == f"{_SVG}rect" and first.get("fill", "none") != "none":
            grounds[pattern.get("id")] = first.get("fill")
            pattern.remove(first)
    if not grounds:
        return
    for shape in list(root.iter()):
        style = shape.get("style", "")
        hatched = _HATCHED.search(style)
        if hatched is None or hatched[1] not in grounds:
            continue
        ground = etree.Element(shape.tag, {k: v for k, v in shape.attrib.items() if k != "id"})
        ground.set("style", f"fill: {grounds[hatched[1]]}; stroke: none")
        shape.addprevious(ground)
