"""HTML subset + print.css → PDF with WeasyPrint: fonts embedded, nothing fetched from outside.

WeasyPrint only logs what goes wrong (a missing image, a glyph no font covers) and writes the
PDF anyway; here its log is captured and any error or unexpected warning fails the build.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ..errors import BuildError
from ..render import environment
from ..style import TEMPLATES, house_style

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


def stylesheet() -> str:
    style = house_style()
    css = environment().get_template("print.css")
    return css.render(s=style, r=type("Roles", (), style.roles)())


def layout(html: str, allowed: list[Path]) -> Any:
    """Lay the document out (the slow part); returns a WeasyPrint Document."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    with _captured() as log:
        try:
            document = weasyprint.HTML(
                string=html,
                base_url=str(TEMPLATES) + "/",
                url_fetcher=_fetcher([TEMPLATES, *allowed]),
            ).render(stylesheets=[weasyprint.CSS(string=stylesheet())])
        except FatalURLFetchingError as exc:  # a BaseException: `except Exception` misses it
            raise BuildError(f"PDF: {exc}") from None
    if log.problems:
        raise BuildError("PDF: " + "; ".join(dict.fromkeys(log.problems)))
    return document


def anchor_pages(document: Any) -> dict[str, int]:
    """Printed page number of every anchor (id), as the footer shows it (body page 1 = 1)."""
    found: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            found.setdefault(anchor, index)
    offset = min((i for a, i in found.items() if a.startswith("h-")), default=0)
    return {anchor: index - offset + 1 for anchor, index in found.items()}


def write(document: Any) -> bytes:
    """The PDF bytes of a laid-out document (fonts subset and embedded here)."""
    with _captured() as log:
        data = document.write_pdf()
    if log.problems:
        raise BuildError("PDF: " + "; ".join(dict.fromkeys(log.problems)))
    return data
