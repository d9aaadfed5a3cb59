"""The PDF built in parts: each chapter laid out once, in parallel, reused when unchanged.

Laying out the whole plan is most of a build's time. A chapter always starts on a new page, so
each `<section>` of `<main>` is laid out as its own document and the parts are merged. What a
page shows besides its body (the page number, a draft's banner) is all in the page's margin
boxes: the parts are laid out without them, so a part's pages do not depend on where it lands,
and once the parts' lengths are known one light document of empty pages (the same named pages,
so the same `@page` rules) draws every margin box with the right number, to be laid over the
body pages. No page is laid out twice, and a part whose HTML and style are unchanged since an
earlier build is taken from the cache whatever its first page number is now. The cover and
contents come last, when every heading's page is known. Where each part lies in the template's
output is read from the document tree.
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


# The sixteen margin boxes of CSS paged media: none is drawn on a part's own pages.
_BOXES = [
    f"{edge}-{where}"
    for edge in ("top", "bottom")
    for where in ("left-corner", "left", "center", "right", "right-corner")
] + [f"{side}-{where}" for side in ("left", "right") for where in ("top", "middle", "bottom")]
BARE = "@page { " + " ".join(f"@{b} {{ content: none !important; }}" for b in _BOXES) + " }\n"
# The overlay draws only its margin boxes: no page background (the watermark is the body's).
_CLEAR = "html, body { background: none !important; } @page { background: none !important; }\n"


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
    font_folders: tuple[Path, ...] = (),
) -> Built:
    """Lay out (or reuse) every part, then the margin boxes and the front matter, and merge
    them into one PDF."""
    pdf.check_fonts()
    docs, images = split(doc)
    extra = watermark_css(doc)
    results: dict[int, pdf.Part] = {}
    todo = {}
    for i, part in enumerate(docs):
        key = cache.key(part, BARE + extra, images[i])
        hit = cache.get(key)
        if hit is not None:
            results[i] = hit
        else:
            todo[i] = (key, part, BARE + extra)
    _lay_out(todo, results, allowed, cache, pool)
    counts = [results[i].pages for i in range(len(docs))]
    starts = _starts(counts)
    pages = {a: starts[i] + n for i in range(len(docs)) for a, n in results[i].anchors.items()}
    names = [name for i in range(len(docs)) for name in results[i].names]
    warm_pool = pool if pool is not None and len(todo) > 1 else None  # WeasyPrint loaded there
    numbers = _overlay(doc, names, allowed, cache, warm_pool, extra)
    front_part = _front(doc, pages, allowed, cache, warm_pool, extra)
    cache.finish(stem, counts, pages)
    parts = [front_part, *(results[i] for i in range(len(docs)))]
    data = merge(parts, pages, doc, numbers.result(), font_folders)
    return Built(data, pages, len(todo), len(docs))


def _starts(counts: list[int]) -> list[int]:
    starts, page = [], 1
    for n in counts:
        starts.append(page)
        page += n
    return starts


def _lay_out(todo, results, allowed, cache, pool) -> None:
    if pool is not None and len(todo) > 1:  # one part: WeasyPrint here beats a fork
        futures = {
            i: pool.submit(pdf.lay_out_part, source, allowed, css)
            for i, (_key, source, css) in todo.items()
        }
        done = {i: f.result() for i, f in futures.items()}
    else:
        done = {i: pdf.lay_out_part(source, allowed, css) for i, (_k, source, css) in todo.items()}
    for i, part in done.items():
        cache.put(todo[i][0], part)
        results[i] = part


class _Ready:
    """A result already at hand, answering like a Future."""

    def __init__(self, value: pdf.Part) -> None:
        self.value = value

    def result(self) -> pdf.Part:
        return self.value


def _overlay(
    doc: Document,
    names: list[str],
    allowed: list[Path],
    cache: Cache,
    pool: Executor | None,
    extra: str,
):
    """The margin boxes of every body page, numbered from 1: a document of as many empty
    pages, each with the name of the body page it lies over (a Future-like result: it is laid
    out beside the front matter when a worker is free)."""
    head = doc.source[: doc.body_start]
    pages = "".join(
        f'<div class="jr-page" style="page: {name}"></div>'
        if name
        else '<div class="jr-page"></div>'
        for name in names
    )
    source = f"{head}\n{pages}\n</body>\n</html>\n"
    css = extra + _CLEAR + "div.jr-page { break-before: page; height: 1px; }\n"
    key = cache.key(source, css, [])
    part = cache.get(key)
    if part is not None:
        return _Ready(part)
    if pool is not None:
        future = pool.submit(pdf.lay_out_part, source, allowed, css)
    else:
        future = _Ready(pdf.lay_out_part(source, allowed, css))
    return _Stored(future, cache, key)


class _Stored:
    """A part being laid out, put into the cache when it is asked for."""

    def __init__(self, future, cache: Cache, key: str) -> None:
        self.future, self.cache, self.key = future, cache, key

    def result(self) -> pdf.Part:
        part = self.future.result()
        self.cache.put(self.key, part)
        return part


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
        args = (source, allowed, css)
        part = pool.submit(pdf.lay_out_part, *args).result() if pool else pdf.lay_out_part(*args)
        cache.put(key, part)
    return part
