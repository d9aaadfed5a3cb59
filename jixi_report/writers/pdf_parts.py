"""The PDF built in parts: each chapter laid out on its own, in parallel, reused when unchanged.

Laying out the whole plan is most of a build's time. A chapter always starts on a new page, so
each `<section>` of `<main>` is laid out as its own document (page numbers continued from the
parts before it) and the parts are merged. A part whose HTML, style and first page number are
unchanged since the last build is taken from the cache instead of being laid out again; the
cover and contents come last, when every heading's page is known.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from concurrent.futures import Executor
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import BuildError
from ..style import TEMPLATES
from . import pdf

CACHE_FORMAT = "1"
KEEP_BUILDS = 3
_SECTION = re.compile(r'<section class="(?:chapter|back)">.*?</section>\n?', re.S)
_TOC_LINK = re.compile(r'<a href="#([^"]+)">')
_IMAGE = re.compile(r'src="file://([^"]+)"')


@dataclass
class Source:
    name: str
    html: str  # a standalone document
    start: int | None  # the first page number, None for the unnumbered front matter


def split(html: str) -> tuple[str, list[str]]:
    """The front matter document (cover, contents) and each part of <main>, as documents."""
    prefix, _, rest = html.partition("<body>")
    front, _, rest = rest.partition("<main>")
    body, _, tail = rest.partition("</main>")
    sections = _SECTION.findall(body)
    if not sections or _SECTION.sub("", body).strip():
        raise BuildError("PDF: <main> must consist of <section class=chapter|back> parts")
    head = f"{prefix}<body>"
    return head + front + tail, [f"{head}\n<main>\n{s}</main>{tail}" for s in sections]


def _part_css(start: int, spacer: bool) -> str:
    return f"@page :first {{ counter-reset: page {start - 1 if spacer else start}; }}\n"


_MARK = (TEMPLATES / "watermark.svg").as_uri()
_WATERMARK = re.compile(r'<meta name="jixi.watermark" content="([^"]*)">')


def watermark_css(html: str) -> str:
    """Example data: a mark behind every page and a line above it (the HTML asks by a meta tag)."""
    found = _WATERMARK.search(html)
    if not found:
        return ""
    return (
        f"@page {{ background: url({_MARK}) no-repeat center / 80%;\n"
        f'  @top-center {{ content: "{found[1]}"; color: #b00; font-size: 12pt;'
        ' font-family: "Noto Sans CJK SC"; vertical-align: bottom; padding-bottom: 4mm; } }\n'
    )


def _with_spacer(doc: str) -> str:
    return doc.replace("<main>\n", '<main>\n<div class="spacer"></div>\n', 1)


class Cache:
    """Laid-out parts on disk, keyed by everything that can change their pages."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: list[str] = []

    def key(self, html: str, css: str) -> str:
        digest = hashlib.sha256()
        for text in (CACHE_FORMAT, pdf.weasyprint_version(), pdf.stylesheet(), css, html):
            digest.update(text.encode("utf-8") + b"\0")
        for image in _IMAGE.findall(html):  # an image changed under the same name
            digest.update(Path(image).read_bytes() if Path(image).is_file() else b"?")
        return digest.hexdigest()[:32]

    def get(self, key: str) -> pdf.Part | None:
        self.used.append(key)
        if self.folder is None:
            return None
        meta, data = self.folder / f"{key}.json", self.folder / f"{key}.pdf"
        if not (meta.is_file() and data.is_file()):
            return None
        fields = json.loads(meta.read_text(encoding="utf-8"))
        fields["links"] = [(i, tuple(r), t) for i, r, t in fields["links"]]
        fields["size"] = tuple(fields["size"])
        return pdf.Part(pdf=data.read_bytes(), **fields)

    def put(self, key: str, part: pdf.Part) -> None:
        self.used.append(key)
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{key}.pdf").write_bytes(part.pdf)
        fields = {k: v for k, v in asdict(part).items() if k != "pdf"}
        (self.folder / f"{key}.json").write_text(json.dumps(fields), encoding="utf-8")

    def hint(self, stem: str) -> list[int]:
        """Page counts of the parts at the last build of `stem`: this build's first guess."""
        path = self.folder / f"{stem}.pages.json" if self.folder else None
        return json.loads(path.read_text(encoding="utf-8")) if path and path.is_file() else []

    def last_pages(self, stem: str) -> dict[str, int] | None:
        """Every heading's page at the last build: Word's contents can start from these."""
        path = self.folder / f"{stem}.anchors.json" if self.folder else None
        return json.loads(path.read_text(encoding="utf-8")) if path and path.is_file() else None

    def finish(self, stem: str, counts: list[int], pages: dict[str, int]) -> None:
        """Remember the parts' page counts and the headings' pages; drop parts none of the
        last few builds used."""
        if self.folder is None:
            return
        (self.folder / f"{stem}.pages.json").write_text(json.dumps(counts), encoding="utf-8")
        (self.folder / f"{stem}.anchors.json").write_text(json.dumps(pages), encoding="utf-8")
        history = self.folder / f"{stem}.keys.json"
        builds = json.loads(history.read_text(encoding="utf-8")) if history.is_file() else []
        builds = [sorted(set(self.used)), *builds][:KEEP_BUILDS]  # an undo finds its parts
        history.write_text(json.dumps(builds), encoding="utf-8")
        keep = set()
        for keys in self.folder.glob("*.keys.json"):
            keep.update(k for build in json.loads(keys.read_text(encoding="utf-8")) for k in build)
        for path in self.folder.glob("*.pdf"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                path.with_suffix(".json").unlink(missing_ok=True)


@dataclass
class Built:
    pdf: bytes
    pages: dict[str, int]  # heading id → printed page number
    laid_out: int  # parts laid out in this build (the rest came from the cache)

    parts: int


def build(
    html: str,
    allowed: list[Path],
    cache: Cache,
    stem: str,
    pool: Executor | None = None,
) -> Built:
    """Lay out (or reuse) every part, then the front matter, and merge them into one PDF."""
    front, docs = split(html)
    extra = watermark_css(html)
    counts = cache.hint(stem)
    results: dict[int, tuple[int, pdf.Part]] = {}  # part → (start it was laid out for, result)
    laid_out: set[int] = set()
    if len(counts) != len(docs):  # a first build: count every part's pages in one layout
        counts = _first_counts(html, docs, allowed, cache, pool, results, extra)
        laid_out.add(0)
    for _attempt in range(len(docs) + 1):
        starts = _starts(counts)
        todo = {}
        for i, doc in enumerate(docs):
            if i in results and results[i][0] == starts[i]:
                continue
            source, css, skip = _part_source(doc, starts[i], extra)
            key = cache.key(source, css)
            hit = cache.get(key)
            if hit is not None:
                results[i] = (starts[i], hit)
            else:
                todo[i] = (key, source, css, skip)
        _lay_out(todo, results, starts, allowed, cache, pool)
        laid_out.update(todo)
        new_counts = [results[i][1].pages for i in range(len(docs))]
        if new_counts == counts:
            break
        counts = new_counts  # a part's length changed: later parts start elsewhere
    else:
        raise BuildError("PDF: page numbers did not settle")
    starts = _starts(counts)
    pages = {a: starts[i] + n for i in range(len(docs)) for a, n in results[i][1].anchors.items()}
    warm_pool = pool if pool is not None and len(laid_out) > 1 else None  # WeasyPrint loaded there
    front_part = _front(front, pages, allowed, cache, warm_pool, extra)
    cache.finish(stem, counts, pages)
    data = merge([front_part, *(results[i][1] for i in range(len(docs)))], pages, html)
    return Built(data, pages, len(laid_out), len(docs))


def _first_counts(html, docs, allowed, cache, pool, results, extra) -> list[int]:
    """Page counts from laying <main> out whole, while the first part (page 1) is laid out."""
    numbered = html.partition("<body>")[0] + "<body>\n<main>\n"
    for i, doc in enumerate(docs):
        section = doc.partition("<main>\n")[2].rpartition("</main>")[0]
        numbered += section.replace("<section ", f'<section id="jr-part-{i}" ', 1)
    numbered += "</main>\n</body>\n</html>\n"
    source, css, _skip = _part_source(docs[0], 1, extra)
    if pool is not None:
        counting = pool.submit(pdf.count_parts, numbered, allowed, len(docs))
        first = pool.submit(pdf.lay_out_part, source, allowed, css, 0).result()
        counts = counting.result()
    else:
        first = pdf.lay_out_part(source, allowed, css, 0)
        counts = pdf.count_parts(numbered, allowed, len(docs))
    cache.put(cache.key(source, css), first)
    results[0] = (1, first)
    return counts


def _starts(counts: list[int]) -> list[int]:
    starts, page = [], 1
    for n in counts:
        starts.append(page)
        page += n
    return starts


def _part_source(doc: str, start: int, extra: str) -> tuple[str, str, int]:
    """The document, its style and how many leading pages to drop, for a part at `start`."""
    spacer = start % 2 == 0  # even pages are left pages: begin with a page to drop
    return (_with_spacer(doc) if spacer else doc), _part_css(start, spacer) + extra, int(spacer)


def _lay_out(todo, results, starts, allowed, cache, pool) -> None:
    if pool is not None and len(todo) > 1:  # one part: WeasyPrint here beats a fork
        futures = {
            i: pool.submit(pdf.lay_out_part, source, allowed, css, skip)
            for i, (_key, source, css, skip) in todo.items()
        }
        done = {i: f.result() for i, f in futures.items()}
    else:
        done = {
            i: pdf.lay_out_part(source, allowed, css, skip)
            for i, (_k, source, css, skip) in todo.items()
        }
    for i, part in done.items():
        cache.put(todo[i][0], part)
        results[i] = (starts[i], part)


def _front(
    front: str,
    pages: dict[str, int],
    allowed: list[Path],
    cache: Cache,
    pool: Executor | None,
    css: str,
) -> pdf.Part:
    """Cover and contents, each entry given its page; empty anchors keep the links valid."""
    ids = _TOC_LINK.findall(front)
    source = _TOC_LINK.sub(lambda m: f'<a href="#{m[1]}" data-page="{pages.get(m[1], "")}">', front)
    anchors = "".join(f'<a id="{i}"></a>' for i in ids)
    source = source.replace("</nav>", f'<p class="anchors">{anchors}</p>\n</nav>', 1)
    key = cache.key(source, css)
    part = cache.get(key)
    if part is None:
        args = (source, allowed, css, 0)
        part = pool.submit(pdf.lay_out_part, *args).result() if pool else pdf.lay_out_part(*args)
        cache.put(key, part)
    return part


def merge(parts: list[pdf.Part], pages: dict[str, int], html: str) -> bytes:
    """One PDF: parts in order, their bookmarks, contents entries linked to their pages."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    writer = PdfWriter()
    offsets = []
    for part in parts:
        offsets.append(len(writer.pages))
        reader = PdfReader(io.BytesIO(part.pdf))
        writer.append(reader, pages=(part.skip, len(reader.pages)), import_outline=True)
    front = parts[0]
    body_first = offsets[1] if len(offsets) > 1 else 0
    for page in writer.pages[: front.pages]:
        if "/Annots" in page:
            del page[NameObject("/Annots")]  # they point at the placeholder anchors
    boxes: dict[tuple[int, str], tuple[float, float, float, float]] = {}
    for index, (x0, y0, x1, y1), target in front.links:  # one entry per box of a link: join them
        a = boxes.get((index, target), (x0, y0, x1, y1))
        boxes[(index, target)] = (min(a[0], x0), min(a[1], y0), max(a[2], x1), max(a[3], y1))
    for (index, target), rect in boxes.items():
        if target in pages:
            writer.add_annotation(
                index, Link(rect=rect, target_page_index=body_first + pages[target] - 1)
            )
    meta = _meta(html)
    writer.add_metadata({f"/{k}": v for k, v in meta.items() if k != "Lang"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(meta.get("Lang", "zh-CN"))
    writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    digest = hashlib.sha256(b"".join(p.pdf for p in parts)).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_META = re.compile(r'<meta name="([^"]+)" content="([^"]*)">')


def _meta(html: str) -> dict[str, str]:
    from html import unescape

    found = {k: unescape(v) for k, v in _META.findall(html)}
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    lang = re.search(r'<html lang="([^"]+)"', html)
    created = found.get("dcterms.created", "").replace("-", "")
    return {
        "Title": unescape(title[1]) if title else "",
        "Author": found.get("author", ""),
        "Subject": found.get("description", ""),
        "Creator": "jixi-report",
        "Producer": f"WeasyPrint {pdf.weasyprint_version()}, pypdf",
        **(
            {"CreationDate": f"D:{created}000000Z", "ModDate": f"D:{created}000000Z"}
            if created
            else {}
        ),
        "Lang": lang[1] if lang else "zh-CN",
    }
