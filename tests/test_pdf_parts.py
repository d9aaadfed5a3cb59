"""The PDF built in parts: page numbers run on, contents link to pages, the cache is exact."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from conftest import EPOCH, MINI, MiniBuild
from outputs import pdf_pages, pdf_text

from jixi_report.build import build_plan


def footers(path: Path) -> list[tuple[int, str]]:
    """(page number, side) of every numbered page: GB/T 9704 puts odd right, even left."""
    out = []
    for page in pypdf.PdfReader(str(path)).pages:
        found: list[tuple[str, float]] = []

        def visit(t, cm, tm, *_, found=found):
            found.append((t, tm[4] * cm[0] + cm[4]))

        page.extract_text(visitor_text=visit)
        width = float(page.mediabox.width)
        for text, x in found:
            m = re.fullmatch(r"—\s*(\d+)\s*—", text.strip())
            if m:
                out.append(
                    (
                        int(m[1]),
                        "right" if x > width / 2 else ("left" if x < width / 3 else "centre"),
                    )
                )
    return out


def test_numbers_run_on_across_parts(mini_built: MiniBuild) -> None:
    nums = footers(mini_built.plan / "plan.pdf")
    assert [n for n, _ in nums] == list(range(1, len(nums) + 1))
    portrait = [(n, side) for n, side in nums if side != "centre"]
    assert all(side == ("right" if n % 2 else "left") for n, side in portrait), nums


def test_contents_link_to_their_pages(mini_built: MiniBuild) -> None:
    reader = pypdf.PdfReader(str(mini_built.plan / "plan.pdf"))
    toc_page = reader.pages[1]
    targets = []
    for annot in toc_page.get("/Annots", []):
        dest = annot.get_object()["/Dest"]
        targets.append(reader.get_page_number(dest[0].get_object()))
    texts = [reader.pages[i].extract_text() for i in targets]
    assert len(targets) == 4 and "第一章 总则" in texts[0] and "重点工程" in texts[-1]
    assert "附件 重点工程" in toc_page.extract_text()


def test_cache_reuses_parts_and_gives_the_same_bytes(
    mini_built: MiniBuild, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = mini_built.result  # a cold build of MINI with this epoch
    warm = mini_built.copy_to(tmp_path / "a")
    again = build_plan(MINI, warm)
    fresh = build_plan(MINI, tmp_path / "b", cache=False)
    assert (first.laid_out, again.laid_out, fresh.laid_out) == (first.parts, 0, fresh.parts)
    pdfs = [d / "plan" / "plan.pdf" for d in (mini_built.out, warm, tmp_path / "b")]
    assert pdfs[0].read_bytes() == pdfs[1].read_bytes() == pdfs[2].read_bytes()


def test_an_edit_lays_out_only_its_part(content: Path, tmp_path: Path) -> None:
    build_plan(content, tmp_path / "out")
    chapter = content / "chapters" / "01-general.yaml"
    chapter.write_text(
        chapter.read_text(encoding="utf-8").replace("指标体系。", "指标体系修订。"),
        encoding="utf-8",
    )
    result = build_plan(content, tmp_path / "out")
    assert result.laid_out == 1
    assert "指标体系修订。" in pdf_text(tmp_path / "out" / "plan" / "plan.pdf")


def test_a_longer_chapter_moves_the_later_page_numbers(
    mini_built: MiniBuild, content: Path, tmp_path: Path
) -> None:
    mini_built.copy_to(tmp_path / "out")
    before = footers(tmp_path / "out" / "plan" / "plan.pdf")
    chapter = content / "chapters" / "01-general.yaml"
    extra = "".join(f"        - 第{n}段补充说明。{'补充内容' * 60}\n" for n in range(12))
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace(
            "        - table: {source: indicators",
            extra + "        - table: {source: indicators",
            1,
        ),
        encoding="utf-8",
    )
    build_plan(content, tmp_path / "out")
    after = footers(tmp_path / "out" / "plan" / "plan.pdf")
    assert len(after) > len(before)
    assert [n for n, _ in after] == list(range(1, len(after) + 1))


def test_a_chapter_cut_after_its_landscape_stretches_prints_as_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report's first chapter is laid out in pieces, each ending with a landscape stretch:
    the PDF has the pages, page sizes, texts and page numbers of the chapter laid out whole."""
    from jixi_report.build import build_report, report_document
    from jixi_report.writers import pdf_parts

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    doc = report_document(MINI, tmp_path / "doc", 2025)[0]
    docs = pdf_parts.split(doc)[0]
    main = doc.region("main")
    assert main is not None and len(docs) > len(main.children)  # the chapter is cut
    assert all('<div class="landscape">' in d for d in docs[:2])

    cut = build_report(MINI, tmp_path / "cut", 2025, ("pdf",), cache=False)
    monkeypatch.setattr(pdf_parts, "_pieces", lambda src, part, end: [src[part.start : end]])
    whole = build_report(MINI, tmp_path / "whole", 2025, ("pdf",), cache=False)
    assert cut.parts > whole.parts
    pdfs = [tmp_path / name / "2025" / "report.pdf" for name in ("cut", "whole")]
    sizes = [[p.mediabox[2:] for p in pypdf.PdfReader(str(f)).pages] for f in pdfs]
    assert sizes[0] == sizes[1]
    assert [squash_pages(f) for f in pdfs[:1]] == [squash_pages(f) for f in pdfs[1:]]
    assert footers(pdfs[0]) == footers(pdfs[1])


def squash_pages(path: Path) -> list[str]:
    return [re.sub(r"\s+", "", page) for page in pdf_pages(path)]


def test_a_chapter_is_cut_only_where_a_portrait_page_must_start() -> None:
    """After a landscape stretch that text follows; never between two landscape stretches
    (they share a page) nor after the last one."""
    from jixi_report.render.parse import parse
    from jixi_report.writers import pdf_parts

    stretch = '<div class="landscape">\n<p>{}</p>\n</div>\n'
    body = (
        '<h1 id="h-1">第一章</h1>\n<p>甲</p>\n'
        + stretch.format("乙")
        + stretch.format("丙")
        + "<p>丁</p>\n"
        + stretch.format("戊")
    )
    html = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head><meta charset="utf-8"><title>t</title>'
        f'</head>\n<body>\n<main>\n<section class="chapter">\n{body}</section>\n</main>\n'
        "</body>\n</html>\n"
    )
    docs = pdf_parts.split(parse(html, "t.html.j2"))[0]
    pieces = [d[d.index("<main>") : d.index("</main>")] for d in docs]
    texts = [re.findall(r"<p>(.)</p>", piece) for piece in pieces]
    assert texts == [["甲", "乙", "丙"], ["丁", "戊"]]
    assert all(p.startswith('<main>\n<section class="chapter">\n') for p in pieces)
    assert all(p.endswith("</section>\n") for p in pieces)
