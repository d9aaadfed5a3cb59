"""The report's charts painted into the PDF without reading the same things again.

WeasyPrint parses a path's `d` anew at every use, finds each `<use>`'s target with an XPath
search of the whole subtree at every level of it, and tokenizes every element's `style`
attribute (matplotlib writes one on nearly every element, most of them alike) with the full
CSS parser. Within one `write`, `painting()` remembers what drawing a path emitted (the
content stream's operators, as the bytes pydyf made of them, and the path's vertices, for the
same `d`, font size and viewport) and emits it again, answers "is this id below this element"
from a set made once per element, and reads each distinct `style` once. The operators are
those WeasyPrint's own code writes: the PDF is the same byte for byte. A WeasyPrint without
these internals is left as it is.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# One patch at a time: a write beside another (preview's PDF thread) paints with whichever code
# is in place, WeasyPrint's or the other write's; either gives the same PDF.
_PATCHED = threading.Lock()


@contextmanager
def painting() -> Iterator[None]:
    """Paths drawn once per `d`, ids found from a set: for the `with` block only (one part's
    write), so nothing outlives the charts it was made for."""
    try:
        import weasyprint.svg as svg_module
        from weasyprint.svg import TAGS, Node
    except ImportError:
        yield
        return
    draw_path, get_child = TAGS.get("path"), getattr(Node, "get_child", None)
    parse = getattr(svg_module, "parse_declarations", None)
    if None in (draw_path, get_child, parse) or not _PATCHED.acquire(blocking=False):
        yield
        return
    drawn: dict[tuple[Any, ...], tuple[list[bytes], list[Any]]] = {}
    below: dict[int, tuple[Any, set[str]]] = {}  # id(element) → (element, ids under it)

    def path(svg: Any, node: Any, font_size: float) -> None:
        key = (node.get("d", ""), font_size, svg.inner_width, svg.inner_height)
        operators = getattr(svg.stream, "stream", None)  # the stream's operators, as bytes
        if not isinstance(operators, list):  # another pydyf: WeasyPrint's own way
            draw_path(svg, node, font_size)
            return
        if (known := drawn.get(key)) is None:
            before, start = len(node.vertices), len(operators)
            draw_path(svg, node, font_size)  # raises on a bad path: nothing is kept
            drawn[key] = (operators[start:], list(node.vertices)[before:])
            return
        emitted, vertices = known
        operators.extend(emitted)
        node.vertices.extend(vertices)

    def ids_under(element: Any) -> set[str]:
        entry = below.get(id(element))
        if entry is None or entry[0] is not element:
            ids = {e.get("id") for e in element.iter() if e is not element and e.get("id")}
            entry = below[id(element)] = (element, ids)
        return entry[1]

    def find_child(self: Any, id_: str) -> Any:
        """Node.get_child: the descendant with this id, searched as WeasyPrint searches."""
        if id_ not in ids_under(self._etree_node):
            return None
        for child in self:
            if child.get("id") == id_:
                return child
            if grandchild := find_child(child, id_):
                return grandchild
        return None

    @functools.cache
    def declarations(style: str) -> Any:
        """A `style` attribute's declarations, read once for every element that has it (the
        lists are only read by WeasyPrint's cascade)."""
        return parse(style)

    TAGS["path"], Node.get_child = path, find_child
    svg_module.parse_declarations = declarations
    try:
        yield
    finally:
        TAGS["path"], Node.get_child = draw_path, get_child
        svg_module.parse_declarations = parse
        _PATCHED.release()
