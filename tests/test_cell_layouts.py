"""A table cell laid out once and moved where it stands again (writers/cell_layouts.py) gives
the very PDF that laying it out again gives: a table across pages is laid out twice, and a
row that overflows its page once more at the top of the next."""

from __future__ import annotations

import io
from contextlib import nullcontext

import pypdf
import pytest
from conftest import epoch

from jixi_report.writers import cell_layouts, pdf


def _long_table() -> str:
    """Three pages of a table: cells of one to four lines, aligned in the middle of their row
    by the taller ones, a cell spanning rows across a page's foot (cut and repeated there),
    figures, a superscript, and a 合计 row last."""
    rows = []
    for n in range(1, 61):
        text = "建设生态文明示范区，" * (1 + n % 4)
        last = ('<td rowspan="6">跨页合并的单元格</td>' if n % 12 == 1 else "") + (
            "<td>—</td>" if (n - 1) % 12 >= 6 else ""
        )
        rows.append(
            f"<tr><td>{n}</td><td class=left>{text}</td><td>{n * 1.5:.1f}</td>"
            f"<td>μg/m<sup>3</sup></td>{last}</tr>"
        )
    rows.append('<tr class="total"><td colspan="4">合计</td><td>90.0</td></tr>')
    cols = "".join(f'<col style="width: {w}%">' for w in (8, 52, 12, 12, 16))
    return (
        '<html lang="zh-CN"><body><p>一段前文。</p><table><caption>表1 长表</caption>'
        f"<colgroup>{cols}</colgroup><thead><tr><th>序号</th><th>名称</th><th>数值</th>"
        f"<th>单位</th><th>备注</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "<p>一段后文。</p></body></html>"
    )


def test_the_same_pdf_as_laying_each_cell_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    html = _long_table()
    with epoch():
        with cell_layouts.remembered() as kept:
            ours = pdf.write(pdf.layout(html, []))[0]
        monkeypatch.setattr(cell_layouts, "remembered", nullcontext)
        own = pdf.write(pdf.layout(html, []))[0]
    assert kept.reused > 100  # the second layout took the first one's cells
    assert ours == own
    pages = pypdf.PdfReader(io.BytesIO(ours)).pages
    assert len(pages) >= 3 and "续表1" in pages[1].extract_text()  # split one table a page


def test_cells_are_kept_only_while_a_part_is_laid_out() -> None:
    with cell_layouts.remembered() as outer:
        with cell_layouts.remembered() as inner:
            assert inner is outer  # a layout inside another keeps the outer's cells
    with cell_layouts.remembered() as later:
        assert later is not outer and not later  # a new part starts with none
