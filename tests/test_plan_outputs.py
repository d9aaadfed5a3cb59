"""`jixi-report plan` on the real content: the three files say all of the plan, in house style."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pypdf
import pytest
from conftest import CONTENT, epoch
from docx.oxml.ns import qn
from outputs import docx_text, html_text, pdf_fonts, pdf_pages, pdf_text, squash, word_tables
from test_faithfulness import original_prose

from jixi_report.cli import main
from jixi_report.content.model import Plan


@pytest.mark.parametrize("kind", ["docx", "pdf", "html"])
def test_every_paragraph_in_every_format(built: Path, kind: str) -> None:
    reader = {"docx": docx_text, "pdf": pdf_text, "html": html_text}[kind]
    text = squash(reader(built / f"plan.{kind}"))
    missing = [line for line in original_prose() if line not in text]
    assert not missing, f"{len(missing)} paragraphs missing, first: {missing[0][:60]}"


def test_docx_headings_and_styles(built: Path, plan: Plan) -> None:
    d = docx.Document(str(built / "plan.docx"))
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1 == [
        "第一章 工作基础与形势分析",
        "第二章 规划总则",
        "第三章 规划任务与措施",
        "第四章 重点工程与效益分析",
        "第五章 保障措施",
        "工程内容与投资估算",
    ]
    h4 = [p.text for p in d.paragraphs if p.style.name == "Heading 4"]
    assert h4[0] == "1. 区域位置"
    leads = [p for p in d.paragraphs if p.runs and p.runs[0].bold and p.style.name == "Normal"]
    assert any(p.runs[0].text == "完善生态文明建设管理机制。" for p in leads)
    used = {p.style.name for p in d.paragraphs} | {"表格文字", "表头"}
    for name in used:
        fonts = d.styles[name].element.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")), f"style {name} names no East-Asian font"
        assert fonts.get(qn("w:eastAsiaTheme")) is None
    assert d.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    settings = d.settings.element.find(qn("w:themeFontLang"))
    assert settings.get(qn("w:eastAsia")) == "zh-CN"
    assert d.core_properties.title == "鸡西市生态文明建设示范区规划（2024—2030年）"
    assert d.core_properties.language == "zh-CN"


def _table(d, first_header: str):
    return next(t for t in word_tables(d) if t.rows[0].cells[0].text == first_header)


def test_docx_table1_merges_and_repeating_header(built: Path) -> None:
    d = docx.Document(str(built / "plan.docx"))
    t = _table(d, "领域")
    trs = [row._tr for row in t.rows]
    assert trs[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(tr.trPr.find(qn("w:tblHeader")) is None for tr in trs[1:])
    assert len(trs) == 1 + 50  # header + one row per indicator (parents included)
    first = trs[1].tc_lst
    assert first[0].vMerge == "restart" and "目标责任" in t.rows[1].cells[0].text
    assert [t.rows[i].cells[0].text for i in (1, 2, 3)] == ["目标责任"] * 3  # one merged cell
    row_pm25 = next(r for r in t.rows if "PM2.5浓度" in r.cells[3].text)
    assert [c.text for c in row_pm25.cells[3:]] == [
        "PM2.5浓度",
        "μg/m3",
        "完成上级规定的考核任务，且≤25或持续下降",
        "完成上级规定的考核任务，PM2.5浓度为28",
        "完成上级规定的考核任务，且≤25或持续下降",
        "完成上级规定的考核任务，且≤25或持续下降",
    ]
    ref = next(r for r in t.rows if r.cells[3].text.startswith("农村生活污水"))
    assert ref.cells[0].text == "参考性指标" and ref._tr.tc_lst[0].grid_span == 2


def test_docx_annex_total_and_landscape(built: Path) -> None:
    d = docx.Document(str(built / "plan.docx"))
    t = _table(d, "工程类型")
    last = [c.text for c in t.rows[-1].cells]
    assert "合计" in last and "1,004,117.06" in last
    row17 = next(r for r in t.rows if r.cells[1].text == "17")
    assert row17.cells[5].text == "4,078.06"
    assert any(s.page_width > s.page_height for s in d.sections)
    numbers = [s._sectPr.find(qn("w:pgNumType")) for s in d.sections]
    assert sum(n is not None for n in numbers) == 1  # numbering restarts once, at the body
    # the plan is no example: no 示例数据 mark behind its pages (the report's has one)
    headers = [h for s in d.sections for h in (s.header, s.even_page_header)]
    assert not any("textpath" in h._element.xml for h in headers)


def test_docx_toc_is_filled_in(built: Path) -> None:
    d = docx.Document(str(built / "plan.docx"))
    toc = [p.text for p in d.paragraphs if p.style.name == "toc 1"]
    assert toc[0].startswith("第一章 工作基础与形势分析\t1")
    assert all(re.search(r"\t\d+$", line) for line in toc)


def test_pdf_text_fonts_and_outline(built: Path, plan: Plan) -> None:
    path = built / "plan.pdf"
    text = pdf_text(path)
    for heading in ("第一章工作基础与形势分析", "第五章保障措施", "附件", "工程内容与投资估算"):
        assert heading in text
    for ind in plan.rows:
        assert squash(ind.standard.text) in text, ind.id
    assert "1,004,117.06" in text and "188,060.06" in text and "4,078.06" in text
    fonts = pdf_fonts(path)
    wanted = ("Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC", "AR-PL-UKai-CN")  # 仿宋/宋, 黑体, 楷体
    assert set(wanted) <= fonts, fonts
    assert all(f.startswith(wanted) for f in fonts), f"a non-CJK fallback font: {fonts}"
    reader = pypdf.PdfReader(str(path))
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert titles[:2] == ["第一章 工作基础与形势分析", "第二章 规划总则"]
    assert reader.metadata.title == "鸡西市生态文明建设示范区规划（2024—2030年）"
    assert reader.trailer["/Root"].get("/Lang") == "zh-CN"
    assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height  # A4 portrait
    assert any(p.mediabox.width > p.mediabox.height for p in reader.pages)  # landscape tables


def test_pdf_page_numbers(built: Path) -> None:
    texts = pdf_pages(built / "plan.pdf")
    first_body = next(i for i, t in enumerate(texts) if "第一章" in t and "目" not in t[:5])
    assert "— 1 —" in texts[first_body]
    assert "— 1 —" not in texts[0]  # the cover has no number


def test_html_is_self_contained(built: Path) -> None:
    html = (built / "plan.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "<style>" in html
    assert 'id="h-3-1"' in html and 'href="#h-3-1"' in html


def test_prose_follows_plan_yaml(tmp_path: Path) -> None:
    """Divisions and terms are the data's: another plan.yaml, other prose (issue #9, point 5)."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    meta = content / "plan.yaml"
    text = meta.read_text(encoding="utf-8")
    text = text.replace("梨树区, 城子河区, 麻山区", "梨树区, 麻山区").replace(
        "{name: 近期, start: 2024, end: 2025", "{name: 第一阶段, start: 2024, end: 2025"
    )
    meta.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    with epoch():
        assert main(["plan", "--content", str(content), "--out", str(out), "--format", "html"]) == 0
    page = squash(html_text(out / "plan" / "plan.html"))
    assert "包括8个县级行政区，其中5个市辖区、2个县级市、1个县，分别是鸡冠区" in page
    assert "梨树区、麻山区、虎林市" in page and "城子河区" not in page.split("规划范围")[1][:200]
    assert "第一阶段：2024－2025年，生态文明建设全面建设期。" in page
    assert "第一阶段目标（2024—2025年）" in page
