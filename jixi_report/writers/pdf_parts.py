"""The PDF built in parts: each chapter laid out on its own, in parallel, reused when unchanged.

Laying out the whole plan is most of a build's time. A chapter always starts on a new page, so
each `<section>` of `<main>` is laid out as its own document (page numbers continued from the
parts before it) and the parts are merged. A part whose HTML, style and first page number are
unchanged since the last build is taken from the cache instead of being laid out again; the
cover and contents come last, when every heading's page is known. Where each part lies in the
template's output is read from the document tree.
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from ..base.errors import BuildError
from ..base.style import TEMPLATES, house_style
from ..render.contents import contents_html
from ..render.tree import Document, Region, images
from . import pdf
from .pdf_cache import Cache
from .pdf_merge import merge

_PARTS = ("chapter", "back")  # the sections <main> consists of


def split(doc: Document) -> tuple[list[str], list[list[str]]]:
    """Each part of <main> as a document of its own, and each part's images."""
    main = doc.region("main")
    parts = main.children if main is not None else []
    if not parts or not all(isinstance(p, Region) and p.kind in _PARTS for p in parts):
        raise BuildError("PDF: <main> must consist of <section class=chapter|back> parts")
    assert main is not None
    src = doc.source
    head, tail = src[: doc.body_start], src[main.end :]
    docs = []
    for part in parts:
        assert isinstance(part, Region)
        end = part.end + 1 if src.startswith("\n", part.end) else part.end
        docs.append(f"{head}\n<main>\n{src[part.start : end]}</main>{tail}")
    return docs, [images([p]) for p in parts]


def _part_css(start: int, spacer: bool) -> str:
    return f"@page :first {{ counter-reset: page {start - 1 if spacer else start}; }}\n"


_MARK = (TEMPLATES / "watermark.svg").as_uri()


def watermark_css(doc: Document) -> str:
    """A mark behind every page (example data) and a line above it (example data, a draft's
    stage and date): the template asks by meta tags."""
    mark, header = doc.meta.get("jixi.watermark"), doc.meta.get("jixi.header")
    if mark is None and header is None:
        return ""
    css = ""
    if mark is not None:  # fixed: repeated on every page; z-index: above charts and tables
        css += (
            f"body::before {{ content: ''; position: fixed; z-index: 10; top: 0; left: 0;"
            f" width: 100%; height: 100%; background: url({_MARK}) no-repeat center / 80%; }}\n"
        )
    css += "@page { "
    if header is not None:
        css += (
            f'@top-center {{ content: "{header}"; color: #b00; font-size: 12pt;'
            f' font-family: "{house_style().roles["banner"].font.pdf}"; vertical-align: bottom;'
            " padding-bottom: 4mm; } "
        )
    return css + "}\n"


def _with_spacer(doc: str) -> str:
    return doc.replace("<main>\n", '<main>\n<div class="spacer"></div>\n', 1)


@dataclass
class Built:
    pdf: bytes
    pages: dict[str, int]  # heading id → printed page number
    laid_out: int  # parts laid out in this build (the rest came from the cache)

    parts: int


def build(
    doc: Document,
    allowed: list[Path],
    cache: Cache,
    stem: str,
    pool: Executor | None = None,
) -> Built:
    """Lay out (or reuse) every part, then the front matter, and merge them into one PDF."""
    pdf.check_fonts()
    docs, images = split(doc)
    extra = watermark_css(doc)
    counts = cache.hint(stem)
    results: dict[int, tuple[int, pdf.Part]] = {}  # part → (start it was laid out for, result)
    laid_out: set[int] = set()
    if len(counts) != len(docs):  # a first build: count every part's pages in one layout
        counts = _first_counts(doc, docs, images[0], allowed, cache, pool, results, extra)
        laid_out.add(0)
    for _attempt in range(len(docs) + 1):
        starts = _starts(counts)
        todo = {}
        for i, part in enumerate(docs):
            if i in results and results[i][0] == starts[i]:
                continue
            source, css, skip = _part_source(part, starts[i], extra)
            key = cache.key(source, css, images[i])
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
    front_part = _front(doc, pages, allowed, cache, warm_pool, extra)
    cache.finish(stem, counts, pages)
    data = merge([front_part, *(results[i][1] for i in range(len(docs)))], pages, doc)
    return Built(data, pages, len(laid_out), len(docs))


def _first_counts(doc, docs, images, allowed, cache, pool, results, extra) -> list[int]:
    """Page counts from laying <main> out whole, while the first part (page 1) is laid out."""
    numbered = doc.source[: doc.body_start] + "\n<main>\n"
    for i, part in enumerate(docs):
        section = part.partition("<main>\n")[2].rpartition("</main>")[0]
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
    cache.put(cache.key(source, css, images), first)
    results[0] = (1, first)
    return counts


def _starts(counts: list[int]) -> list[int]:
    starts, page = [], 1
    for n in counts:
        starts.append(page)
        page += n
    return starts


def _part_source(doc: str, start: int, extra: str) -> tuple[str, str, int]:
    """The document, its style and how many leading pages to drop, for a part at `start`.
    The 版记 (section.back) stands on an even page: at an odd start the spacer is kept blank."""
    blank = '<section class="back"' in doc and start % 2 == 1
    spacer = start % 2 == 0 or blank  # even pages are left pages: begin with a page to drop
    css = _part_css(start + blank, spacer) + extra + ("/* blank page kept */\n" if blank else "")
    return (_with_spacer(doc) if spacer else doc), css, int(spacer and not blank)


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
    doc: Document,
    pages: dict[str, int],
    allowed: list[Path],
    cache: Cache,
    pool: Executor | None,
    css: str,
) -> pdf.Part:
    """Cover and contents, each entry given its page; empty anchors keep the links valid."""
    main, nav = doc.region("main"), doc.region("toc")
    assert main is not None  # split() checked it
    head, front = doc.source[: doc.body_start], doc.source[doc.body_start : main.start]
    tail = doc.source[main.end :]
    if nav is not None and nav.close < main.start:  # the contents stand before the body
        anchors = "".join(f'<a id="{e.id}"></a>' for e in doc.contents)
        lines = contents_html(doc, pages) + f'<p class="anchors">{anchors}</p>\n'
        at = nav.close - doc.body_start
        front = front[:at] + lines + front[at:]
    source = head + front + tail
    key = cache.key(source, css, images([b for b in doc.body if b is not main]))
    part = cache.get(key)
    if part is None:
        args = (source, allowed, css, 0)
        part = pool.submit(pdf.lay_out_part, *args).result() if pool else pdf.lay_out_part(*args)
        cache.put(key, part)
    return part
