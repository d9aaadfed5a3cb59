"""`jixi-report preview`: the plan or a year's report as a page on localhost that follows the
content while it is edited.

One process stays warm (the pipeline and WeasyPrint loaded once). It watches content/ and
templates/ (their files' sizes and times, a few times a second), rebuilds the HTML page when one
changes and the browser page reloads itself: a small script, added to the served page only,
asks for the build's version. A content error shows as the same one-line messages as
`jixi-report check` prints, above the last good page, and in the terminal. The PDF is rebuilt
behind, in a thread of its own (from the part cache: the chapter edited is laid out again), and
linked from the page as soon as it is ready.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .base.errors import ContentError, JixiError
from .base.style import TEMPLATES

POLL = 0.3  # seconds between two looks at the files
_RELOAD = """<script>/* jixi-report preview: reload when the build changes */
(function () {
  var seen = "%s";
  setInterval(function () {
    fetch("/version", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (v) { if (v !== seen) { location.reload(); } }, function () {});
  }, 500);
})();
</script>"""
_BAR = (
    '<div id="jr-preview" style="position:sticky;top:0;z-index:9;background:#f6f6f6;'
    'border-bottom:1px solid #ccc;padding:4px 8px;font:13px sans-serif">%s</div>'
)


@dataclass
class State:
    """What the server shows: the last good page, the problems of the last build, the PDF."""

    page: bytes = b""
    problems: list[str] = field(default_factory=list)
    pdf: bytes = b""
    pdf_state: str = "waiting"  # waiting, building, ready, failed: …
    builds: int = 0  # HTML builds tried: the page's version
    pdf_builds: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def version(self) -> str:
        with self.lock:
            return f"{self.builds}.{self.pdf_builds}.{self.pdf_state}"


def snapshot(folders: list[Path]) -> dict[Path, tuple[int, int]]:
    """Every file under the folders, with its size and modification time."""
    found = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.name.startswith((".", "~$")):  # editors' swap and lock files
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file():
                found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


class Preview:
    """Builds the page and the PDF as the files change; the server reads `state`."""

    def __init__(
        self, content: Path, out: Path, year: int | None, say: Callable[[str], None]
    ) -> None:
        self.content, self.out, self.year, self.say = content, out, year, say
        self.state = State()
        self._pdf_wanted = threading.Event()
        self._doc = None
        self._allowed: list[Path] = []

    def rebuild(self) -> None:
        """The HTML page now; the PDF in the background. A failure keeps the last good page."""
        from .build import plan_document, report_document
        from .writers import html as html_writer

        start = time.monotonic()
        try:
            if self.year is None:
                doc, allowed, warnings = plan_document(self.content)
            else:
                doc, allowed, warnings = report_document(self.content, self.out, self.year)
            page = html_writer.write(doc)
        except ContentError as exc:
            label = f"{exc.label}: " if exc.label else ""
            self._failed([f"{label}{p}" for p in exc.problems])
            return
        except JixiError as exc:
            self._failed([str(exc)])
            return
        except Exception as exc:  # a template being edited can fail in any way: say it, go on
            self._failed([f"internal error: {type(exc).__name__}: {exc}"])
            return
        with self.state.lock:
            self.state.page, self.state.problems = page, [f"warning: {w}" for w in warnings]
            self.state.builds += 1
            self._doc, self._allowed = doc, allowed
        self.say(f"page rebuilt in {time.monotonic() - start:.2f} s")
        for warning in warnings:
            self.say(f"warning: {warning}")
        self._pdf_wanted.set()

    def _failed(self, lines: list[str]) -> None:
        with self.state.lock:
            self.state.problems = lines
            self.state.builds += 1
        for line in lines:
            self.say(line)
        self.say("the page shows the last good build")

    def pdf_loop(self, stop: threading.Event) -> None:
        """Rebuild the PDF of the latest good document whenever there is a newer one."""
        from .writers import pdf_parts
        from .writers.office_fonts import folder_for
        from .writers.pdf_cache import Cache

        name = "plan-plan" if self.year is None else f"{self.year}-report"
        while not stop.is_set():
            if not self._pdf_wanted.wait(POLL):
                continue
            self._pdf_wanted.clear()
            with self.state.lock:
                doc, allowed = self._doc, self._allowed
                self.state.pdf_state = "building"
            start = time.monotonic()
            try:
                cache = Cache(self.out / ".cache" / "pdf", folder_for(self.content))
                built = pdf_parts.build(doc, allowed, cache, name)
            except Exception as exc:  # shown beside the page; the last PDF stays
                with self.state.lock:
                    self.state.pdf_state = f"failed: {exc}"
                    self.state.pdf_builds += 1
                self.say(f"PDF: {exc}")
                continue
            with self.state.lock:
                self.state.pdf, self.state.pdf_state = built.pdf, "ready"
                self.state.pdf_builds += 1
            self.say(f"PDF rebuilt in {time.monotonic() - start:.2f} s")

    def watch(self, stop: threading.Event) -> None:
        """Rebuild whenever a file under content/, templates/ or the office's fonts/ changes."""
        from .writers.office_fonts import folder_for

        folders = [self.content, TEMPLATES, folder_for(self.content)]
        seen = snapshot(folders)
        while not stop.wait(POLL):
            now = snapshot(folders)
            if now != seen:
                changed = {p for p in now.keys() | seen.keys() if now.get(p) != seen.get(p)}
                seen = now
                if any(p.is_relative_to(TEMPLATES) for p in changed):
                    _forget_style()
                self.rebuild()

    def page(self) -> bytes:
        """The last good page with the preview's bar (problems, the PDF) and reload script."""
        with self.state.lock:
            page, problems, pdf_state = self.state.page, self.state.problems, self.state.pdf_state
        version = self.version()
        items = [
            f'<div style="color:#b00">{html.escape(line)}</div>'
            if not line.startswith("warning:")
            else f"<div>{html.escape(line)}</div>"
            for line in problems
        ]
        link = (
            '<a href="/document.pdf">PDF</a>'
            if pdf_state == "ready"
            else f"PDF: {html.escape(pdf_state)}"
        )
        bar = _BAR % ("".join(items) + f"<div>{link}</div>")
        script = _RELOAD % version
        text = page.decode("utf-8") if page else "<html><body></body></html>"
        if "<body>" in text:
            text = text.replace("<body>", f"<body>\n{bar}", 1)
        else:
            text = bar + text
        return text.replace("</body>", f"{script}\n</body>", 1).encode("utf-8")

    def version(self) -> str:
        return self.state.version()


def _forget_style() -> None:
    """A template or the house style changed: what was read from them once is read again
    (the Jinja templates themselves are reloaded by Jinja when their file changes)."""
    from .base.style import house_style
    from .writers import pdf

    house_style.cache_clear()
    pdf.stylesheet.cache_clear()


def handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path in ("/", "/index.html"):
                self._send(preview.page(), "text/html; charset=utf-8")
            elif path == "/version":
                self._send(preview.version().encode(), "text/plain")
            elif path == "/document.pdf" and preview.state.pdf:
                self._send(preview.state.pdf, "application/pdf")
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # the terminal shows builds, not requests

    return Handler


def serve(
    content: Path,
    out: Path,
    year: int | None,
    port: int,
    say: Callable[[str], None],
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted (KeyboardInterrupt ends it)."""
    preview = Preview(content, out, year, say)
    preview.rebuild()
    server = ThreadingHTTPServer(("127.0.0.1", port), handler(preview))
    stop = threading.Event()
    threads = [
        threading.Thread(target=preview.watch, args=(stop,), daemon=True),
        threading.Thread(target=preview.pdf_loop, args=(stop,), daemon=True),
    ]
    for thread in threads:
        thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    (ready or say)(url)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()
