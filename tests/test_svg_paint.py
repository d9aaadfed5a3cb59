"""The charts painted with each path read once (writers/svg_paint.py) give the very PDF that
WeasyPrint's own painting gives: same operators, same arguments, same bytes."""

from __future__ import annotations

import io

import pypdf
import pytest
import weasyprint.svg as svg_module
from conftest import RealCharts, epoch
from weasyprint.svg import TAGS, Node

from jixi_report.writers import pdf
from jixi_report.writers.svg_paint import painting


def _page(real_charts: RealCharts) -> str:
    """Two pages of charts, one chart twice (its paths, styles and ids met again)."""
    folder = real_charts.out / "2025" / "charts"
    names = ["status", "trends-1", "invest-category", "status"]
    images = "".join(
        f'<p><img src="{(folder / n).with_suffix(".svg").as_uri()}"></p>' for n in names
    )
    return f"<html lang=zh-CN><body>{images}</body></html>"


def test_same_pdf_as_weasyprints_own_painting(real_charts: RealCharts) -> None:
    html, allowed = _page(real_charts), [real_charts.out]
    with epoch():
        own = pdf.layout(html, allowed).write_pdf()
        document = pdf.layout(html, allowed)
        with painting():
            assert TAGS["path"].__module__ == painting.__module__  # ours draws the paths
            ours = document.write_pdf()
    assert ours == own
    reader = pypdf.PdfReader(io.BytesIO(ours))
    assert len(reader.pages) >= 2 and len(ours) > 50_000  # the charts are there


def test_weasyprints_own_code_back_after() -> None:
    path, get_child, parse = TAGS["path"], Node.get_child, svg_module.parse_declarations
    with pytest.raises(RuntimeError), painting():
        assert svg_module.parse_declarations is not parse  # ours reads each style once
        raise RuntimeError("a failed write")
    assert TAGS["path"] is path and Node.get_child is get_child
    assert svg_module.parse_declarations is parse


def test_a_write_inside_another_leaves_weasyprints_own_code_after() -> None:
    path = TAGS["path"]
    with painting():
        ours = TAGS["path"]
        with painting():  # a second write meanwhile: paints with the first one's code
            assert TAGS["path"] is ours
        assert TAGS["path"] is ours
    assert TAGS["path"] is path
