"""Word's pages as the PDF's: tables cut where the PDF cuts them (续表N, header rows, merged
cells restarted), read back with python-docx and through LibreOffice's layout of the .docx; the
版记's page and the blank page before it without a number (GB/T 9704-2012 §7.5)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import MiniBuild
from docx.oxml.ns import qn
from outputs import squash
from test_charts import svg_texts
from test_print_layout import FOOTER_NUMBER, _fills, _imprint_place, page_texts

CONTINUED = re.compile(r"^续附?表")
_TOP = re.compile(r"^(续?附?表|图|附件|[一二三四五六七八九十]+、|第.章)")


def _lines(page: str) -> list[str]:
    """A page's text lines without the page number and the 示例数据 line."""
    out = []
    for line in page.splitlines():
        text = squash(FOOTER_NUMBER.sub("", line)).replace("示例数据", "")
        if text and not set(text) <= set("示例数据"):  # the watermark, read apart
            out.append(text)
    return out


def _word_continued(path: Path) -> list[tuple[str, object]]:
    """Each 续表 caption of the Word file and the table that follows it."""
    d = docx.Document(str(path))
    body = list(d.element.body)
    found = []
    for n, element in enumerate(body):
        if element.tag != qn("w:p"):
            continue
        text = "".join(t.text or "" for t in element.iter(qn("w:t")))
        if CONTINUED.match(text):
            assert body[n + 1].tag == qn("w:tbl"), text
            found.append((element, body[n + 1]))
    return found


def _text(element) -> str:
    return squash("".join(t.text or "" for t in element.iter(qn("w:t"))))


def _pdf_continued(pdf: Path) -> list[str]:
    """The 续表 captions of the PDF, a page each, in order."""
    return [
        lines[0] for lines in map(_lines, page_texts(pdf)) if lines and CONTINUED.match(lines[0])
    ]


@pytest.mark.parametrize("which", ["plan", "report"])
def test_word_continues_tables_where_the_pdf_does(which: str, built: Path, report: Path) -> None:
    """Word has the PDF's 续表 captions, in the same order; each starts a new page and is
    followed by a table that repeats the header rows."""
    folder = built if which == "plan" else report
    word = _word_continued(folder / f"{which}.docx")
    pdf = _pdf_continued(folder / f"{which}.pdf")
    assert len(pdf) >= 10  # not vacuous: both documents have many
    assert [_text(p) for p, _ in word] == pdf
    for caption, table in word:
        assert caption.find(qn("w:pPr")).find(qn("w:pageBreakBefore")) is not None
        rows = table.findall(qn("w:tr"))
        heads = [r for r in rows if r.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None]
        assert heads and rows[: len(heads)] == heads and len(rows) > len(heads)


def test_word_continuation_restarts_merged_cells(built: Path) -> None:
    """A merged 领域 / 工程类型 cell cut by the page names itself again on the next page:
    no continuation table's first body row continues a merge from above."""
    merged = 0
    for _caption, table in _word_continued(built / "plan.docx"):
        rows = table.findall(qn("w:tr"))
        first = next(r for r in rows if r.find(qn("w:trPr")).find(qn("w:tblHeader")) is None)
        for tc in first.findall(qn("w:tc")):
            merge = tc.find(qn("w:tcPr")).find(qn("w:vMerge"))
            assert merge is None or merge.get(qn("w:val")) == "restart", _text(first)
            merged += merge is not None
        assert _text(first.findall(qn("w:tc"))[0])  # 领域 / 工程类型 named
    assert merged >= 3


@pytest.fixture(scope="session")
def word_pages(through_libreoffice: dict[str, Path]) -> dict[str, Path]:
    """The plan's and the report's .docx as LibreOffice lays them out, blank pages kept."""
    return through_libreoffice


def _landscape(pdf: Path) -> list[bool]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return [float(w) > float(h) for w, h in re.findall(r"size:\s+([\d.]+) x ([\d.]+)", info)]


@pytest.mark.parametrize("which", ["plan", "report"])
def test_libreoffice_sets_each_continuation_on_a_page_of_its_own(
    which: str, word_pages: dict[str, Path], built: Path, report: Path
) -> None:
    """Every 续表 caption heads its page, none is missing, and no table runs over onto a page
    the PDF does not have: every landscape page starts with a caption or a heading."""
    pdf = word_pages[which]
    pages = [_lines(p) for p in page_texts(pdf)]
    folder = built if which == "plan" else report
    expected = [_text(p) for p, _ in _word_continued(folder / f"{which}.docx")]
    assert [lines[0] for lines in pages if lines and CONTINUED.match(lines[0])] == expected
    assert not [n for n, lines in enumerate(pages, 1) if any("续表" in x for x in lines[1:])]
    for n, (lines, wide) in enumerate(zip(pages, _landscape(pdf), strict=True), 1):
        if wide:
            assert lines and _TOP.match(lines[0]), (n, lines[:2])


@pytest.mark.parametrize("which", ["plan", "report"])
def test_libreoffice_leaves_no_landscape_page_a_table_tail(
    which: str, word_pages: dict[str, Path]
) -> None:
    """No landscape page of the Word file less than a third full (a table's last rows alone)."""
    pdf = word_pages[which]
    thin = [
        (n, round(fill, 2))
        for n, (fill, wide) in enumerate(zip(_fills(pdf), _landscape(pdf), strict=True), 1)
        if wide and fill < 1 / 3
    ]
    assert not thin


def test_word_banji_at_the_foot_of_an_even_page_numbered_as_the_pdf(
    word_pages: dict[str, Path], built: Path
) -> None:
    """GB/T 9704 §7.5: the 版记's page is numbered when it follows the text (as the plan's
    does) and neither it nor a blank page kept before it otherwise; the 版记 stands at the
    foot of an even page (_imprint_place checks the numbering)."""
    number, down = _imprint_place(word_pages["plan"])
    assert number % 2 == 0
    assert down > 0.7
    pdfs = (built / "plan.pdf", word_pages["plan"])
    assert [bool(FOOTER_NUMBER.search(page_texts(f)[-1])) for f in pdfs] == [True, True]


def _chart_words(folder: Path) -> list[str]:
    """Every text the charts of a build print, longest first: the PDF sets them as text (the
    SVG keeps them so), Word's pictures hold none."""
    words = {squash(t) for svg in (folder / "charts").glob("*.svg") for t, _ in svg_texts(svg)}
    return sorted(words - {""}, key=len, reverse=True)


def _openers(pdf: Path, charts: list[str]) -> dict[str, str]:
    """Each table caption on a landscape page → the first line of the page it first stands on,
    a chart's words (a line made of them alone) passed over."""
    out: dict[str, str] = {}
    for lines, wide in zip(map(_lines, page_texts(pdf)), _landscape(pdf), strict=True):
        caption = next((x for x in lines if re.match(r"^附?表\d", x)), None)
        if wide and caption:
            out.setdefault(caption, next(x for x in lines if not _made_of(x, charts)))
    return out


def _made_of(line: str, words: list[str]) -> bool:
    for word in words:
        line = line.replace(word, "")
    return not line


@pytest.mark.parametrize("which", ["plan", "report", "mini"])
def test_word_sets_lead_ins_on_the_landscape_page_as_the_pdf_does(
    which: str, word_pages: dict[str, Path], built: Path, report: Path, mini_built: MiniBuild
) -> None:
    """A heading and its paragraphs that the PDF sets on a landscape table's page, rather
    than nearly alone on the portrait page before it, open that page in Word too. The
    fictional plan's first chapter is a few lines before its Table 1: they move."""
    folder = {"plan": built, "report": report, "mini": mini_built.plan}[which]
    pdf = folder / ("report.pdf" if which == "report" else "plan.pdf")
    charts = _chart_words(folder)
    ours = _openers(pdf, charts)
    assert ours == _openers(word_pages[which], charts)
    if which == "mini":
        assert any(not line.startswith("表") for line in ours.values())  # a lead-in moved


@pytest.mark.parametrize("which", ["plan", "report"])
def test_word_front_matter_takes_the_pdf_s_pages(
    which: str, word_pages: dict[str, Path], built: Path, report: Path
) -> None:
    """Cover and contents take as many pages in Word as in the PDF: the body's first page is
    the same (no contents spilling onto a page of its own, no blank page before the body)."""
    folder = built if which == "plan" else report

    def body_starts(pdf: Path) -> int:
        """The page the contents' first entry is on (its text, leader and number taken off)."""
        pages = [_lines(p) for p in page_texts(pdf)]
        contents = next(n for n, lines in enumerate(pages) if lines and "目录" in lines[0])
        entry = re.sub(r"[.．…·]*\d+$", "", pages[contents][1])
        return next(
            n
            for n, lines in enumerate(pages)
            if n > contents and any(x.startswith(entry) for x in lines)
        )

    assert body_starts(word_pages[which]) == body_starts(folder / f"{which}.pdf")
