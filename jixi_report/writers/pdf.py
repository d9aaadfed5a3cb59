"""HTML subset + print.css → PDF with WeasyPrint: fonts embedded, nothing fetched from outside.

WeasyPrint only logs what goes wrong (a missing image, a glyph no font covers) and writes the
PDF anyway; here its log is captured and any error or unexpected warning fails the build.
"""

from __future__ import annotations

import atexit
import logging
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ..base.errors import BuildError
from ..base.style import TEMPLATES, house_style
from ..base.vocab import STATUSES
from ..render.templates import environment
from . import cell_layouts, justify, line_ends, page_fill, table_breaks, ua_sheet
from .svg_paint import painting

# Warnings that say nothing about our output's correctness.
_HARMLESS = ("Ignored `lang:", "Anchor defined twice")


class _Log(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Using fontTools instead of HarfBuzz" in message:
            self.problems.append(
                "HarfBuzz subsetting is missing: install Debian's libharfbuzz-subset0 "
                "(writing the PDF is ~20x slower without it)"
            )
        elif not message.startswith(_HARMLESS):
            self.problems.append(message.splitlines()[0])


@contextmanager
def _captured() -> Iterator[_Log]:
    logger = logging.getLogger("weasyprint")
    handler = _Log()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def _fetcher(allowed: list[Path]) -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    roots = [p.resolve() for p in allowed]

    class Fetcher(URLFetcher):
        """Serves local files under the allowed folders; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
            if path is None or not any(path.is_relative_to(r) for r in roots) or not path.is_file():
                raise FatalURLFetchingError(f"refused to fetch {url}: outside the build's files")
            return super().fetch(url, headers)

    return Fetcher(allowed_protocols=["file"])


# Where Debian's packages put the open fonts the house style names (scripts/ensure-system.sh).
_PACKAGES = {"Noto": "fonts-noto-cjk", "AR PL UKai": "fonts-arphic-ukai"}


@cache
def check_fonts() -> None:
    """Every font the house style names for the PDF is installed: without one, WeasyPrint would
    fall back to boxes or fail in a worker; say which font and which package instead."""
    try:
        listed = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, timeout=60, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return  # no fontconfig to ask: WeasyPrint's own log will tell
    installed = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    style = house_style()
    for role in style.roles.values():
        family = role.font.pdf
        if family not in installed:
            package = next((p for prefix, p in _PACKAGES.items() if family.startswith(prefix)), "")
            hint = f": install Debian's {package}" if package else ""
            raise BuildError(f"PDF: font '{family}' (role {role.name}) is not installed{hint}")


def stylesheet(fonts: Path | None = None) -> str:
    """print.css rendered from the house style, with the office's own faces from the folder
    `fonts` in place of the open ones they replace (writers/office_fonts.py)."""
    from .office_fonts import stamp

    return _stylesheet(fonts, stamp(fonts))


@cache
def _stylesheet(fonts: Path | None, _stamp: object) -> str:
    from .office_fonts import pdf_style

    style, faces = pdf_style(fonts)
    css = environment().get_template("print.css")
    return faces + css.render(
        s=style,
        r=type("Roles", (), style.roles)(),
        statuses=STATUSES.values(),
        revisions=style.revisions,
    )


@cache
def _weasyprint() -> Any:
    """WeasyPrint, imported without the fifth of a second its libraries' search costs on
    Linux. It asks cffi for each library under several names, Windows' and macOS' first; for
    each name that is not a file here cffi calls ctypes.util.find_library, which runs
    ldconfig, gcc and ld in turn to learn it does not exist (21 lookups, 60 processes). Every
    list also holds the Linux soname (libpango-1.0.so.0, …), which the dynamic loader finds
    by itself; so while WeasyPrint loads, a name the loader does not know is not searched
    further. Should that fail on some system, WeasyPrint is imported again the slow way."""
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint

        return weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = search
    import weasyprint

    return weasyprint


def layout(
    html: str,
    allowed: list[Path],
    extra_css: str = "",
    fonts: Path | None = None,
) -> Any:
    """Lay the document out (the slow part); returns a WeasyPrint Document, its pages set as
    a typesetter would (page_fill.py: a short lead-in onto its landscape page, a table across
    pages one table a page), which may lay it out again. `fonts`: the office's font folder
    (its files may be read, as the allowed folders' are)."""
    return _layout(html, allowed, extra_css, fonts)[0]


def _layout(html: str, allowed: list[Path], extra_css: str, fonts: Path | None) -> tuple[Any, Any]:
    """`layout`, and the parsed HTML as finally laid out (its tables split one a page)."""
    weasyprint = _weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    justify.install()  # Chinese lines justified between characters

    fetcher = _fetcher([TEMPLATES, *allowed, *([fonts] if fonts else [])])
    with _captured() as log, cell_layouts.remembered():  # a cell laid out once a part
        try:
            house, faces = _house_css(stylesheet(fonts), fonts)
            css = [house]
            if extra_css:
                css.append(weasyprint.CSS(string=extra_css, font_config=faces, url_fetcher=fetcher))
            source = ua_sheet.html_class(weasyprint)(
                string=html, base_url=str(TEMPLATES) + "/", url_fetcher=fetcher
            )
            line_ends.join_last_characters(source.etree_element)  # no 孤字
            images: dict[str, Any] = {}  # each image read once for every layout of the part
            document = source.render(stylesheets=css, font_config=faces, cache=images)
            for _ in range(4):  # lead-ins, tables across pages (page_fill)
                if not page_fill.settle(source, document):
                    break
                document = source.render(stylesheets=css, font_config=faces, cache=images)
        except FatalURLFetchingError as exc:  # a BaseException: `except Exception` misses it
            raise BuildError(f"PDF: {exc}") from None
    if log.problems:
        raise BuildError("PDF: " + "; ".join(dict.fromkeys(log.problems)))
    return document, source.etree_element


_HOUSE: dict[tuple[str, Path | None], tuple[Any, Any]] = {}
# Let go before the interpreter tears WeasyPrint's modules down: a font configuration's
# clean-up at exit would otherwise find them gone and print a traceback.
atexit.register(_HOUSE.clear)


def _house_css(sheet: str, fonts: Path | None) -> tuple[Any, Any]:
    """The house stylesheet parsed, with the font configuration its faces are in, once a
    process (and so once for the workers forked after `warm`): parsing print.css took a
    twentieth of a second at every layout, and a configuration made anew for each layout
    loaded every face anew. The office's faces (`fonts`) change the sheet, so its key."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    key = (sheet, fonts)
    if key not in _HOUSE:
        if len(_HOUSE) >= 4:  # the preview, its style edited again and again: the old ones go
            _HOUSE.clear()
        faces = FontConfiguration()
        fetcher = _fetcher([TEMPLATES, *([fonts] if fonts else [])])
        _HOUSE[key] = (weasyprint.CSS(string=sheet, font_config=faces, url_fetcher=fetcher), faces)
    return _HOUSE[key]


def write(document: Any) -> tuple[bytes, dict[str, dict[int, float]]]:
    """The PDF bytes of a laid-out part, and the glyph widths of its fonts by font tag.

    Its fonts are embedded as stubs (the glyph .notdef and the face's names): the merged file
    embeds each face once, subset from the face's own file for every part together
    (pdf_fonts.share), so a subset made here would be thrown away. Their widths are handed
    over beside the PDF rather than in it: the merge would otherwise parse every part's /W
    arrays (thousands of numbers a part) at each build, only to join them. The pages' glyph
    ids and text maps are WeasyPrint's own."""
    with _captured() as log, _fonts_left_to_the_merge() as widths, painting():
        data = document.write_pdf()
    if log.problems:
        raise BuildError("PDF: " + "; ".join(dict.fromkeys(log.problems)))
    return data, widths


@contextmanager
def _fonts_left_to_the_merge() -> Iterator[dict[str, dict[int, float]]]:
    import weasyprint.pdf as weasy_pdf
    from weasyprint.pdf import fonts

    subset = getattr(fonts.Font, "subset", None)
    build = getattr(weasy_pdf, "build_fonts_dictionary", None)
    widths: dict[str, dict[int, float]] = {}
    if subset is None or build is None:  # another WeasyPrint: its parts embed their own
        yield widths  # subsets and widths, as before
        return

    def names_only(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
        subset(font, {0: ""}, hinting)  # glyph 0 alone: the smallest font keeping the names

    def widths_aside(pdf: Any, used: dict, *args: Any) -> Any:
        for font in used.values():
            if font.bitmap or font.used_in_forms or not font.widths:
                continue  # WeasyPrint writes every glyph's width for these: left in the PDF
            widths[font.hash] = dict(font.widths)
            widest = max(font.widths, key=font.widths.__getitem__)  # the font's box stays
            font.widths = {widest: font.widths[widest]}
        return build(pdf, used, *args)

    read = fonts.get_hb_object_data

    def face_read_once(hb_object: Any, *how: Any) -> Any:
        """A face's whole file, read once a process: WeasyPrint copies it (a CJK face is
        tens of megabytes) for every font of every part it writes, to make a stub of."""
        if how:  # a colour glyph's picture, not a face
            return read(hb_object, *how)
        return _face_bytes(hb_object) or read(hb_object)

    fonts.Font.subset = names_only
    weasy_pdf.build_fonts_dictionary = widths_aside
    fonts.get_hb_object_data = face_read_once
    try:
        yield widths
    finally:
        fonts.Font.subset = subset
        weasy_pdf.build_fonts_dictionary = build
        fonts.get_hb_object_data = read


_FACES: dict[tuple[int, bytes, bytes], bytes] = {}  # a face file's length, head, tail → bytes


def _face_bytes(hb_face: Any) -> bytes | None:
    """The bytes of a HarfBuzz face's file, kept for the process: faces are known again by
    their length and first and last 4 KB (pango may load a face anew at another address)."""
    from weasyprint.text.ffi import ffi, harfbuzz

    blob = harfbuzz.hb_face_reference_blob(hb_face)
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        size = int(length[0])
        if data == ffi.NULL or size == 0:
            return None
        edge = min(size, 4096)
        key = (size, ffi.unpack(data, edge), ffi.unpack(data + (size - edge), edge))
        if key not in _FACES:
            _FACES[key] = ffi.unpack(data, size)
        return _FACES[key]
    finally:
        harfbuzz.hb_blob_destroy(blob)


@cache
def warm() -> None:
    """Load WeasyPrint, the fonts and the style before the workers fork (once a process)."""
    layout("<html lang=zh-CN><body><p>字<b>字</b></p></body></html>", [])


# Every face of the house style at work: a heading of each level, a caption, a table's head and
# cells, bold and a run-in heading, figures.
_EVERY_FACE = (
    "<html lang=zh-CN><body><h1>一</h1><h2>一、字</h2><h3>（一）字</h3><h4>1.字</h4>"
    "<p class=title>字</p><p class=subtitle>字</p><p>字2025年<strong>字</strong>"
    '<strong class="run-in">（一）字。</strong></p><table class=small><caption>表1 字</caption>'
    "<thead><tr><th>字</th></tr></thead><tbody><tr><td>字1.5</td></tr></tbody></table>"
    "<table><thead><tr><th>字</th></tr></thead><tbody><tr><td>字</td></tr></tbody></table>"
    "</body></html>"
)


@cache
def warm_every_face() -> None:
    """Lay out and write a page in every face of the house style, once a process: its faces
    loaded and their files read (the resident server, before it forks its builds: a build's
    worker then starts with them, and lays out its first part a tenth sooner)."""
    write(layout(_EVERY_FACE, []))


@dataclass
class Part:
    """One laid-out stretch of pages, as a worker process returns it (picklable)."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]  # id → page index within the part
    links: list[tuple[int, tuple[float, float, float, float], str]]  # page, rect (pt), target id
    size: tuple[float, float] = (0.0, 0.0)  # of the first page, in points
    names: list[str] = field(default_factory=list)  # each page's name (CSS `page`), "" if none
    widths: dict[str, dict[int, float]] = field(default_factory=dict)  # font tag → glyph widths
    # (nth table of the part, body rows starting its continuation pages): Word splits them too
    tables: list[tuple[int, list[int]]] = field(default_factory=list)
    # (nth landscape stretch of the part, blocks set on its first page): Word moves them too
    leadins: list[tuple[int, int]] = field(default_factory=list)


def lay_out_part(html: str, allowed: list[Path], extra_css: str, fonts: Path | None = None) -> Part:
    """Lay out and write one part; run in a worker process."""
    document, root = _layout(html, allowed, extra_css, fonts)
    anchors: dict[str, int] = {}
    links = []
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            anchors.setdefault(anchor, index)
        for kind, target, (x, y, w, h), _box in page.links:
            if kind == "internal":  # CSS px from the top → PDF points from the bottom
                top, bottom = page.height * 0.75 - y * 0.75, page.height * 0.75 - (y + h) * 0.75
                links.append((index, (x * 0.75, bottom, (x + w) * 0.75, top), target))
    first = document.pages[0]
    data, widths = write(document)
    return Part(
        data,
        len(document.pages),
        anchors,
        links,
        (first.width * 0.75, first.height * 0.75),
        [page._page_box.page_type.name or "" for page in document.pages],
        widths,
        table_breaks.recorded(root),
        page_fill.recorded(root),
    )


@cache
def weasyprint_version() -> str:
    from importlib.metadata import version

    return version("weasyprint")
