"""Tables and pages as a 公文 typesetter sets them, read back from the PDF and the Word file.

The PDF is read with pdftotext (word boxes, -bbox-layout), the Word file with python-docx and
through LibreOffice's conversion to PDF (its own layout, as an office opening the file sees it).
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
from conftest import MINI, MiniBuild, epoch
from docx.oxml.ns import qn
from outputs import squash, word_tables

from jixi_report.build import build_plan
from jixi_report.content.model import Plan

PT_PER_MM = 72 / 25.4


def _boxes(pdf: Path, *options: str) -> ElementTree.Element:
    """pdftotext's word boxes (-bbox) or its layout analysis (-bbox-layout: blocks, lines,
    words) as a tree, in points from the top left."""
    out = subprocess.run(
        ["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    out = re.sub(r"<!DOCTYPE[^>]*>", "", out).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    return ElementTree.fromstring(out)


def words(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's words with their boxes (points, from the top left), via pdftotext."""
    root = _boxes(pdf, "-bbox")
    pages = []
    for page in root.iter("page"):
        pages.append(
            [
                (
                    w.text or "",
                    float(w.get("xMin")),
                    float(w.get("yMin")),
                    float(w.get("xMax")),
                    float(w.get("yMax")),
                )
                for w in page.iter("word")
            ]
        )
    return pages


def page_texts(pdf: Path) -> list[str]:
    """Each page's text laid out (pdftotext -layout), pages split at form feeds."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def three_terms(root: Path) -> None:
    """Make the mini plan's two terms three: 近期 2023–2024, 中期 2025–2026, 远期 2027, each
    indicator given a 2026 target (a copy of its 2027 one)."""
    plan = root / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    old = "  - {name: 远期, start: 2025, end: 2027, stage: 巩固提升期}\n"
    assert old in text
    new = (
        "  - {name: 中期, start: 2025, end: 2026, stage: 巩固提升期}\n"
        "  - {name: 远期, start: 2027, end: 2027, stage: 全面提升期}\n"
    )
    plan.write_text(text.replace(old, new), encoding="utf-8")
    indicators = root / "indicators.yaml"
    lines = []
    for line in indicators.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.lstrip().startswith('"2027":'):
            lines.append(line.replace('"2027":', '"2026":', 1))
        lines.append(line)
    indicators.write_text("".join(lines), encoding="utf-8")


@pytest.fixture(scope="session")
def three_term_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("three-terms")
    content = root / "content"
    shutil.copytree(MINI, content)
    three_terms(content)
    with epoch():
        build_plan(content, root / "out")
    return root / "out" / "plan"


def _table1(document) -> docx.table.Table:
    return next(t for t in word_tables(document) if t.rows[0].cells[0].text == "领域")


def test_three_term_table1_fits_the_page_in_word(three_term_plan: Path) -> None:
    d = docx.Document(str(three_term_plan / "plan.docx"))
    table = _table1(d)
    heads = [c.text for c in table.rows[0].cells]
    assert heads[-3:] == ["目标值（2024年）", "中期规划值（2026年）", "远期规划值（2027年）"]
    grid = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 10 and min(grid) > 0
    section = next(s for s in d.sections if s.page_width > s.page_height)  # landscape
    room = (section.page_width - section.left_margin - section.right_margin) / 635  # twips
    assert sum(grid) <= room + 10  # every column inside the text area
    assert sum(grid) >= room * 0.98


def test_three_term_table1_fits_the_page_in_pdf(three_term_plan: Path) -> None:
    pages = words(three_term_plan / "plan.pdf")
    page = next(p for p in pages if any(w[0].startswith("远期规划值") for w in p))
    width = 841.89  # A4 landscape, points
    head = [w for w in page if w[0].startswith(("目标值", "中期规划值", "远期规划值"))]
    assert len(head) == 3
    right_margin = 35 * PT_PER_MM  # the portrait bottom margin becomes the right one
    assert max(w[3] for w in page) <= width - right_margin + 1
    # The three milestone columns stand side by side, left to right.
    assert [w[0][:2] for w in sorted(head, key=lambda w: w[1])] == ["目标", "中期", "远期"]


# ---- tables across pages (the real 2025 report: Table 1 runs over six landscape pages) ------


def test_pdf_continuation_pages_say_xubiao_with_header_rows(report: Path) -> None:
    pages = page_texts(report / "report.pdf")
    caption = "2025年建设指标完成情况"
    first = [n for n, p in enumerate(pages) if re.search(rf"(?<!续)表1 {caption}", p)]
    later = [n for n, p in enumerate(pages) if f"续表1 {caption}" in p]
    assert len(first) == 1 and len(later) >= 3
    assert later == list(range(first[0] + 1, first[0] + 1 + len(later)))  # every page after

    def header(n: int, caption: str) -> str:
        lines = [line for line in pages[n].splitlines() if line.strip()]
        at = next(i for i, line in enumerate(lines) if caption in line)
        return FOOTER_NUMBER.sub("", squash("".join(lines[at + 1 : at + 5])))[:20]

    for n in later:  # the header rows follow the caption as on the first page
        assert header(n, "续表1") == header(first[0], f"表1 {caption}")
    # The annexes' tables carry theirs too, and no page holds two pieces of one table.
    assert sum("续附表" in p or "续表" in p for p in pages) > len(later)
    assert not any(p.count("续表1") > 1 or "续续" in p for p in pages)


def test_pdf_merged_cells_repeat_on_the_continuation_page(built: Path, plan: Plan) -> None:
    """Table 1 of the plan merges 领域 and 任务 over many rows: every continuation page names
    the 领域 of its rows again, in the 领域 column (read from the words' places)."""
    domains = {i.domain for i in plan.indicators if i.domain}
    continued = [p for p in words(built / "plan.pdf") if any(w[0].startswith("续表1") for w in p)]
    assert len(continued) >= 3
    for page in continued:
        head = {w[0]: w for w in page if w[0] in ("领域", "任务")}
        column = sorted(
            (w for w in page if w[1] >= head["领域"][1] - 15 and w[3] <= head["任务"][1]),
            key=lambda w: w[2],
        )
        text = "".join(w[0] for w in column if w is not head["领域"])
        named = [d for d in domains if d in text]
        assert named or "参考性指标" in text, text


def test_pdf_total_row_never_alone(report: Path, built: Path) -> None:
    """The 合计 row stands under at least one row of its table on its page."""
    for pdf in (report / "report.pdf", built / "plan.pdf"):
        for page in page_texts(pdf):
            if "合计" not in page or "续" not in page:
                continue
            before = page.split("合计")[0]
            assert re.search(r"\n\s*\d+\s", before), page[:300]


# ---- Word pages, as LibreOffice lays the .docx out ----------------------------------------

FOOTER_NUMBER = re.compile(r"—\s*(\d+)\s*—")


@pytest.mark.parametrize("name", ["plan", "report"])
def test_word_contents_numbers_are_the_pages_libreoffice_lays_out(
    through_libreoffice: dict[str, Path], name: str
) -> None:
    pages = page_texts(through_libreoffice[name])
    toc = next(n for n, p in enumerate(pages) if "目" in p and "录" in p and "...." in p)
    entries = re.findall(r"^\s*(\S.*?)\s*\.{4,}\s*(\d+)\s*$", pages[toc], re.M)
    assert len(entries) >= 8
    # an even landscape page's turned number stands at its top, amid a heading's lines
    body = [(squash(FOOTER_NUMBER.sub("", p)), FOOTER_NUMBER.search(p)) for p in pages[toc + 1 :]]
    start = 0
    for text, number in entries:
        heading = squash(text)
        found = next(i for i in range(start, len(body)) if heading in body[i][0])
        printed = body[found][1]
        assert printed is not None and int(printed[1]) == int(number), (text, number)
        start = found


@pytest.mark.parametrize("name", ["plan", "report"])
def test_word_has_no_blank_page(through_libreoffice: dict[str, Path], name: str) -> None:
    """Every page LibreOffice lays out holds more than its page number and header line, but
    the one that may stand before the 版记 to put it on an even page."""
    pages = page_texts(through_libreoffice[name])
    for n, page in enumerate(pages, 1):
        text = squash(FOOTER_NUMBER.sub("", page)).replace("示例数据", "")
        assert text or (n == len(pages) - 1 and "抄送" in pages[-1]), f"{name}: page {n} is blank"


def _imprint_place(pdf: Path) -> tuple[int, float]:
    """The number of the page holding 印发, and how far down the page it stands. GB/T 9704
    §7.5: where a blank page is kept before the 版记, neither it nor the 版记's page prints a
    number; a 版记 on the page after the text prints its number, counted on from the text's."""
    pages = words(pdf)
    texts = page_texts(pdf)
    last = len(pages) - 1
    assert "抄送：" in squash(texts[last]) and "印发" in texts[last]
    at = max(i for i, t in enumerate(texts[:last]) if FOOTER_NUMBER.search(t))
    number = int(FOOTER_NUMBER.findall(texts[at])[-1]) + (last - at)
    printed = FOOTER_NUMBER.findall(texts[last])
    if at == last - 1:  # the text ends on the page before
        assert printed and int(printed[-1]) == number, printed
    else:  # a blank page between, unnumbered as the 版记's page
        assert at == last - 2 and not squash(texts[last - 1]).replace("示例数据", "")
        assert not printed, printed
    imprint = next(w for w in pages[last] if w[0].endswith("印发"))
    return number, imprint[4] / 841.89


def test_pdf_banji_at_the_foot_of_an_even_page(built: Path, plan: Plan) -> None:
    number, down = _imprint_place(built / "plan.pdf")
    assert number % 2 == 0
    assert down > 0.8  # the foot of the type area (it ends at 88 % of the page)
    text = page_texts(built / "plan.pdf")[-1]
    lines = [squash(line) for line in text.splitlines() if line.strip()]
    assert f"抄送：{plan.meta.cc[0]}" in lines  # each 抄送 entry a line of its own
    assert squash(plan.meta.cc[1])[:10] in "".join(lines[1:])


def test_pdf_banji_numbered_unless_a_blank_page_is_kept_before_it(
    built: Path, mini_built: MiniBuild
) -> None:
    """The plan's text ends on an odd page: the 版记 follows on the next, numbered; the
    fictional plan's ends on an even one: a blank page between, neither numbered."""
    for pdf, blank in ((built / "plan.pdf", False), (mini_built.plan / "plan.pdf", True)):
        number, _ = _imprint_place(pdf)
        numbered = bool(FOOTER_NUMBER.search(page_texts(pdf)[-1]))
        assert number % 2 == 0 and numbered is not blank, pdf


def test_tables_numbered_in_document_order(built: Path) -> None:
    """The source captions two different tables 表1; the documents number them in order, and
    the prose refers to the summary table by its number."""
    text = squash("".join(page_texts(built / "plan.pdf")))
    captions = re.findall(r"(?<!续)(表\d+)(鸡西市生态文明[^表]{4,30}?(?:体系|概况))", text)
    assert [c[0] for c in dict.fromkeys(captions)] == ["表1", "表2"]
    assert "项重点工程（表2）" in text
    d = docx.Document(str(built / "plan.docx"))
    words_captions = [p.text for p in d.paragraphs if p.style.name == "Caption"]
    assert [c.split()[0] for c in words_captions if c.startswith("表")] == ["表1", "表2"]


# ---- superscripts: content writes ^{…}, every format raises it ------------------------------


def test_superscripts_in_every_format(built: Path) -> None:
    """总库容74250×10^{4}立方米 (the source lost the superscript): smaller and raised in the PDF,
    a superscript run in Word, <sup> on the HTML page."""
    for page in words(built / "plan.pdf"):
        at = next((i for i, w in enumerate(page) if w[0].endswith("74250×10")), None)
        if at is not None:
            base, sup = page[at], page[at + 1]
            break
    else:
        raise AssertionError("74250×10 not in the PDF")
    assert sup[0] == "4"
    assert sup[4] - sup[2] < 0.7 * (base[4] - base[2])  # smaller
    assert sup[2] < base[2] + 0.2 * (base[4] - base[2])  # its top near the line's top
    d = docx.Document(str(built / "plan.docx"))
    runs = [r for p in d.paragraphs if "74250" in p.text for r in p.runs]
    after = runs[next(i for i, r in enumerate(runs) if r.text.endswith("74250×10")) + 1]
    assert after.text == "4" and after.font.superscript
    html = (built / "plan.html").read_text(encoding="utf-8")
    assert "74250×10<sup>4</sup>立方米" in html and "μg/m<sup>3</sup>" in html
    assert "^{" not in html


def test_a_malformed_superscript_is_a_content_error(broken, capsys) -> None:
    line = broken.replace("plan.yaml", "title: 青川市绿色发展示范区规划", "title: 青川市^{2规划")
    code, err = broken.check(capsys)
    assert code == 1
    assert any(f"plan.yaml:{line}:" in e and "malformed superscript" in e for e in err), err


# ---- one number policy (templates/style.yaml `numbers`) -------------------------------------


def test_figures_grouped_and_one_decimal_count_a_column(built: Path, report: Path) -> None:
    d = docx.Document(str(built / "plan.docx"))
    annex = next(t for t in word_tables(d) if t.rows[0].cells[0].text == "工程类型")
    column = [row.cells[5].text for row in annex.rows[1:]]
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", v) for v in column), column
    assert "1,004,117.06" in column and "0.00" in column
    summary = next(t for t in word_tables(d) if t.rows[0].cells[1].text == "重点建设工程类型")
    totals = [row.cells[4].text for row in summary.rows[1:]]
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", v) for v in totals), totals
    # No table cell of either document shows a figure of five or more digits ungrouped (the
    # report's 12,180,000 亩 as its chart's axis has it).
    for path in (built / "plan.docx", report / "report.docx"):
        for table in word_tables(docx.Document(str(path))):
            for row in table.rows:
                for cell in row.cells:
                    assert not re.match(r"-?\d{5,}(?![\d,])", cell.text), cell.text


# ---- pages: none less than a third full but before a chapter or the 版记 ---------------------


def _fills(pdf: Path) -> list[float]:
    """How far down its type area each page's last dark pixel reaches (0–1), from a 30 dpi
    image; the page number and header line (in the margins) and the pale watermark do not
    count."""
    from PIL import Image

    out = pdf.parent / f"{pdf.stem}-fill"
    subprocess.run(["pdftoppm", "-gray", "-r", "30", str(pdf), str(out)], check=True)
    fills = []
    for png in sorted(pdf.parent.glob(f"{pdf.stem}-fill-*.pgm")):
        image = Image.open(png)
        w, h = image.size
        portrait = h > w
        top = (37 if portrait else 28) / (297 if portrait else 210) * h
        bottom = h - (35 if portrait else 26) / (297 if portrait else 210) * h
        left = (28 if portrait else 35) / (210 if portrait else 297) * w
        right = w - (26 if portrait else 37) / (210 if portrait else 297) * w
        pixels = image.load()
        rows = [
            y
            for y in range(int(top), int(bottom))
            if any(pixels[x, y] < 100 for x in range(int(left), int(right)))
        ]
        fills.append((max(rows) - top) / (bottom - top) if rows else 0.0)
        png.unlink()
    return fills


def _chapter_starts(pdf: Path) -> set[int]:
    import pypdf

    reader = pypdf.PdfReader(str(pdf))
    return {
        reader.get_destination_page_number(o) for o in reader.outline if not isinstance(o, list)
    }


@pytest.mark.parametrize("which", ["plan", "report"])
def test_no_page_less_than_a_third_full(which: str, built: Path, report: Path) -> None:
    pdf = built / "plan.pdf" if which == "plan" else report / "report.pdf"
    fills = _fills(pdf)
    before_chapter = {n - 1 for n in _chapter_starts(pdf)}
    texts = page_texts(pdf)
    back = {len(fills) - 2, len(fills) - 1} if "抄送" in texts[-1] else set()
    front = {0, 1}  # the cover and the contents
    thin = [
        (n + 1, round(f, 2))
        for n, f in enumerate(fills)
        if f < 1 / 3 and n not in before_chapter | back | front
    ]
    assert not thin, thin


# ---- page numbers on landscape pages (GB/T 9704-2012 §10) ----------------------------------


def _landscape_numbers(pdf: Path) -> list[tuple[int, float, float]]:
    """(printed number, x of its right edge, y of its middle) of each landscape page's number:
    the digits standing alone left of the type area (35 mm, the portrait bottom margin)."""
    found = []
    for page in words(pdf):
        if not page or max(w[3] for w in page) < 600:  # a portrait page (595 pt wide)
            continue
        digits = [w for w in page if w[0].isdigit() and w[3] < 35 * PT_PER_MM]
        assert len(digits) == 1, digits
        d = digits[0]
        found.append((int(d[0]), d[3], (d[2] + d[4]) / 2))
    return found


@pytest.mark.parametrize("which", ["pdf", "word"])
def test_landscape_page_numbers_turned_with_the_sheet(
    which: str, report: Path, through_libreoffice: dict[str, Path]
) -> None:
    """In the left margin (the portrait page's foot), at the bottom on odd pages and the top
    on even ones (A4 landscape is 595 pt high)."""
    pdf = report / "report.pdf" if which == "pdf" else through_libreoffice["report"]
    numbers = _landscape_numbers(pdf)
    assert len(numbers) >= 10
    assert {n % 2 for n, _, _ in numbers} == {0, 1}
    for number, _right, middle in numbers:
        assert (middle > 595 * 0.6) if number % 2 else (middle < 595 * 0.4), number


def _printed_sizes(pdf: Path, caption: str, text: str) -> set[float]:
    """The sizes of the runs printing `text` on the pages whose first lines include `caption`
    (a run is one text block: a cell's text begins one)."""
    import pypdf
    from pdf_runs import page_runs

    reader = pypdf.PdfReader(pdf)
    sizes = set()
    for page, lines in zip(reader.pages, page_texts(pdf), strict=True):
        if any(caption in line for line in lines.split("\n")[:3]):
            sizes |= {round(r.size, 1) for r in page_runs(reader, page) if text in r.text}
    return sizes


def test_report_table1_in_small_print_in_pdf_and_word(report: Path) -> None:
    """The report's Table 1 (twelve columns) is set in 小5号, in the PDF and in Word; a table
    of fewer columns (the projects') keeps 5号."""
    from jixi_report.base.style import house_style

    roles = house_style().roles
    small, normal = roles["table_small"].size, roles["table"].size
    assert small < normal
    pdf = report / "report.pdf"
    assert _printed_sizes(pdf, "续表1 2025年建设指标完成情况", "市生态环境局") == {small}
    assert _printed_sizes(pdf, "续表4 2025年重点工程实施情况", "2024—2030") == {normal}
    document = docx.Document(str(report / "report.docx"))
    table1, *others = word_tables(document)
    styles = {p.style.name for row in table1.rows for c in row.cells for p in c.paragraphs}
    assert styles == {roles["table_small"].style, roles["table_small_head"].style}
    assert document.styles[roles["table_small"].style].font.size.pt == small
    assert all(
        p.style.name in (roles["table"].style, roles["table_head"].style)
        for t in others
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
    )


# ---- lines: 28 characters, none left alone (GB/T 9704 §5.2.2; 孤字) ---------------------------

_HAN = re.compile(r"[\u4e00-\u9fff]")


def _body_line_lengths(pdf: Path) -> list[int]:
    """The length of every printed line made of Chinese characters alone (a figure or a
    Latin letter is narrower, and LibreOffice squeezes punctuation: either lets a line hold
    more)."""
    return [
        len(line.strip())
        for page in page_texts(pdf)
        for line in page.splitlines()
        if re.fullmatch(r"[\u4e00-\u9fff]+", line.strip())
    ]


@pytest.mark.parametrize("which", ["pdf", "word"])
def test_body_lines_hold_28_characters(
    which: str, built: Path, through_libreoffice: dict[str, Path]
) -> None:
    """GB/T 9704-2012 §5.2.2: 28 characters a line. A full line of the plan's text holds 28
    (the PDF's tracking once came out a hair too wide, and Word's was none: both held 27)."""
    pdf = built / "plan.pdf" if which == "pdf" else through_libreoffice["plan"]
    lengths = _body_line_lengths(pdf)
    assert max(lengths) == 28
    assert lengths.count(28) > 2 * lengths.count(27)  # 27 where punctuation would start a line


def test_word_lines_lose_no_punctuation(built: Path, through_libreoffice: dict[str, Path]) -> None:
    """A full line of 28 characters followed by 。 or ，: LibreOffice squeezed the mark in when
    the line had room for half of it and otherwise dropped it from the page (the plan lost
    12 。 at the PDF's tracking). Word's tracking leaves that room: every mark is printed."""
    ours = "".join(page_texts(built / "plan.pdf"))
    word = "".join(page_texts(through_libreoffice["plan"]))
    for mark in "。，、":
        assert word.count(mark) == ours.count(mark), mark


def _blocks(pdf: Path) -> list[list[str]]:
    """Each text block of the PDF (a paragraph, a table cell) as its printed lines, from
    pdftotext's layout analysis."""
    root = _boxes(pdf, "-bbox-layout")
    return [
        ["".join(w.text or "" for w in line.iter("word")) for line in block.iter("line")]
        for block in root.iter("block")
    ]


@pytest.mark.parametrize("which", ["plan", "report"])
def test_pdf_leaves_no_character_alone_on_a_last_line(
    which: str, built: Path, report: Path
) -> None:
    """No paragraph or cell of four characters or more ends on a line holding one Chinese
    character (and its closing punctuation) after another: "现状值已达目/标" is set "现状值已达/
    目标". The joiner that does it is not in the text a reader copies or searches."""
    pdf = built / "plan.pdf" if which == "plan" else report / "report.pdf"
    alone = []
    wrapped = 0
    blocks = _blocks(pdf)
    for lines in blocks:
        if len(lines) < 2 or len("".join(lines)) < 4 or max(map(len, lines)) < 2:
            continue  # a cell of three characters or fewer, or the watermark's letters askew
        wrapped += 1
        last = re.sub(r"[，。、；：！？）”》%]+$", "", lines[-1])
        if len(last) == 1 and _HAN.match(last) and _HAN.match(lines[-2][-1:]):
            alone.append("/".join(lines))
    assert wrapped > 100
    assert not alone, alone[:10]
    # A paragraph's lines are blocks of their own to pdftotext: read its page text instead,
    # a line of one character or figure and its punctuation after a full one ("落/实。", "3。").
    lines = [x.strip() for t in page_texts(pdf) for x in t.splitlines() if x.strip()]
    lines = [x for x in lines if x not in "示例数据"]  # the watermark's letters, set askew
    short = [
        f"{a[-6:]}/{b}"
        for a, b in itertools.pairwise(lines)
        if len(a) >= 24
        and not re.search(r"\s{3,}", a)  # not a row of table cells or chart labels
        and re.fullmatch(r"[\u4e00-\u9fff0-9A-Za-z][。，；：！？）”]*", b)
    ]
    assert not short, short
    assert not re.search("[\u2060\u200b]", "".join(page_texts(pdf)))
    if which == "report":
        assert ["现状值已达", "目标"] in blocks


def _body_lines(pdf: Path, first: int, last: int) -> list[list[list[tuple[float, float]]]]:
    """Pages first…last: each page's lines of body text (starting at the type area's left
    edge, or two characters in), each line its words' (xMin, xMax) in points, from
    pdftotext's layout analysis."""
    left = 28 * PT_PER_MM  # print.css: the left margin
    pages = []
    for page in _boxes(pdf, "-bbox-layout", "-f", str(first), "-l", str(last)).iter("page"):
        lines = [
            [(float(w.get("xMin")), float(w.get("xMax"))) for w in line.iter("word")]
            for line in page.iter("line")
        ]
        pages.append([w for w in lines if w and -1 < w[0][0] - left < 40 and w[-1][1] > 300])
    return pages


def test_pdf_justifies_chinese_lines_between_characters(report: Path) -> None:
    """A justified line reaches the right edge of the type area, its slack spread between
    the characters: a line with one space ("14 单位地区…") once put a character's width into
    it, and a line with figures and no space stopped short of the edge. A share stays small
    enough that a reader extracts the line's words whole: a line of long figures needing more
    stops short instead ("估 算 总 投 资" could not be searched)."""
    pdf = report / "report.pdf"
    pages = [n for n, t in enumerate(page_texts(pdf), 1) if "较上年" in t]
    edge = (210 - 26) * PT_PER_MM  # print.css: the type area's right edge
    left = 28 * PT_PER_MM
    full = flush = 0
    for lines in _body_lines(pdf, min(pages), max(pages)):
        for words, after in itertools.pairwise(lines):
            gaps = [b[0] - a[1] for a, b in itertools.pairwise(words)]
            assert max(gaps, default=0) < 8, words  # a space and a share, not a hole
            if abs(after[0][0] - left) < 1:  # the paragraph goes on: this line is full
                full += 1
                flush += abs(words[-1][1] - edge) < 1.5
    assert full > 50
    assert flush >= 0.9 * full  # (a number and its name are not parted: a few stop short)
    text = "".join(page_texts(pdf))
    assert "估算总投资1,004,117.06万元" in text
    assert "PM2.5浓度25μg/m" in text  # (its ³ a raised 3)


def test_report_table1_columns_hold_their_headers_and_units(report: Path) -> None:
    """Table 1's twelve columns are shared so that a header breaks before its year, not
    inside it ("现状值/（2023年）", once "（2023/年）"), a unit stands on one line ("单位",
    once "单/位") and a six-character lead unit on one ("市生态环境局", once "市生态环/境局")."""
    blocks = _blocks(report / "report.pdf")
    assert ["现状值", "（2023年）"] in blocks
    assert ["单位"] in blocks
    assert ["市生态环境局"] in blocks
    assert not [b for b in blocks if b[:1] == ["单"]]


@pytest.mark.parametrize("which", ["pdf", "word"])
def test_a_table_that_fits_a_page_is_not_broken(
    which: str, report: Path, through_libreoffice: dict[str, Path]
) -> None:
    """The report's Table 2 (ten rows) began under the last trend figure and broke after
    three rows, seven on a 续表2 page. It fits on a page: it starts the next one whole, in
    the PDF and in Word."""
    pdf = report / "report.pdf" if which == "pdf" else through_libreoffice["report"]
    pages = [[squash(x) for x in t.splitlines() if x.strip()] for t in page_texts(pdf)]
    assert not [n for n, lines in enumerate(pages, 1) if any("续表2" in x for x in lines)]
    caption = next(lines for lines in pages if any(x.startswith("表2未绘制") for x in lines))
    assert next(x for x in caption if x != "示例数据").startswith("表2未绘制")  # heads its page


@pytest.mark.parametrize("which", ["pdf", "word"])
def test_report_columns_hold_their_heads_units_and_types(
    which: str, report: Path, through_libreoffice: dict[str, Path]
) -> None:
    """Each of these stands on one line of its cell, in the PDF and in Word: Table 3's count
    heads (once "指标/数", "未达/标"), Table 1's unit μg/m³ (once "μg/" / "m³"), Table 4's
    工程类型 (once "生态安全体系建设工/程" in all 31 rows of the Word file) and 建设年限 (with
    the 一字线 of the text: 2024—2030), and 附表1's previous value with its year (once
    "1,260（2024/年）")."""
    pdf = report / "report.pdf" if which == "pdf" else through_libreoffice["report"]
    blocks = _blocks(pdf)
    for whole in ("指标数", "未达标", "待填报", "不涉及", "μg/m3", "1,260（2024年）"):
        assert [whole] in blocks, whole
    # a cell's lines are short (pdftotext may join a cell with its neighbour in one block)
    lines = [line for b in blocks for line in b]
    assert sum("体系建设工程" in line for line in lines) >= 31
    assert not [x for x in lines if len(x) < 24 and re.search(r"体系建设工$", x)]
    spans = [b for b in blocks if re.fullmatch(r"20\d\d[-—]20\d\d", "".join(b))]
    assert len(spans) >= 31 and all(len(b) == 1 and "—" in b[0] for b in spans), spans[:3]


def test_plan_table1_headers_keep_their_year_and_number_whole(built: Path) -> None:
    """The plan's Table 1 headers break before their bracketed year ("现状值/（2023年）", once
    "现状值（2023/年）" on each of its pages) and 序号 stands on one line (once "序/号")."""
    blocks = _blocks(built / "plan.pdf")
    assert ["现状值", "（2023年）"] in blocks
    assert ["序号"] in blocks
    assert not [b for b in blocks if b[-1:] == ["年）"]]


def _cell_lines(html: str) -> list[tuple[list[str], float, float]]:
    """Each table cell of `html` laid out by WeasyPrint: its lines' text, the width its
    widest line takes and the width the cell gives it (CSS px)."""
    from weasyprint.formatting_structure import boxes

    from jixi_report.writers import pdf

    document = pdf.layout(html, [])
    out = []
    for box in document.pages[0]._page_box.descendants():
        if isinstance(box, boxes.TableCellBox):
            lines = [b for b in box.descendants() if isinstance(b, boxes.LineBox)]
            texts = [
                "".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox))
                for line in lines
            ]
            widest = max(
                (sum(c.margin_width() for c in line.children) for line in lines), default=0
            )
            out.append(([re.sub("[\u2060\u200b]", "", t) for t in texts], widest, box.width))
    return out


def _paragraph_lines(html: str) -> list[str]:
    """The first paragraph of `html` laid out by WeasyPrint: its lines' text."""
    from weasyprint.formatting_structure import boxes

    from jixi_report.writers import pdf

    page = pdf.layout(html, []).pages[0]._page_box
    para = next(b for b in page.descendants() if b.element_tag == "p")
    lines = [b for b in para.descendants() if isinstance(b, boxes.LineBox)]
    texts = [
        "".join(t.text for t in line.descendants() if isinstance(t, boxes.TextBox))
        for line in lines
    ]
    return [re.sub("[\u2060\u200b]", "", t) for t in texts]


def test_a_figure_alone_comes_down_with_the_two_characters_before_it() -> None:
    """ "…见附件3。" at a paragraph's end is set "…见/附件3。", not "…见附/件3。" (the report's
    first paragraph was, until its citation of the plan grew longer)."""
    body = "一" * 24 + "见附件3。"  # the first line (two characters indented) holds 26
    lines = _paragraph_lines(f'<html lang="zh-CN"><body><p>{body}</p></body></html>')
    assert lines == ["一" * 24 + "见", "附件3。"], lines


def test_what_is_kept_together_fits_its_column() -> None:
    """A bracketed year comes down whole where the column holds it; the last two characters
    are not kept together where the column holds one (they would overflow the cell); after a
    figure too wide with its note for the column, the note comes down whole (the line breaker
    takes "85.7%（2024年）" for one word, and split it "85.7%（2024/年）")."""
    row = "".join(f"<td>{t}</td>" for t in ("现状值（2023年）", "生态环境局", "率85.7%（2024年）"))
    html = (
        '<html lang="zh-CN"><body><table><colgroup><col style="width: 20%">'
        '<col style="width: 5%"><col style="width: 20%"><col style="width: 55%"></colgroup>'
        f"<tbody><tr>{row}<td></td></tr></tbody></table></body></html>"
    )
    (wide, _, _), (narrow, _, _), (figure, _, _), _ = cells = _cell_lines(html)
    assert wide == ["现状值", "（2023年）"]
    assert narrow == list("生态环境局")  # a character a line: two would not fit
    assert figure == ["率85.7%", "（2024年）"]  # the note comes down whole, not "（2024/年）"
    assert all(widest <= room + 0.5 for _, widest, room in cells), cells


def test_a_row_number_stays_with_its_name(report: Path) -> None:
    """The report cites rows as "4.2 PM2.5浓度" and projects as "30号…": no line of its text
    ends on the number and leaves the rest to the next ("…目标值；4.2" / "PM2.5浓度…",
    "其中，13" / "非化石能源…", "、30" / "号密山市…")."""
    ends = [
        line.strip()
        for page in page_texts(report / "report.pdf")
        for line in page.splitlines()
        if len(line.strip()) > 20
        and not re.search(r"\S\s{3,}\S", line.strip())  # not cells
        and re.search(r"[；，、：]\s*参?\d+(?:\.\d+)?\s*$", line.rstrip())
    ]
    assert not ends, ends
