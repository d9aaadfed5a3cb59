"""Reading the real outputs back: text of a .docx, a PDF and an HTML page."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import docx
import pypdf

FOOTER = re.compile(r"—\d+—")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_text(path: Path) -> str:
    """Paragraphs and table cells in document order."""
    d = docx.Document(str(path))
    body = d.element.body
    parts = []
    for el in body.iter():
        if el.tag.endswith("}t") and el.text:
            parts.append(el.text)
    return "".join(parts)


def pdf_pages(path: Path) -> list[str]:
    """Each page's text, extracted once per file version (pypdf takes seconds on CJK pages)."""
    stat = path.stat()
    return list(_pages(path, stat.st_mtime_ns, stat.st_size))


@cache
def _pages(path: Path, _mtime: int, _size: int) -> tuple[str, ...]:
    return tuple(p.extract_text() for p in pypdf.PdfReader(str(path)).pages)


def pdf_text(path: Path) -> str:
    """All pages' text, page numbers removed so paragraphs run on across pages."""
    return FOOTER.sub("", squash("".join(pdf_pages(path))))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "head")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "head")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def pdf_fonts(path: Path) -> set[str]:
    """Base names of every font embedded in the PDF, subset prefixes removed."""
    names = set()
    for page in pypdf.PdfReader(str(path)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            names.add(str(font.get("/BaseFont", "")).split("+")[-1])
    return names


def libreoffice(target: str, outdir: Path, *files: Path, timeout: int = 300) -> None:
    """LibreOffice converting `files` to `target` (pdf, odt) in `outdir`, with a profile of
    its own: two conversions at once (test workers side by side) would otherwise share the
    user's profile, and the second hands its job to the first or fails."""
    profile = (outdir / ".lo-profile").as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        capture_output=True,
        check=True,
        timeout=timeout,
    )


class WordTable:
    """A table of a .docx with its continuations joined (a table a page, each after a 续表N
    caption, the header rows repeated): the rows a reader reads, the header rows once."""

    def __init__(self, first: docx.table.Table) -> None:
        self.first = first
        self.rows = list(first.rows)

    @property
    def _tbl(self):
        return self.first._tbl


def word_tables(d) -> list[WordTable]:
    """The tables of the python-docx document `d`, continuations joined to their table."""
    from docx.oxml.ns import qn
    from docx.table import Table

    tables: list[WordTable] = []
    continued = False
    for element in d.element.body:
        if element.tag == qn("w:p"):
            text = "".join(t.text or "" for t in element.iter(qn("w:t")))
            continued = bool(re.match(r"续附?表", text))
        elif element.tag == qn("w:tbl"):
            table = Table(element, d._body)
            if continued and tables:
                heads = [r for r in element.iter(qn("w:tblHeader"))]
                tables[-1].rows += list(table.rows)[len(heads) :]
            else:
                tables.append(WordTable(table))
            continued = False
    return tables
