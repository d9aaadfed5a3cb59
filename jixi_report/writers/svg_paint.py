"""The report's charts painted into the PDF without reading the same outlines again.

matplotlib writes a chart's text as glyph outlines (`svg.fonttype: path`): each glyph is one
`<path>` in `<defs>`, drawn by a `<use>` wherever the glyph appears. WeasyPrint parses a path's
`d` anew at every use and finds each `<use>`'s target with an XPath search of the whole
subtree at every level of it: painting the report's ten charts is most of the time it takes to
write their part (2.5 s of CPU). Within one `write`, `painting()` remembers what drawing a
path emitted (the stream's calls and the path's vertices, for the same `d`, font size and
viewport) and emits it again, and answers "is this id below this element" from a set made once
per element. The calls, their order and their arguments are those WeasyPrint's own code makes:
the PDF is the same byte for byte. A WeasyPrint without these internals is left as it is.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# One patch at a time: a write beside another (preview's PDF thread) paints with whichever code
# is in place, WeasyPrint's or the other write's; either gives the same PDF.
_PATCHED = threading.Lock()


class _Recorder:
    """Stands for the stream while a path is drawn the first time: passes each call on and
    keeps it to be made again."""

    __slots__ = ("calls", "stream")

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.stream, name)

        def call(*args: Any) -> Any:
            self.calls.append((name, args))
            return method(*args)

        return call


@contextmanager
def painting() -> Iterator[None]:
    """Paths drawn once per `d`, ids found from a set: for the `with` block only (one part's
    write), so nothing outlives the charts it was made for."""
    try:
        from weasyprint.svg import TAGS, Node
    except ImportError:
        yield
        return
    draw_path, get_child = TAGS.get("path"), getattr(Node, "get_child", None)
    if draw_path is None or get_child is None or not _PATCHED.acquire(blocking=False):
        yield
        return
    drawn: dict[tuple[Any, ...], tuple[list[tuple[str, tuple[Any, ...]]], list[Any]]] = {}
    below: dict[int, tuple[Any, set[str]]] = {}  # id(element) → (element, ids under it)

    def path(svg: Any, node: Any, font_size: float) -> None:
        key = (node.get("d", ""), font_size, svg.inner_width, svg.inner_height)
        if (known := drawn.get(key)) is None:
            before, stream = len(node.vertices), svg.stream
            recorder = svg.stream = _Recorder(stream)
            try:
                draw_path(svg, node, font_size)  # raises on a bad path: nothing is kept
            finally:
                svg.stream = stream
            drawn[key] = (recorder.calls, list(node.vertices)[before:])
            return
        calls, vertices = known
        stream = svg.stream
        for name, args in calls:
            getattr(stream, name)(*args)
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

    TAGS["path"], Node.get_child = path, find_child
    try:
        yield
    finally:
        TAGS["path"], Node.get_child = draw_path, get_child
        _PATCHED.release()
