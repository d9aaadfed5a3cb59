"""The report's own sentences, read back from the Word file and the PDF: 总体情况 and 存在问题
state counts, names and changes that Table 1 and the project table bear out (issue #8).

The expected figures are the example data's, worked out by hand from content/monitoring/; the
tracing tests read the statuses from the Word file's own tables, not from the engine.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from conftest import CONTENT, epoch
from outputs import docx_text, html_text, pdf_text, squash, word_tables

from jixi_report.cli import main


def pdf_body(path: Path) -> str:
    """The PDF's text without the 示例数据 header each page repeats mid-sentence."""
    return pdf_text(path).replace("示例数据", "")


READERS = {"docx": docx_text, "pdf": pdf_body}
# a row's number as the text names it (14, 6.5, 参4), a no-break space before the name
LABEL = r"(参?\d+(?:\.\d+)?)\u00a0"


@pytest.fixture(scope="module")
def report2024(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report2024")
    with epoch():
        args = ["report", "--year", "2024", "--content", str(CONTENT), "--out", str(out)]
        args += ["--format", "docx,pdf"]
        assert main(args) == 0
    return out / "2024"


def section(text: str, title: str, following: str) -> str:
    """The body of a numbered section (after the contents, which lists the same titles)."""
    start = text.index(title, text.index(following) + len(following)) + len(title)
    return text[start : text.index(following, start)]


def table_rows(path: Path, first_header: str, header: str) -> dict[str, list[str]]:
    """The rows of the Word table whose header has `header`, keyed by their first cell."""
    d = docx.Document(str(path))
    for t in word_tables(d):
        head = [c.text for c in t.rows[0].cells]
        if head[0] == first_header and header in head:
            return {r.cells[0].text: [c.text for c in r.cells] for r in t.rows[1:]}
    raise AssertionError(f"no table with {header}")


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_overview_2025_states_what_it_measures_against(report: Path, kind: str) -> None:
    text = squash(READERS[kind](report / f"report.{kind}"))
    overview = section(text, "一、总体情况", "二、建设指标完成情况")
    expected = [
        "对照规划表1确定的指标值（建设标准），27项约束性指标中，达标24项、未达标2项、待填报1项；"
        "5项参考性指标中，达标3项、未达标1项、待填报1项。",
        "未达到指标值的约束性指标为14单位地区生产总值能耗降低率、22绿色出行比例。",
        "对照2025年目标值，27项约束性指标中，达标23项、未达标3项、待填报1项。",
        "其中，6城乡环境治理（6.5声环境功能区夜间达标率）达到指标值，但未达到2025年目标值。",
        "18一般工业固体废物综合利用率、参4绿色食品、有机农产品种植面积尚未填报2025年数据。",
        "31项重点工程中，前期1项、在建13项、完工17项；累计完成投资840,413万元，"
        "占估算总投资1,004,117.06万元的83.7%；3项逾期未完工（见表4）。",
    ]
    for sentence in expected:
        assert squash(sentence) in overview, sentence
    assert "数据状态" not in overview  # the data's status is the banner's and the annex's
    # the investment's pace is 四's detail, not repeated word for word in 一 (it was)
    pace = squash(
        "按各项目建设年限均衡推进测算，截至2025年底应完成投资923,430万元，实际完成投资为应完成额的91.0%。"
    )
    projects = section(text, "四、重点工程实施情况", "五、保障措施落实情况")
    assert pace not in overview and squash(expected[-1]) + pace in projects


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_changes_in_standard_wording(report: Path, kind: str) -> None:
    text = squash(READERS[kind](report / f"report.{kind}"))
    for said in (
        "22绿色出行比例63.5%，较上年提高6.7个百分点，较2023年提高14.1个百分点，未达到指标值",
        "4.2PM2.5浓度25μg/m3，较上年下降3.8%，较2023年下降10.7%",  # 26 → 25; 28 → 25
        "6.5声环境功能区夜间达标率95%，较上年下降5个百分点",  # a percentage under Table 1's “-”
        "25生态环境信息公开率100%，与上年和2023年持平",
        # a row judged on its change states the change, not a change of it
        "7.1生态质量指数（EQI）的变化值（△EQI）为-0.4，达到指标值和2025年目标值",
        "27生态环境损害赔偿案件线索启动率100%、案件结案率88.9%，达到指标值",
    ):
        assert said in text, said


def test_overview_names_are_table_1_rows_with_that_status(report: Path) -> None:
    """Every row 总体情况 names as missing the standard, the target or its data is so marked in
    Table 1 of the same Word file, and every row Table 1 marks so is named."""
    path = report / "report.docx"
    overview = section(docx_text(path), "一、总体情况", "二、建设指标完成情况")
    rows = table_rows(path, "序号", "达标情况")
    status_col, target_col = 9, 10
    not_met = re.search("未达到指标值的约束性指标为(.*?)。", overview)
    assert not_met
    named = set(re.findall(LABEL, not_met[1]))
    marked = {k for k, r in rows.items() if r[status_col] == "× 未达标" and not k.startswith("参")}
    assert named == marked == {"14", "22"}
    short = re.search("其中，(.*?)达到指标值，但未达到2025年目标值", overview)
    assert short
    for label in re.findall(LABEL, short[1]):
        assert rows[label][status_col] == "√ 达标"
        assert rows[label][target_col] == "× 未达标"
    pending = re.search("。([^。]*?)尚未填报2025年数据", overview)
    assert pending
    for label in re.findall(LABEL, pending[1]):
        assert rows[label][status_col] == "○ 待填报"


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_problems_2025_drafted_from_the_data_then_the_office_text(report: Path, kind: str) -> None:
    text = squash(READERS[kind](report / f"report.{kind}"))
    problems = section(text, "六、存在问题", "七、下一步工作")
    items = re.findall(r"（([一二三四五六七八九十]+)）", problems)
    assert items == ["一", "二", "三", "四", "五", "六"]
    for said in (
        "（一）2项约束性指标未达到指标值。14单位地区生产总值能耗降低率2.1%",
        "22绿色出行比例63.5%，指标值为≥70%（牵头单位：市交通运输局）",
        "（二）1项约束性指标达到指标值但未达到2025年目标值。6.5声环境功能区夜间达标率95%，"
        "2025年目标值为100%（牵头单位：市生态环境局）",
        "（三）3项重点工程逾期未完工。9号",
        "（四）重点工程投资进度滞后于建设年限。",
        "（五）2项指标数据不完整。18一般工业固体废物综合利用率、参4绿色食品、有机农产品种植面积"
        "尚未报送2025年数据（牵头单位：市工业和信息化局、市农业农村局）",
        "（六）节能降碳任务依然艰巨。",  # the office's own item follows the drafted ones
    ):
        assert squash(said) in problems, said
    steps = section(text, "七、下一步工作", "附件1")
    # 18 and 参4 reported in 2024: what they lack is this year's figure, not last year's
    assert "补报18一般工业固体废物综合利用率、参4绿色食品、有机农产品种植面积的2025年数值" in steps
    assert "上年数值" not in steps


def test_overdue_projects_named_are_those_the_table_marks(report: Path) -> None:
    path = report / "report.docx"
    problems = section(docx_text(path), "六、存在问题", "七、下一步工作")
    item = re.search("逾期未完工。(.*?)。", problems)
    assert item
    named = set(re.findall(r"(\d+)号", item[1]))
    rows = table_rows(path, "序号", "实施状态")
    marked = {k for k, r in rows.items() if "逾期" in r[5]}
    assert named == marked == {"9", "26", "30"}


def test_milestone_year_states_the_terms_goal_and_verdict(report: Path) -> None:
    text = squash(docx_text(report / "report.docx"))
    assert (
        squash(
            "2025年是规划近期（2024—2025年，生态文明建设全面建设期）的最后一年。"
            "规划确定的近期目标是“争取于2025年建成生态文明建设示范区”。"
        )
        in text
    )
    assert (
        squash(
            "6 城乡环境治理（6.5 声环境功能区夜间达标率）、14 单位地区生产总值能耗降低率、"
            "22 绿色出行比例未达到2025年目标值，近期目标尚未全面实现。"
        )
        in text
    )


def test_other_years_state_the_milestone_pace(report2024: Path) -> None:
    text = squash(docx_text(report2024 / "report.docx"))
    # 22: 49.4 (2023) → 70 (2025) asks for 59.7 in 2024; 56.8 was reported.
    assert "2024年是规划近期（2024—2025年，生态文明建设全面建设期）的第1年。" in text
    assert "滞后于序时进度的指标为22绿色出行比例。" in text
    overview = section(text, "一、总体情况", "二、建设指标完成情况")
    assert "达标22项、未达标3项、无法判定2项" in overview
    assert (
        "8.1森林覆盖率、8.2草原综合植被盖度、18一般工业固体废物综合利用率、参3危险废物填埋处置量"
        "占比、参4绿色食品、有机农产品种植面积有本年度数值，但缺少比较基数，无法判定"
    ) in overview


def test_signed_and_dated_from_the_content(report: Path) -> None:
    d = docx.Document(str(report / "report.docx"))
    signature = [p.text for p in d.paragraphs if p.style.name == "落款"]
    # plan.yaml's compiler and 2025.yaml's date, GB/T 9704 §7.3.5.1 on a 28-character line:
    # the issuer (8 characters) two from the right, the date two right of the issuer's start
    assert signature == ["\u3000" * 18 + "鸡西市生态环境局", "\u3000" * 20 + "2026年3月31日"]
    texts = [p.text for p in d.paragraphs]
    at = texts.index(signature[0])
    assert texts[at - 5 : at] == [
        "\u3000",  # a blank line after the text
        "附件：1.2025年建设指标评估明细",
        "\u3000" * 3 + "2.2025年重点工程进展明细",
        "\u3000" * 3 + "3.评估依据、方法与数据来源",
        "\u3000",  # and before the 落款
    ]
    cover = [p.text for p in d.paragraphs[:8]]
    assert "2026年3月31日" in cover
    assert "2026年3月31日" in pdf_text(report / "report.pdf")[:400]


def test_sources_and_lead_units_in_the_annex(report: Path) -> None:
    rows = table_rows(report / "report.docx", "序号", "证明材料")
    assert rows["4.1"][3:6] == [
        "市生态环境局（国控空气质量监测站点）",
        "《2025年鸡西市生态环境状况公报》",
        "市生态环境局",
    ]
    assert rows["18"][2:4] == ["待填报", "待填报"]
    assert rows["4.2"][5] == "市生态环境局"  # a sub-row takes its parent's lead unit


def test_office_text_replaces_the_drafted_items(broken, tmp_path: Path) -> None:
    broken.replace("monitoring/2025.yaml", "problems: [", "own_text: replaces\nproblems: [")
    args = ["report", "--year", "2025", "--content", str(broken.root), "--out", str(tmp_path)]
    with epoch():
        assert main([*args, "--format", "html"]) == 0
    text = squash(html_text(tmp_path / "2025" / "report.html"))
    # the fictional plan names no 保障措施 chapter: no such section, 存在问题 is 五、
    problems = section(text, "五、存在问题", "六、下一步工作")
    assert problems == "（一）森林覆盖率较上年下降1.0个百分点，低于保持稳定的要求。"


def test_missing_report_date_is_blank_or_an_error_with_strict(broken, tmp_path, capsys) -> None:
    args = ["report", "--year", "2025", "--content", str(broken.root), "--out", str(tmp_path)]
    with epoch():  # the build's clock says 2023-11-14: it must not reach the page
        assert main([*args, "--format", "html"]) == 0
    err = capsys.readouterr().err
    assert "monitoring/2025.yaml: date: no date for the report: left blank" in err
    text = squash(html_text(tmp_path / "2025" / "report.html"))
    assert text.count("____年__月__日") == 2  # the cover and the 落款
    assert "2023年11月" not in text
    report = tmp_path / "2025" / "report.html"
    before = report.read_bytes()
    assert main([*args, "--format", "html", "--strict"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].endswith("monitoring/2025.yaml: date: no date for the report: left blank")
    assert err[1:] == ["1 problem in the content; nothing was written."]
    assert report.read_bytes() == before  # the last good output stays


def test_items_are_headed_in_their_level_s_face(report: Path) -> None:
    """存在问题 and 下一步工作 number their items （一）…: each item's heading, run into its
    paragraph, is set as the report's other （一） headings are (楷体, GB/T 9704 §7.3.3), in
    the PDF and in Word; it was bold 仿宋 there and 楷体 everywhere else."""
    from jixi_report.base.style import house_style

    face = house_style().roles["heading3"].font
    lead = "（一）2项约束性指标未达到指标值。"
    assert _faces(report / "report.pdf", lead) == {face.pdf.replace(" ", "")}
    document = docx.Document(str(report / "report.docx"))
    paragraph = next(p for p in document.paragraphs if p.text.startswith(lead))
    head, body = paragraph.runs[0], paragraph.runs[1]
    assert head.text == lead and not head.bold
    assert head._r.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == face.word
    assert body.text.startswith("14")  # the item's text keeps the paragraph's face
    assert body._r.rPr is None or body._r.rPr.rFonts is None


def _faces(pdf: Path, text: str) -> set[str]:
    """The fonts (BaseFont, subset tag and hyphens dropped) that draw `text` on the page
    where it is printed, as the PDF's text operators show it piece by piece."""
    import pypdf

    for page in pypdf.PdfReader(pdf).pages:
        pieces: list[tuple[str, str]] = []

        def seen(part: str, _cm: object, _tm: object, font: object, _size: object, into=pieces):
            name = str((font or {}).get("/BaseFont", ""))  # type: ignore[union-attr]
            into.append((part, name.split("+")[-1].lstrip("/").replace("-", "")))

        page.extract_text(visitor_text=seen)
        joined = "".join(p for p, _ in pieces)
        at = joined.find(text)
        if at < 0:
            continue
        faces, position = set(), 0
        for part, name in pieces:
            if position < at + len(text) and position + len(part) > at and part.strip():
                faces.add(name)
            position += len(part)
        return faces
    return set()


def test_total_rows_in_the_header_face_in_pdf_and_word(report: Path) -> None:
    """A 合计 row is set in the face of the table's header (黑体), in the PDF and in Word alike;
    Word set it in bold 仿宋."""
    from jixi_report.base.style import house_style

    roles = house_style().roles
    assert _faces(report / "report.pdf", "合计") == {roles["table_head"].font.pdf.replace(" ", "")}
    document = docx.Document(str(report / "report.docx"))
    heads = {roles["table_head"].style, roles["table_small_head"].style}
    totals = [row for t in word_tables(document) for row in t.rows if row.cells[0].text == "合计"]
    assert len(totals) >= 3  # Tables 3, 4 and 5
    for row in totals:
        for cell in row.cells:
            for p in cell.paragraphs:
                assert p.style.name in heads and not any(r.bold for r in p.runs), p.text
