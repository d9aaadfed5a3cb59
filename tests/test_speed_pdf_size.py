"""The merged PDF embeds each font face once (issue 12: its size beside LibreOffice's), and the
pages read and look exactly as with every part's own subsets."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from conftest import MINI, MiniBuild
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter

from jixi_report.writers import pdf, pdf_fonts, pdf_parts


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
