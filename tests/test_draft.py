"""Revised drafts: the marked draft, the 修编说明 and Word tracked changes, read back."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import MINI, REPO
from docx.oxml.ns import qn
from lxml import etree
from outputs import docx_text, html_text, libreoffice, pdf_text, word_tables

from jixi_report.base.textdiff import char_diff
from jixi_report.cli import main
from jixi_report.compose.changes import excerpt, indicator_changes
from jixi_report.content.load import load

VALIDATE = REPO.parent / "shared" / "tools" / "validate-docx"
NEW_PROJECT = """  - no: 2
    category: 生态安全工程
    name: 南山县矿山生态修复工程
    content: 修复历史遗留矿山图斑12处，面积80公顷。
    period: 2025-2027
    investment: 4500
    lead: 市自然资源局
    division: 南山县
"""
REVISION = """date: "2026-11-20"
author: 青川市生态环境局
notes:
  "表1 青川市建设指标体系 1.1 远期规划值（2027年）": 按省级下达的考核目标收紧。
comments:
  - {unit: 市发展和改革委员会, comment: 建议补充矿山生态修复项目。, decision: 采纳}
"""


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def revise(root: Path) -> None:
    """A target tightened, a sentence lengthened, a project re-costed, one removed, one added."""
    _edit(
        root / "indicators.yaml",
        '"2027": {text: ≤30, rule: {max: 30}}',
        '"2027": {text: ≤28, rule: {max: 28}}',
    )
    _edit(
        root / "chapters" / "01-general.yaml",
        "至{{ period_end }}年。",
        "至{{ period_end }}年，展望至2035年。",
    )
    projects = root / "projects.yaml"
    text = projects.read_text(encoding="utf-8")
    text = text[: text.index("  - no: 1")] + text[text.index("  - no: 2") :]  # project 1 removed
    text = text.replace("  - no: 2", "  - no: 1").replace("investment: 30000", "investment: 32000")
    projects.write_text(text + NEW_PROJECT, encoding="utf-8")
    for year in root.glob("monitoring/*.yaml"):  # the monitoring data follows the renumbering
        lines = year.read_text(encoding="utf-8").splitlines(keepends=True)
        lines = [ln for ln in lines if not ln.startswith("  1: {status:")]
        year.write_text("".join(lines).replace("  2: {status:", "  1: {status:"), encoding="utf-8")
    (root / "revision.yaml").write_text(REVISION, encoding="utf-8")


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fictional plan revised, built as a 征求意见稿 against its base."""
    tmp = tmp_path_factory.mktemp("draft")
    shutil.copytree(MINI, tmp / "content")
    revise(tmp / "content")
    args = ["plan", "--content", str(tmp / "content"), "--out", str(tmp / "out")]
    assert main([*args, "--draft", "征求意见稿", "--base", str(MINI)]) == 0
    clean = ["plan", "--content", str(tmp / "content"), "--out", str(tmp / "clean")]
    assert main([*clean, "--draft", "征求意见稿", "--format", "docx"]) == 0
    return tmp


def _rows(path: Path, caption: str) -> list[list[str]]:
    """The body rows of the table captioned `caption` in a .docx, as cell texts."""
    d = docx.Document(str(path))
    captions = [p for p in d.paragraphs if re.fullmatch(rf"表\d+ {caption}", p.text)]
    assert captions, caption
    body = d.element.body
    after = list(body).index(captions[0]._p) + 1
    table = next(t for t in word_tables(d) if t._tbl is body[after])
    return [[_unstruck(c) for c in row.cells] for row in table.rows[1:]]


def _unstruck(cell) -> str:
    """A cell's text without what it shows struck through (the deleted part of 修订后)."""
    return "\n".join("".join(r.text for r in p.runs if not r.font.strike) for p in cell.paragraphs)


def test_the_comparison_table_lists_exactly_the_edits(drafted: Path) -> None:
    rows = _rows(drafted / "out" / "plan" / "changes.docx", "修订对照表")
    places = [r[1] for r in rows]
    assert places == [
        "第一章 总则 › 一、规划期限 第1段",
        "表1 青川市建设指标体系 1.1 远期规划值（2027年）",
        "附件 重点工程 北湖区污水处理厂提标改造",
        "附件 重点工程 南山县50MW风电项目 估算总投资（万元）",
        "附件 重点工程 南山县矿山生态修复工程",
    ]
    target = rows[1]
    assert target[2:] == ["≤30", "≤28", "按省级下达的考核目标收紧。"]  # old, new, the note
    assert rows[3][2:4] == ["30,000.0", "32,000"]  # 1,234.5 above it: one decimal a column
    d = docx.Document(str(drafted / "out" / "plan" / "changes.docx"))
    marked = [(r.text, r.font.strike, r.font.underline) for p in d.paragraphs for r in p.runs]
    marked += [
        (r.text, r.font.strike, r.font.underline)
        for t in word_tables(d)
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    ]
    assert ("30", True, None) in marked and ("28", None, True) in marked  # shown, not tracked


def test_derived_changes_are_listed_apart(drafted: Path) -> None:
    rows = _rows(drafted / "out" / "plan" / "changes.docx", "数据联动变化表")
    places = [r[1] for r in rows]
    assert "第一章 总则 › 二、建设指标 › （一）重点工程 第1段" in places  # 总投资约3.65亿元
    assert "表2 重点工程概况 合计 估算总投资（万元）" in places
    assert "附件 重点工程 南山县50MW风电项目 序号" in places  # renumbered by the removal
    paragraph = rows[places.index("第一章 总则 › 二、建设指标 › （一）重点工程 第1段")]
    assert "3.12亿元" in paragraph[2] and "3.65亿元" in paragraph[3]
    assert all("表1" not in p for p in places)  # Table 1's edit is an edit, not derived


def test_adjustment_tables_from_the_data(drafted: Path) -> None:
    path = drafted / "out" / "plan" / "changes.docx"
    assert _rows(path, "指标调整表") == [
        ["1.1", "细颗粒物浓度", "远期规划值（2027年）调整", "≤30", "≤28"]
    ]
    assert _rows(path, "工程调整表") == [
        ["南山县50MW风电项目", "投资调整", "30,000", "32,000", "+2,000"],
        ["南山县矿山生态修复工程", "新增项目", "—", "生态安全工程，4,500", "+4,500"],
        ["北湖区污水处理厂提标改造", "删除项目", "生态安全工程，1,234.5", "—", "-1,234.5"],
    ]
    assert _rows(path, "征求意见采纳情况表") == [
        ["1", "市发展和改革委员会", "建议补充矿山生态修复项目。", "采纳", ""]
    ]


def test_a_unit_given_to_a_row_is_an_adjusted_indicator(tmp_path: Path) -> None:
    """A row whose 单位 changes (the real plan's 5.2 given the % its merged cell meant) is an
    indicator adjusted: the 修编说明 counts it and lists it, not only its cell in the
    comparison table."""
    shutil.copytree(MINI, tmp_path / "content")
    _edit(tmp_path / "content" / "indicators.yaml", "    unit: μg/m3\n", "    unit: mg/m3\n")
    assert indicator_changes(load(MINI), load(tmp_path / "content")) == [
        ["1.1", "细颗粒物浓度", "单位调整", "μg/m3", "mg/m3"]
    ]


def _accepted(path: Path, keep: str = "ins", drop: str = "del") -> str:
    """The document's text with every revision of one kind accepted: `keep` stays, `drop` goes."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    for element in root.iter(qn(f"w:{drop}")):
        parent = element.getparent()
        if parent.tag == qn("w:rPr"):  # a paragraph mark: the paragraph itself goes
            continue
        if parent.tag == qn("w:trPr"):  # a whole row
            tr = parent.getparent()
            tr.getparent().remove(tr)
        else:
            parent.remove(element)
    texts = [t.text or "" for t in root.iter(qn("w:t"))]
    return "".join(texts)


def test_word_carries_the_changes_as_revisions(drafted: Path) -> None:
    path = drafted / "out" / "plan" / "plan.docx"
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    ins, dels = list(root.iter(qn("w:ins"))), list(root.iter(qn("w:del")))
    assert ins and dels
    assert {e.get(qn("w:author")) for e in ins + dels} == {"青川市生态环境局"}
    assert {e.get(qn("w:date")) for e in ins + dels} == {"2026-11-20T00:00:00Z"}
    rows = [e.getparent().tag for e in ins + dels]
    assert rows.count(qn("w:trPr")) == 2  # one project row added, one removed
    deleted = "".join(t.text for t in root.iter(qn("w:delText")))
    assert "北湖区污水处理厂提标改造" in deleted and "≤30" not in _accepted(path).replace(
        "≤30或", ""
    )
    clean = docx_text(drafted / "clean" / "plan" / "plan.docx")
    assert _accepted(path) == clean  # accept all: exactly the new draft
    settings = zipfile.ZipFile(path).read("word/settings.xml")
    assert b"<w:trackRevisions/>" in settings  # a reviewer's own edits are tracked too


@pytest.mark.skipif(not VALIDATE.exists(), reason="the ECMA-376 validator is not beside the repo")
def test_word_files_are_valid_wordprocessingml(drafted: Path) -> None:
    files = [str(drafted / "out" / "plan" / f"{n}.docx") for n in ("plan", "changes")]
    done = subprocess.run([str(VALIDATE), *files], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_reads_tracked_changes(drafted: Path, tmp_path: Path) -> None:
    """LibreOffice keeps the revisions apart from the text: its text without them is the draft."""
    libreoffice("odt", tmp_path, drafted / "out" / "plan" / "plan.docx", timeout=180)
    content = etree.fromstring(zipfile.ZipFile(tmp_path / "plan.odt").read("content.xml"))
    ns = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
    regions = content.findall(".//text:tracked-changes/text:changed-region", ns)
    kinds = {child.tag.rsplit("}", 1)[1] for r in regions for child in r}
    assert {"insertion", "deletion"} <= kinds
    for tracked in content.findall(".//text:tracked-changes", ns):
        tracked.getparent().remove(tracked)
    accepted = re.sub(r"\s+", "", "".join(content.itertext()))
    assert "展望至2035年" in accepted and "南山县矿山生态修复工程" in accepted
    assert "北湖区污水处理厂提标改造" not in accepted


def test_pdf_and_html_are_the_clean_draft_unless_asked(drafted: Path, tmp_path: Path) -> None:
    html = (drafted / "out" / "plan" / "plan.html").read_text(encoding="utf-8")
    assert "<ins>" not in html and "<del>" not in html and "展望至2035年" in html
    text = pdf_text(drafted / "out" / "plan" / "plan.pdf")
    assert "征求意见稿2026年11月20日" in text and "北湖区污水处理厂提标改造" not in text
    args = ["plan", "--content", str(drafted / "content"), "--out", str(tmp_path)]
    assert (
        main(
            [
                *args,
                "--draft",
                "征求意见稿",
                "--base",
                str(MINI),
                "--show-changes",
                "--format",
                "html",
            ]
        )
        == 0
    )
    shown = (tmp_path / "plan" / "plan.html").read_text(encoding="utf-8")
    assert "<del>30</del><ins>28</ins>" in shown and '<tr class="del">' in shown


def test_no_difference_is_one_line_not_an_error(tmp_path: Path, capsys) -> None:
    args = ["plan", "--content", str(MINI), "--out", str(tmp_path), "--format", "html"]
    assert main([*args, "--draft", "送审稿", "--base", str(MINI)]) == 0
    err = capsys.readouterr().err
    assert "no difference from the base" in err
    assert sorted(p.name for p in (tmp_path / "plan").iterdir()) == ["plan.html"]
    assert "（送审稿）" in html_text(tmp_path / "plan" / "plan.html")


def test_a_base_with_errors_is_labelled(tmp_path: Path, capsys) -> None:
    base = tmp_path / "base"
    shutil.copytree(MINI, base)
    _edit(base / "projects.yaml", "investment: 30000", "investment: 约3亿")
    args = ["plan", "--content", str(MINI), "--out", str(tmp_path / "out"), "--format", "html"]
    assert main([*args, "--draft", "征求意见稿", "--base", str(base)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[0].startswith("base: ") and "projects[1].investment: expected a number" in lines[0]
    assert not (tmp_path / "out" / "plan").exists()  # nothing written


def test_make_draft_takes_the_base_from_git(tmp_path: Path) -> None:
    """scripts/draft.sh (make draft BASE=HEAD~1) on a clone whose last commit changed content."""
    repo = tmp_path / "repo"
    shutil.copytree(MINI, repo / "content")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "."], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "base"], check=True)
    revise(repo / "content")
    subprocess.run([*git, "-C", str(repo), "commit", "-qam", "revised"], check=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "JR": f"{sys.executable} -m jixi_report.cli",
        "PYTHONPATH": str(REPO),
        "JIXI_SERVER": "0",  # as every test's command: no resident server outlives the run
    }
    done = subprocess.run(
        ["sh", str(REPO / "scripts" / "draft.sh"), "HEAD~1", "送审稿", "--format", "html"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "（送审稿）" in html_text(repo / "build" / "plan" / "plan.html")
    assert "≤28" in html_text(repo / "build" / "plan" / "changes.html")


def test_a_long_paragraph_is_quoted_by_its_changed_sentence() -> None:
    old = "第一句讲目标责任与生态安全，说明建设背景与意义。" * 3 + "总投资约100.41亿元。末句不变。"
    parts = excerpt(char_diff(old, old.replace("100.41", "100.42")))
    assert parts == [
        ("=", "……"),
        ("=", "总投资约"),
        ("-", "100.41"),
        ("+", "100.42"),
        ("=", "亿元。"),
        ("=", "……"),
    ]
    short = char_diff("规划期至2027年。", "规划期至2030年。")
    assert excerpt(short) == short


def test_the_overview_says_what_moved_and_what_did_not(drafted: Path) -> None:
    """The 修编概况 names each total that moved from what to what, and what did not move as what
    it still is (it read “重点工程由2项调整为2项” of a project removed and another added, and
    “…45行均未调整” beside rows adjusted)."""
    text = docx_text(drafted / "out" / "plan" / "changes.docx")
    assert re.search(r"估算总投资由[\d,.]+万元调整为[\d,.]+万元（[+-][\d,.]+万元）", text)
    assert re.search(r"重点工程仍为\d+项、建设指标体系仍为\d+行。", text)
    assert not re.search(r"由(\d+)项调整为\1项", text)


def test_the_changes_cover_holds_its_title_and_date(drafted: Path) -> None:
    """The 修编说明's cover is one page: its title (the period and 修编说明 on one line), the
    stage, the issuer and the date; the text starts on the next page."""
    from outputs import pdf_pages

    pages = [re.sub(r"\s+", "", p) for p in pdf_pages(drafted / "out" / "plan" / "changes.pdf")]
    cover, first = pages[0], pages[1]
    assert "年）修编说明（征求意见稿）" in cover
    date = re.findall(r"\d{4}年\d{1,2}月\d{1,2}日|_+年_+月_+日", cover)
    assert len(date) == 2 and cover.endswith(date[0] + "征求意见稿" + date[1])  # then the header
    assert first.startswith("一、修编概况")
