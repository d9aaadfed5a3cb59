"""`jixi-report report`: the annual report in three formats, from the real example data."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import pypdf
import pytest
from conftest import CONTENT, MINI, REPO, Broken
from outputs import docx_text, html_text, pdf_pages, pdf_text, squash, word_tables

from jixi_report.base.style import house_style
from jixi_report.cli import main
from jixi_report.content.model import Plan


@pytest.mark.parametrize("kind", ["docx", "pdf", "html"])
def test_all_rows_and_projects_in_every_format(report: Path, plan: Plan, kind: str) -> None:
    reader = {"docx": docx_text, "pdf": pdf_text, "html": html_text}[kind]
    text = squash(reader(report / f"report.{kind}"))
    for ind in plan.indicators:
        assert squash(ind.name) in text, (kind, ind.id)
    for p in plan.projects:
        assert squash(p.name) in text, (kind, p.no)
    for heading in (
        "一、总体情况",
        "二、建设指标完成情况",
        "三、重点任务进展",
        "四、重点工程实施情况",
        "五、保障措施落实情况",
        "六、存在问题",
        "七、下一步工作",
    ):
        assert heading in text
    assert "示例数据" in text


def test_docx_marks_example_data_on_every_page(report: Path) -> None:
    """In the banner role's colour, as the PDF prints it (it was black in Word)."""
    d = docx.Document(str(report / "report.docx"))
    red = house_style().roles["banner"].colour.lstrip("#").upper()
    assert red != "000000"
    for header in (d.sections[0].header, d.sections[0].even_page_header):
        assert header.paragraphs[0].text == "示例数据"
        assert str(header.paragraphs[0].style.font.color.rgb) == red
    assert all(s.header.is_linked_to_previous for s in d.sections[1:])
    notice = next(p for p in d.paragraphs if p.text.startswith("示例数据："))
    assert str(notice.style.font.color.rgb) == red
    # and the PDF's mark behind every page: its words and colour (templates/watermark.svg)
    svg = (REPO / "templates" / "watermark.svg").read_text(encoding="utf-8")
    fill = re.search(r'fill="(#[0-9a-f]{6})"', svg)
    assert fill
    for header in (d.sections[0].header, d.sections[0].even_page_header):
        xml = header._element.xml
        assert 'string="示例数据"' in xml and f'fillcolor="{fill[1]}"' in xml
        assert "rotation:325" in xml  # turned as the PDF's (rotate(-35))
    table = next(
        t
        for t in word_tables(d)
        if t.rows[0].cells[0].text == "序号" and "达标情况" in t.rows[0].cells[9].text
    )
    row22 = next(r for r in table.rows if r.cells[1].text == "绿色出行比例")
    assert [c.text for c in row22.cells[4:7]] == ["56.8", "63.5", "提高6.7个百分点"]
    assert row22.cells[9].text == "× 未达标"
    assert row22.cells[11].text == "市交通运输局"
    # a row judged on two rates states the change of the one that moved (it showed "—")
    row27 = next(r for r in table.rows if r.cells[1].text == "生态环境损害赔偿")
    assert [c.text for c in row27.cells[4:7]] == [
        "启动率100%，结案率85.7%",
        "启动率100%，结案率88.9%",
        "结案率提高3.2个百分点",
    ]
    assert len(d.inline_shapes) >= 5  # charts as PNG


def test_pdf_every_page_says_example(report: Path) -> None:
    assert all("示例数据" in page for page in pdf_pages(report / "report.pdf"))


def test_summary_paragraph_from_the_figures(report: Path, capsys) -> None:
    assert main(["assess", "--year", "2025", "--content", str(CONTENT), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    counts = data["summary"]["indicators"]["binding"]
    text = squash(docx_text(report / "report.docx"))
    parts = "、".join(
        f"{label}{counts[key]}项"
        for key, label in (("met", "达标"), ("not_met", "未达标"), ("no_data", "待填报"))
        if counts[key]
    )
    assert f"{counts['total']}项约束性指标中，{parts}" in text
    invested = data["summary"]["projects"]["invested"]
    assert f"{invested:,}" in text.replace(".0万元", "万元") or f"{invested:,.2f}" in text


def test_assess_json_rows_and_worked_cases(capsys) -> None:
    assert main(["assess", "--year", "2025", "--content", str(CONTENT), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {r["id"]: r for r in data["rows"]}
    assert len(rows) == 50 and sum(1 for r in data["rows"] if r["standard"]) == 45
    for key in (
        "id",
        "name",
        "unit",
        "value",
        "previous",
        "status",
        "target_status",
        "basis",
        "progress",
    ):
        assert key in rows["22"]
    assert rows["5.4"]["status"] == "not_applicable"
    assert rows["6.5"]["status"] == "met" and rows["6.5"]["target_status"] == "not_met"
    assert rows["13"]["status"] == "met" and rows["13"]["basis"] == "improving"
    assert rows["22"]["status"] == "not_met"
    assert rows["18"]["status"] == "no_data"
    assert (rows["22"]["lead"], rows["22"]["change"], rows["22"]["change_from_base"]) == (
        "市交通运输局",
        6.7,  # 63.5 − 56.8 (2024)
        14.1,  # 63.5 − 49.4 (2023)
    )
    assert rows["4.2"]["lead"] == "市生态环境局"  # its parent's
    assert rows["22"]["progress"]["on_pace"] is False  # 63.5 < 70, the 2025 point of its path


def test_year_outside_the_plan(tmp_path: Path, capsys) -> None:
    assert (
        main(["report", "--year", "2031", "--content", str(CONTENT), "--out", str(tmp_path)]) == 2
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["jixi-report: year 2031 is outside the plan period 2024–2030"]


def test_year_without_data_builds_pending_or_fails_strict(tmp_path: Path, capsys) -> None:
    args = [
        "report",
        "--year",
        "2026",
        "--content",
        str(MINI),
        "--out",
        str(tmp_path),
        "--format",
        "html",
    ]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "warning:" in err and "2026.yaml: no monitoring data for 2026" in err
    assert "待填报" in html_text(tmp_path / "2026" / "report.html")
    assert main([*args, "--strict"]) == 1
    assert "2026.yaml: no monitoring data for this year (--strict)" in capsys.readouterr().err


def test_new_year_skeleton(tmp_path: Path, capsys) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    assert main(["new-year", "2026", "--content", str(content)]) == 0
    written = content / "monitoring" / "2026.yaml"
    text = written.read_text(encoding="utf-8")
    for ident in ('"1.1"', '"2"', '"3"', '"R2"'):
        assert f"  {ident}:" in text
    assert "单位 μg/m3" in text and "2027年目标 ≤30" in text
    assert main(["check", "--content", str(content)]) == 0
    before = written.read_bytes()
    assert main(["new-year", "2026", "--content", str(content)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert written.read_bytes() == before


BAD = [
    ('"2": 41.5', '"9": 41.5', "indicators.9", "unknown indicator id '9'"),
    ('"2": 41.5', '"2": 很高', "indicators.2.value", "expected a number"),
    ('"4": 完善', '"4": 3', "indicators.4.value", "expected the state reached"),
    ('"R1": 61', '"R1": 161', "indicators.R1.value", "within 0–100, got 161"),
    ('"R1": 61', '"R1": .nan', "indicators.R1.value", "NaN and infinite values are not allowed"),
    ("year: 2024", "year: 2025", "year", "differs from the file name 2024.yaml"),
    ("  2: {status: 在建", "  7: {status: 在建", "projects[7]", "unknown project number 7"),
    ("  2: {status: 在建", "  2: {status: 施工中", "projects[2].status", "'施工中'"),
    ("tasks:\n  一、", "tasks:\n  七、", "tasks.七、", "no area '七、'"),
    ("data_status: official", "data_status: final", "data_status", "'final'"),
]


@pytest.mark.parametrize(("old", "new", "field", "message"), BAD, ids=[b[2] for b in BAD])
def test_bad_monitoring(
    broken: Broken, capsys, old: str, new: str, field: str, message: str
) -> None:
    line = broken.replace("monitoring/2024.yaml", old, new) + old.count("\n")
    code, lines = broken.check(capsys)
    assert code == 1
    assert any(
        f"2024.yaml:{line}:" in ln and f" {field}: " in ln and message in ln for ln in lines
    ), lines


def test_docx_pictures_are_not_clipped(report: Path) -> None:
    """A picture in a paragraph with an exact line height shows as a one-line strip."""
    from docx.enum.text import WD_LINE_SPACING

    d = docx.Document(str(report / "report.docx"))
    holders = [p for p in d.paragraphs if p._p.xpath(".//w:drawing")]
    assert len(holders) == len(d.inline_shapes) >= 5
    assert all(p.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE for p in holders)
    for shape in d.inline_shapes:
        section_width = max(s.page_width - s.left_margin - s.right_margin for s in d.sections)
        assert shape.width <= section_width


def test_docx_ends_without_a_blank_page(report: Path) -> None:
    """No empty section is opened after the last annex: the last section holds text."""
    d = docx.Document(str(report / "report.docx"))
    body = list(d.element.body)
    breaks = [i for i, el in enumerate(body) if el.xpath("./w:pPr/w:sectPr")]
    last_section = body[breaks[-1] + 1 : -1]  # after the last section break, before sectPr
    assert "".join(el.xpath("string(.)") for el in last_section).strip()
    assert body[-2].xpath("string(.)").strip()  # and it ends with text, not an empty paragraph


def test_projects_past_their_last_year_are_marked_overdue(report: Path, capsys) -> None:
    """9, 26 and 30 end in 2025 and are still 在建 at its end: the table and the JSON say so."""
    assert main(["assess", "--year", "2025", "--content", str(CONTENT), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["projects"]["overdue"] == [9, 26, 30]
    d = docx.Document(str(report / "report.docx"))
    table = next(t for t in word_tables(d) if t.rows[0].cells[5].text == "实施状态")
    states = {r.cells[0].text: r.cells[5].text for r in table.rows[1:]}
    assert [n for n, s in states.items() if s.endswith("（逾期）")] == ["9", "26", "30"]
    assert states["9"] == "在建（逾期）" and states["5"] == "完工"


@pytest.mark.parametrize("kind", ["docx", "pdf", "html"])
def test_one_row_numbering_in_every_format(report: Path, kind: str) -> None:
    """Reference rows are 参1–参5 and sub-rows 4.1 … in the text, Table 1 and the annexes
    alike; the data's ids R1–R5 never show."""
    reader = {"docx": docx_text, "pdf": pdf_text, "html": html_text}[kind]
    text = squash(reader(report / f"report.{kind}"))
    assert not re.search(r"R[1-5](?![0-9])", text)
    assert "参3危险废物填埋处置量占比" in text  # 未达到指标值的指标 names it so


def test_the_report_is_authored_by_who_signs_it(report: Path, plan: Plan) -> None:
    """The Word and PDF document properties name the report's issuer (its 落款: the compiling
    unit), not the plan's issuer (the city government)."""
    signer = plan.meta.compiler
    assert signer and signer != plan.meta.issuer
    assert docx.Document(str(report / "report.docx")).core_properties.author == signer
    assert pypdf.PdfReader(str(report / "report.pdf")).metadata.author == signer


def test_a_unit_is_the_same_in_every_table_of_the_report(report: Path) -> None:
    """Table 2 (the rows without a trend) prints each indicator's unit as Table 1 does: it
    printed none for 5.2, 5.3, 6.2 and 6.3 where Table 1 printed “%”."""
    d = docx.Document(str(report / "report.docx"))
    units: dict[str, set[str]] = {}
    checked = 0
    for table in word_tables(d):
        head = [c.text for c in table.rows[0].cells]
        if "序号" not in head or "单位" not in head:
            continue
        checked += 1
        at, unit = head.index("序号"), head.index("单位")
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            if cells[at] != "序号":  # a continuation's repeated header row
                units.setdefault(cells[at], set()).add(cells[unit])
    assert checked >= 2
    assert units["5.2"] == {"%"}
    assert not {label: u for label, u in units.items() if len(u) > 1}
