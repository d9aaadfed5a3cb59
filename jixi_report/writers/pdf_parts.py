"""The PDF built in parts: each chapter laid out once, in parallel, reused when unchanged.

Laying out the whole plan is most of a build's time. A chapter always starts on a new page, so
each `<section>` of `<main>` is laid out as its own document and the parts are merged; so is
each stretch of a chapter that ends with a landscape stretch (the report's first chapter, 34
pages and ten charts, would otherwise keep one core busy while the other waits). What a
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

import html
import itertools
import re
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from ..base.dispatch import HELD, LAYOUT, Dispatcher
from ..base.errors import BuildError
from ..base.style import TEMPLATES
from ..render.contents import contents_html
from ..render.tree import Document, Region, image_file, images
from . import pdf
from .office_fonts import pdf_style
from .pdf_cache import Cache
from .pdf_merge import merge, read
from .settled import Settled

_PARTS = ("chapter", "back")  # the sections <main> consists of


def split(doc: Document) -> tuple[list[str], list[list[str]]]:
    """Each part of <main> as a document of its own, and each part's images. A chapter is
    cut after each landscape stretch that text follows: the portrait page after one always
    starts a new page, so the pieces are laid out apart (on both cores, each with its own
    charts) into the pages the whole chapter gives. The text leading into a landscape
    stretch stays in its piece (page_fill.py moves it onto the landscape page)."""
    main = doc.region("main")
    parts = main.children if main is not None else []
    if not parts or not all(isinstance(p, Region) and p.kind in _PARTS for p in parts):
        raise BuildError("PDF: <main> must consist of <section class=chapter|back> parts")
    assert main is not None
    src = doc.source
    head, tail = src[: doc.body_start], src[main.end :]
    docs, found = [], []
    for part in parts:
        assert isinstance(part, Region)
        end = part.end + 1 if src.startswith("\n", part.end) else part.end
        every = images([part])
        for piece in _pieces(src, part, end):
            docs.append(f"{head}\n<main>\n{piece}</main>{tail}")
            found.append([i for i in every if html.escape(i) in piece or i in piece])
    return docs, found


def _pieces(src: str, part: Region, end: int) -> list[str]:
    """The part's source, cut after each landscape stretch that more of the part follows;
    every piece but the first opens as the part opens, every piece but the last closes it."""
    opening = src[part.start : src.index(">", part.start) + 1]
    if " id=" in opening:  # an id may stand once: such a part is laid out whole
        return [src[part.start : end]]
    stretches = [c for c in part.children if isinstance(c, Region) and c.kind == "landscape"]
    starts = {child.start for child in stretches}
    cuts = []
    for child in stretches:
        rest = src[child.end : part.close]
        after = child.end + len(rest) - len(rest.lstrip())
        # text follows it in the part, not another landscape stretch (which shares its page)
        if rest.strip() and after not in starts:
            cuts.append(child.end + 1 if src.startswith("\n", child.end) else child.end)
    bounds = [part.start, *cuts, end]
    pieces = [src[a:b] for a, b in itertools.pairwise(bounds)]
    return [
        (opening + "\n" if n else "") + piece + ("</section>\n" if n < len(pieces) - 1 else "")
        for n, piece in enumerate(pieces)
    ]


_MARK = (TEMPLATES / "watermark.svg").as_uri()


def watermark_css(doc: Document, fonts: Path | None = None) -> str:
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
        banner = pdf_style(fonts)[0].roles["banner"]
        css += (
            f'@top-center {{ content: "{header}"; color: {banner.colour}; font-size: 12pt;'
            f' font-family: "{banner.font.pdf}";'
            " vertical-align: bottom; padding-bottom: 4mm; } "
        )
    return css + "}\n"


# The sixteen margin boxes of CSS paged media: none is drawn on a part's own pages.
_BOXES = [
    f"{edge}-{where}"
    for edge in ("top", "bottom")
    for where in ("left-corner", "left", "center", "right", "right-corner")
] + [f"{side}-{where}" for side in ("left", "right") for where in ("top", "middle", "bottom")]
BARE = "@page { " + " ".join(f"@{b} {{ content: none !important; }}" for b in _BOXES) + " }\n"
# A part's first page is whichever side it lands on; a blank page is added where it must be even.
BARE += "main > section:first-child { break-before: auto !important; }\n"
# The overlay draws only its margin boxes: no page background (the watermark is the body's).
_CLEAR = (
    "html, body { background: none !important; } @page { background: none !important; }\n"
    "body::before { content: none !important; }\n"  # the watermark (a fixed box) is the body's
)


@dataclass
class Built:
    pdf: bytes
    settled: Settled  # the headings' pages, the tables' cuts, the lead-ins moved (Word's too)
    laid_out: int  # parts laid out in this build (the rest came from the cache)
    parts: int

    @property
    def pages(self) -> dict[str, int]:
        return self.settled.pages


_TABLE = re.compile(r"<table[\s>]")  # a part's tables, in order (text has < escaped)
_LANDSCAPE = re.compile(r'<div class="landscape"')  # its landscape stretches


def settled(
    docs: list[str], parts: list[pdf.Part], pages: dict[str, int], back: int | None = None
) -> Settled:
    """What the parts settled, numbered for the whole of <main>: each part's split tables
    and moved lead-ins under their index among all the tables and landscape stretches of
    <main> (the parts are <main> in order, and each part's HTML holds its own in order)."""
    tables: dict[int, list[int]] = {}
    leadins: dict[int, int] = {}
    tables_before = stretches_before = 0
    for source, part in zip(docs, parts, strict=True):
        tables.update((tables_before + n, list(rows)) for n, rows in part.tables)
        leadins.update((stretches_before + n, count) for n, count in part.leadins)
        main = source[source.index("<main>") : source.rindex("</main>")]
        tables_before += len(_TABLE.findall(main))
        stretches_before += len(_LANDSCAPE.findall(main))
    return Settled(pages, tables, leadins, back)


def build(
    doc: Document,
    allowed: list[Path],
    cache: Cache,
    stem: str,
    pool: Dispatcher | None = None,
    meanwhile: Callable[[Settled], None] | None = None,
    drawn: Mapping[Path, Future[None]] | None = None,
) -> Built:
    """Lay out (or reuse) every part, then the margin boxes and the front matter, and merge
    them into one PDF. `meanwhile` is called with what the parts settled (settled.py) once
    those two are queued: Word needs only that, and takes a worker as one comes free; the
    merge waits for those two, not for Word (the plan's cold build: 5 % sooner, the
    report's, whose Word file is longer, the same). `drawn`: images still being drawn on
    the workers, by file: a part showing one is laid out as soon as they are, before the
    parts that show none (the report's first chapter, the longest part, with six charts)."""
    pdf.check_fonts()
    docs, images = split(doc)
    extra = watermark_css(doc, cache.fonts)
    drawn = drawn or {}
    body = [
        _Job(cache, part, BARE + extra, images[i], allowed, _waits(images[i], drawn))
        for i, part in enumerate(docs)
    ]
    if sum(job.part is None for job in body) < 2:
        pool = None  # one part or none to lay out: here, where WeasyPrint loads once, not twice
    for job in body:  # the longest first (its urgency): both cores stay busy to the end
        job.start(pool)
    results, readers = [], {}
    # Each part read for the merge (pdf_merge.read) once it and the parts before it are laid
    # out, while the workers lay out the rest.
    for n, job in enumerate(body):
        results.append(job.result())
        readers[n + 1] = read(results[-1].pdf)
    blanks = _blanks(docs, results)
    starts = _starts([part.pages + (i in blanks) for i, part in enumerate(results)], blanks)
    pages = {a: starts[i] + n for i, part in enumerate(results) for a, n in part.anchors.items()}
    back = _numbered_back(docs, blanks)
    names = _names(results, blanks, back)
    fixed = settled(docs, results, pages, starts[back] if back is not None else None)
    numbers = _overlay(doc, names, allowed, cache, extra).start(pool)
    front = _front(doc, pages, allowed, cache, extra).start(pool)
    if meanwhile is not None:
        meanwhile(fixed)
    cache.finish(stem, [part.pages for part in results], fixed)
    store = cache.folder / "fonts" if cache.folder is not None else None
    fonts = (cache.fonts,) if cache.fonts is not None else ()
    parts = [front.result(), *results]
    blank = {i + 1 for i in blanks}
    data = merge(parts, pages, doc, numbers.result(), fonts, store, blank, readers)
    return Built(data, fixed, sum(job.laid_out for job in body), len(docs))


# The 版记 stands on an even page (GB/T 9704 §10; print.css: section.back, break-before: left).
_EVEN = '<section class="back"'
# GB/T 9704-2012 §7.5: where a blank page is kept before the 版记, neither it nor the 版记's page
# is numbered; a 版记 that follows the text on the next page is numbered as the text's pages
# are. print.css numbers pages named `main` and gives `back` no margin boxes.
_BACK, _NUMBERED = "back", "main"


def _numbered_back(docs: list[str], blanks: set[int]) -> int | None:
    """The part holding the 版记 where its page is numbered (§7.5 above), else None."""
    return next((i for i, d in enumerate(docs) if _EVEN in d and i not in blanks), None)


def _names(parts: list[pdf.Part], blanks: set[int], back: int | None) -> list[str]:
    """Each page's name for its margin boxes: a part's own, a blank page the next page's, and
    the pages of part `back` (a 版记 numbered) as the text's."""
    names = []
    for i, part in enumerate(parts):
        own = part.names
        if i == back:
            own = [_NUMBERED if name == _BACK else name for name in own]
        names += part.names[: int(i in blanks)] + own  # a blank page: as the next, unnumbered
    return names


def _blanks(docs: list[str], parts: list[pdf.Part]) -> set[int]:
    """The parts a blank page must precede: a part on an even page that would start on an
    odd one (a part's side is known only when the parts before it are laid out)."""
    blanks, page = set(), 1
    for i, part in enumerate(parts):
        if _EVEN in docs[i] and page % 2 == 1:
            blanks.add(i)
            page += 1
        page += part.pages
    return blanks


def _starts(counts: list[int], blanks: set[int] = frozenset()) -> list[int]:
    """Each part's first page number (after the blank page that precedes it, if any)."""
    starts, page = [], 1
    for i, n in enumerate(counts):
        starts.append(page + (i in blanks))
        page += n
    return starts


def _waits(images: list[str], drawn: Mapping[Path, Future[None]]) -> list[Future[None]]:
    return [drawn[file] for file in map(image_file, images) if file in drawn]


class _Job:
    """One document to lay out: from the cache, on a worker, or here when there is none. One
    showing images still being drawn (`after`) is laid out once they are, and kept in the
    cache under their bytes then."""

    def __init__(
        self,
        cache: Cache,
        source: str,
        css: str,
        images: list[str],
        allowed: list[Path],
        after: list[Future[None]] | None = None,
    ) -> None:
        self.cache, self.source, self.css, self.allowed = cache, source, css, allowed
        self.images, self.after = images, after or []
        self.key = "" if self.after else cache.key(source, css, images)
        self.part = None if self.after else cache.get(self.key)
        self.future: Future[pdf.Part] | None = None
        self.laid_out = 0

    def start(self, pool: Dispatcher | None) -> _Job:
        if self.part is None and pool is not None:
            args = (self.source, self.allowed, self.css, self.cache.fonts)
            urgency = (HELD if self.after else LAYOUT, -len(self.source))
            self.future = pool.queue(pdf.lay_out_part, *args, urgency=urgency, after=self.after)
        return self

    def result(self) -> pdf.Part:
        if self.part is None:
            if self.future is not None:
                self.part = self.future.result()
            else:
                for image in self.after:
                    image.result()
                self.part = pdf.lay_out_part(self.source, self.allowed, self.css, self.cache.fonts)
            self.key = self.key or self.cache.key(self.source, self.css, self.images)
            self.cache.put(self.key, self.part)
            self.laid_out = 1
        return self.part


def _overlay(doc: Document, names: list[str], allowed: list[Path], cache: Cache, extra: str):
    """The margin boxes of every body page, numbered from 1: a document of as many empty
    pages, each with the name of the body page it lies over."""
    pages = "".join(
        f'<div class="jr-page" style="page: {name}"></div>'
        if name
        else '<div class="jr-page"></div>'
        for name in names
    )
    source = f"{doc.source[: doc.body_start]}\n{pages}\n</body>\n</html>\n"
    css = extra + _CLEAR + "div.jr-page { break-before: page; height: 1px; }\n"
    return _Job(cache, source, css, [], allowed)


def _front(
    doc: Document, pages: dict[str, int], allowed: list[Path], cache: Cache, css: str
) -> _Job:
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
    return _Job(cache, source, css, images([b for b in doc.body if b is not main]), allowed)
