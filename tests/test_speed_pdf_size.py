"""The merged PDF embeds each font face once (issue 12: its size beside LibreOffice's), and the
pages read and look exactly as with every part's own subsets."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from conftest import MINI, MiniBuild
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter

from jixi_report.writers import font_files, pdf, pdf_fonts, pdf_parts


def _fonts(pdf: Path) -> list[str]:
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    return [line.split()[0] for line in listed.stdout.splitlines()[2:]]


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pages(pdf: Path, folder: Path) -> list[Image.Image]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(folder / "p")], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(folder.glob("*.png"))]


def _parts_joined(built: MiniBuild, target: Path) -> Path:
    """The fictional plan's parts laid out and written as WeasyPrint writes a document (each
    with its own subsets) and appended as they are."""
    from jixi_report.build import plan_document

    doc, allowed, _warnings = plan_document(MINI)
    writer = PdfWriter()
    for part in pdf_parts.split(doc)[0]:
        data = pdf.layout(part, allowed, pdf_parts.BARE).write_pdf()
        writer.append(PdfReader(io.BytesIO(data)))
    with target.open("wb") as out:
        writer.write(out)
    return target


def test_each_face_is_embedded_once(mini_built: MiniBuild) -> None:
    names = _fonts(mini_built.plan / "plan.pdf")
    assert len(names) == len(set(names)) >= 3  # serif, bold, sans at least
    assert mini_built.result.parts > 2  # the parts each embedded their own


def test_sharing_keeps_every_glyph_and_text(mini_built: MiniBuild, tmp_path: Path) -> None:
    joined = _parts_joined(mini_built, tmp_path / "joined.pdf")
    before = _fonts(joined)
    assert len(before) > len(set(before))  # the same face in several parts
    writer = PdfWriter(clone_from=PdfReader(joined))
    assert pdf_fonts.share(writer) == len(set(before))
    shared = tmp_path / "shared.pdf"
    buffer = io.BytesIO()
    writer.write(buffer)
    shared.write_bytes(buffer.getvalue())
    after = _fonts(shared)
    assert sorted(after) == sorted(set(before))
    assert shared.stat().st_size < joined.stat().st_size * 0.6
    assert _text(shared) == _text(joined)
    old, new = _pages(joined, tmp_path / "old"), _pages(shared, tmp_path / "new")
    assert len(old) == len(new)
    for number, (a, b) in enumerate(zip(old, new, strict=True), 1):
        assert ImageChops.difference(a, b).getbbox() is None, f"page {number} looks different"


def test_every_width_is_the_embedded_glyph_s_own(mini_built: MiniBuild) -> None:
    """The parts hand their widths over beside the PDF (pdf.write): in the merged file each
    font's /W gives every glyph the advance its embedded program has, or a viewer would set
    the text too loose or overlapping."""
    from fontTools.ttLib import TTFont

    reader = PdfReader(str(mini_built.plan / "plan.pdf"))
    checked = 0
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            cid = font["/DescendantFonts"][0].get_object()
            descriptor = cid["/FontDescriptor"].get_object()
            # the face's own file on this machine (the embedded CFF has no metrics table)
            program = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
            data = program.get_object().get_data()
            name = font_files.postscript_name(data) or _cff_name(data)
            found = font_files.locate(name, ())
            assert found is not None, name
            face = TTFont(str(found[0]), fontNumber=found[1], lazy=True)
            upem, advances = face["head"].unitsPerEm, face["hmtx"].metrics
            order = face.getGlyphOrder()
            widths = pdf_fonts._widths(cid["/W"])
            assert len(widths) > 5, font["/BaseFont"]
            for gid, width in widths.items():
                expected = advances[order[gid]][0] * 1000 / upem
                assert abs(float(width) - expected) < 0.5, (font["/BaseFont"], gid)
            checked += len(widths)
    assert checked > 100


def _cff_name(data: bytes) -> str:
    """The PostScript name of a bare CFF program (as the merged file embeds CJK faces)."""
    from fontTools.cffLib import CFFFontSet

    cff = CFFFontSet()
    cff.decompile(io.BytesIO(data), None)
    return cff.fontNames[0]
