"""Two changes to how matplotlib writes a chart, for the time the chart is drawn and saved.

- Every SVG text is written from the start matplotlib placed it at (`_Placed`), not as an
  anchor point for the reader to centre or right-align.
- A face's file is read through a memory map (`_MappedFaces`), not a Python file object.

Both are put in place for one chart at a time, and taken out again after it.
"""

from __future__ import annotations

import mmap
import os
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from matplotlib import font_manager, ft2font
from matplotlib.backends import backend_svg

_ONE_AT_A_TIME = threading.Lock()  # the preview may draw a chart beside a build's


def _unlocked_in_child() -> None:
    """A process forked while another thread saved a chart starts with the lock free."""
    global _ONE_AT_A_TIME
    _ONE_AT_A_TIME = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_unlocked_in_child)


@contextmanager
def saving() -> Iterator[None]:
    """Draw and save one chart with both changes in place."""
    renderer, faces = backend_svg.RendererSVG, font_manager.ft2font
    with _ONE_AT_A_TIME:
        backend_svg.RendererSVG = _Placed
        font_manager.ft2font = _MappedFaces(faces)  # type: ignore[assignment]
        try:
            yield
        finally:
            backend_svg.RendererSVG = renderer
            font_manager.ft2font = faces


class _Placed(backend_svg.RendererSVG):
    """The SVG's texts set where matplotlib placed them, each from its start.

    matplotlib writes a centred or right-aligned text as its anchor point and `text-anchor`,
    for the reader to align it. WeasyPrint aligns such a text by drawing it into a group of
    its own (a form with its own resources in the PDF) and moving the group once it knows the
    width: the report's charts made four hundred of them, a third of the PDF's bytes and a
    third of the merge's time. matplotlib has already worked out where every text starts to
    lay the figure out, and writes that start for a text of several lines (or a turned one)
    anyway: so every text is written that way. The PNG places its texts from the same
    measure, so both files now put them alike."""

    def draw_text(
        self,
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: Any,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        super().draw_text(gc, x, y, s, prop, angle, ismath)  # no anchor: from its start


class _MappedFaces(types.ModuleType):
    """matplotlib.ft2font as the font manager sees it, its faces opened on a memory map.

    matplotlib hands FreeType a Python file object to read a face from: every piece FreeType
    asks for (a glyph's outline, a table) is a seek and a read, each a call into Python and a
    system call. The report's charts made 140,000 of each in the CJK collection's 20 MB.
    FreeType reads a memory map of the file through the same two methods without a system
    call: the charts take a tenth less time (1.78 → 1.57 s of CPU), and the processes share
    the file's pages."""

    def __init__(self, real: types.ModuleType) -> None:
        super().__init__(real.__name__)
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def FT2Font(self, path: Any, *args: Any, **kwargs: Any) -> ft2font.FT2Font:
        """A face opened to draw with (by the font manager's `_get_font`, which keeps the
        faces a renderer asks for) is mapped. A face opened only to read its names, as the
        font manager does when it lists the fonts anew, keeps its path: the list records
        each face by its file's name, which a mapped face does not have."""
        if sys._getframe(1).f_code.co_name == "_get_font":
            path = _mapped(path)
        return self._real.FT2Font(path, *args, **kwargs)


def _mapped(path: Any) -> Any:
    """A read-only memory map of the file at `path`, or `path` as it is (not a file's name, or a
    file that cannot be mapped: FreeType opens it as before, and says what is wrong)."""
    if not isinstance(path, str | os.PathLike):
        return path
    try:
        with open(path, "rb") as file:
            return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return path
