"""matplotlib set up for print: the house font's SC face, repeatable SVG and 200 dpi PNG bytes.

A character the font lacks is an error, because a chart with boxes in it must not be published.

The SVG keeps its text as text (`svg.fonttype: none`), in the family the PNG draws with: the PDF
lays it out with the same installed face, so a chart's words are searchable and share the
body's font subset, and painting a chart is a few glyph runs instead of an outline per glyph
(writing the report's three parts with charts: 2.6 → 1.8 s of CPU). matplotlib places every
text itself (its start, baseline and rotation: saving.py), so the PDF prints it where
the PNG does.

The SVG is then tidied for the PDF writer (svg_tidy.py): the same picture, less to paint.
"""

from __future__ import annotations

import io
import os
import subprocess
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager, ft2font
from matplotlib.figure import Figure

from ...base.errors import BuildError
from ...base.style import house_style
from .saving import saving
from .svg_tidy import tidy

DEBIAN_FILES = (  # fonts-noto-cjk, if fontconfig is not there to ask
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
)
DPI = 200
# zlib level 3, not Pillow's 6: the charts' flat colours compress as small (within 0.2 %) in
# two thirds of the time.
_PNG = {"compress_level": 3}
PNG_SAVE: dict[str, Any] = {"metadata": {"Software": None}, "pil_kwargs": _PNG}


def family() -> str:
    """The charts' face: templates/style.yaml (charts.font → its PDF font)."""
    return house_style().chart_font


def rc() -> dict[str, Any]:
    """Text sizes are printed sizes: every figure is drawn at the width it is printed."""
    charts = house_style().charts
    return {
        "font.family": [family()],
        "font.size": charts.text_pt,
        "axes.titlesize": charts.text_pt,
        "axes.labelsize": charts.text_pt,
        "legend.fontsize": charts.text_pt,
        "legend.title_fontsize": charts.small_pt,
        "xtick.labelsize": charts.small_pt,
        "ytick.labelsize": charts.small_pt,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.formatter.useoffset": False,
        "text.parse_math": False,  # a '$' in a name is text, not mathtext
        "hatch.linewidth": 0.6,
        "svg.fonttype": "none",  # text as text: see the module's docstring
        "svg.hashsalt": "jixi-report",
    }


@cache
def register_font() -> None:
    """Make the family resolve to the SC face of the Noto CJK collection, or fail saying why.

    NotoSansCJK-*.ttc holds ten faces and the first is JP (Japanese glyph shapes). matplotlib
    ≥ 3.11 registers every face of a collection in `addfont` and `findfont` answers a
    `FontPath` carrying the face index, so naming the family selects face 2 (SC). Older
    versions register face 0 only: the family check below then fails instead of drawing JP.
    """
    name = family()
    files = [*_fontconfig_files(name), *DEBIAN_FILES]
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for file in dict.fromkeys(files):
        if file not in known and Path(file).is_file():
            font_manager.fontManager.addfont(file)
    try:
        found = font_manager.findfont(
            font_manager.FontProperties(family=name), fallback_to_default=False
        )
    except ValueError as exc:
        raise BuildError(f"font '{name}' not found: install fonts-noto-cjk") from exc
    index = getattr(found, "face_index", 0)
    face = ft2font.FT2Font(str(found), face_index=index) if index else ft2font.FT2Font(str(found))
    if face.family_name != name:
        raise BuildError(
            f"matplotlib {matplotlib.__version__} gives face '{face.family_name}' of "
            f"{found} for '{name}'; the charts need matplotlib ≥ 3.11"
        )


def _fontconfig_files(name: str) -> list[str]:
    files = []
    for pattern in (name, f"{name}:bold"):
        try:
            done = subprocess.run(
                ["fc-match", "-f", "%{file}", pattern],
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if done.stdout.strip():
            files.append(done.stdout.strip())
    return files


@contextmanager
def _strict_glyphs(name: str) -> Iterator[None]:
    """A character the font lacks would be drawn as a box: stop instead."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing", category=UserWarning)
        try:
            yield
        except UserWarning as exc:
            raise BuildError(f"chart {name}: {exc}") from exc


def render(
    name: str, caption: str, draw: Callable[[], Figure], clear: bool = False
) -> tuple[bytes, bytes]:
    """The SVG and PNG bytes of one figure, the same for the same input. `clear`: the PNG
    (Word's, the page's) keeps no ground of its own, so that a watermark Word prints behind
    the text shows through it (the example data's 示例数据: an opaque picture hid it on every
    chart page; screen.css gives a figure a white ground). Without a watermark the PNG is
    opaque, as a reader draws an opaque picture sooner."""
    register_font()
    # SVG Date: absent, or SOURCE_DATE_EPOCH's (matplotlib reads it when no Date is given).
    svg_meta: dict[str, Any] = {"Title": caption}
    if not os.environ.get("SOURCE_DATE_EPOCH"):
        svg_meta["Date"] = None
    svg, png = io.BytesIO(), io.BytesIO()
    with _strict_glyphs(name), matplotlib.rc_context(rc()), saving():
        fig = draw()
        _layout_first(fig)
        fig.savefig(svg, format="svg", metadata=svg_meta)
        # The layout is done: the PNG keeps it rather than working it out again, so both
        # files place everything alike. No engine at all, not "none" (a placeholder engine):
        # with one, the save draws the whole figure unseen first, for a layout it will not do.
        fig.set_layout_engine(None)
        fig.savefig(png, format="png", dpi=DPI, transparent=clear, **PNG_SAVE)
    return tidy(svg.getvalue()), png.getvalue()


def _layout_first(fig: Figure) -> None:
    """The SVG save's first, unseen drawing of the figure reduced to the layout it is made for.

    A figure with a layout engine is saved by drawing it once with drawing switched off, so
    that the engine runs with the renderer of the format being saved, then drawing it for
    real. That first pass also goes through every artist (a fifth of the save) for nothing:
    the real drawing works all of it out again. So the figure's first `draw` runs the engine
    only, as `Figure.draw` would, and puts the real `draw` back: the same layout from the
    same renderer, the same bytes (tests/test_charts.py checks them against a plain save).
    """

    def layout_only(_renderer: Any) -> None:
        del fig.draw  # the class's own draw, for the real drawing
        engine = fig.get_layout_engine()
        if fig.axes and engine is not None:
            engine.execute(fig)

    fig.draw = layout_only  # type: ignore[method-assign]


@cache
def warm() -> None:
    """Draw a small chart in both formats, once a process: the face's glyphs and both
    renderers loaded (the resident server, before it forks its builds)."""

    def small() -> Figure:
        fig = Figure(figsize=(2, 1.5), layout="constrained")
        ax = fig.add_subplot()
        ax.plot([2023, 2025], [1.5, 2.5], marker="o")
        ax.set_title("字（%）")
        return fig

    render("warm", "字", small)
