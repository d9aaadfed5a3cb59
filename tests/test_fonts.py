"""Fonts by role (issue 9, point 6): an office's own font file dropped into `fonts/` beside the
content serves its roles in the PDF, and `check` says which font serves each role.

No office font ships with Debian; the test makes one from a real installed font (AR PL UKai,
cut to the characters the fictional plan uses) renamed to what an office's 楷体_GB2312 file
calls itself."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import EPOCH
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection

from jixi_report.build import build_plan
from jixi_report.cli import main

UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")


def office_kaiti(target: Path, text: str) -> Path:
    """A real TrueType face named as an office's 楷体_GB2312 (family and PostScript name)."""
    font = TTCollection(str(UKAI)).fonts[0]
    options = Options()
    options.name_IDs = ["*"]
    subsetter = Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16):
            names.setName("楷体_GB2312", record.nameID, record.platformID, record.platEncID,
                          record.langID)  # fmt: skip
        elif record.nameID == 6:
            names.setName("KaiTi_GB2312", 6, record.platformID, record.platEncID, record.langID)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return target


def _fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout


def _text(content: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(content.rglob("*.yaml")))


@pytest.mark.skipif(not UKAI.is_file(), reason="fonts-arphic-ukai is not installed")
def test_an_office_font_in_the_folder_serves_its_roles(
    content: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert main(["check", "--content", str(content)]) == 0
    before = capsys.readouterr().out
    assert "heading3        AR PL UKai CN (open fallback" in before

    office_kaiti(tmp_path / "fonts" / "kaiti_GB2312.ttf", _text(content) + "0123456789—")
    assert main(["check", "--content", str(content)]) == 0
    after = capsys.readouterr().out
    assert "heading3        楷体_GB2312 (office font kaiti_GB2312.ttf)" in after
    assert "body            Noto Serif CJK SC (open fallback" in after  # no 仿宋 given

    build_plan(content, tmp_path / "out", ("pdf",))
    listed = _fonts(tmp_path / "out" / "plan" / "plan.pdf")
    office = [line for line in listed.splitlines() if "GB2312" in line]
    assert len(office) == 1 and " yes yes yes " in office[0], listed  # embedded once, subset
    assert "UKai" not in listed  # the open 楷体 is no longer used


def test_no_folder_no_change(content: Path, tmp_path: Path) -> None:
    """Without a fonts folder the PDF embeds the open fonts, as before."""
    from jixi_report.writers import office_fonts

    chosen = office_fonts.choose(office_fonts.folder_for(content))
    assert {c.family for c in chosen.values()} == {
        "Noto Serif CJK SC",
        "Noto Sans CJK SC",
        "AR PL UKai CN",
    }
    assert all(c.file is None for c in chosen.values())


@pytest.mark.skipif(not UKAI.is_file(), reason="fonts-arphic-ukai is not installed")
def test_a_face_gone_before_the_merge_is_an_error(content: Path, tmp_path: Path) -> None:
    """A part embeds a stub of each face; the merge embeds the face from its file. A face no
    longer found (the office's file removed meanwhile) fails the build, never a PDF without
    glyphs."""
    import io

    from pypdf import PdfReader, PdfWriter

    from jixi_report.base.errors import BuildError
    from jixi_report.build import plan_document
    from jixi_report.writers import pdf, pdf_fonts, pdf_parts

    fonts = tmp_path / "fonts"
    office_kaiti(fonts / "kaiti_GB2312.ttf", _text(content))
    doc, allowed, _warnings = plan_document(content)
    with_kaiti = next(d for d in pdf_parts.split(doc)[0] if "<h3" in d)  # heading3: kaiti
    part = pdf.lay_out_part(with_kaiti, allowed, pdf_parts.BARE, fonts)
    assert pdf_fonts.share(PdfWriter(clone_from=PdfReader(io.BytesIO(part.pdf))), (fonts,)) >= 1
    with pytest.raises(BuildError, match="楷体_GB2312"):  # the folder not given: not found
        pdf_fonts.share(PdfWriter(clone_from=PdfReader(io.BytesIO(part.pdf))), ())
