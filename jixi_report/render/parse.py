"""The HTML subset → the document tree, checked tag by tag against docs/html-subset.md."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..base.errors import BuildError
from ..base.vocab import STATUSES
from .contents import fill_contents
from .tree import DELETED, INSERTED, RUN_IN, Cell, Document, Figure, Para, Region, Row, Run, Table

# tag → allowed attributes
_ALLOWED: dict[str, set[str]] = {
    "html": {"lang"},
    "head": set(),
    "meta": {"name", "content", "charset"},
    "title": set(),
    "body": set(),
    "section": {"class"},
    "nav": {"class"},
    "main": set(),
    "div": {"class"},
    "h1": {"id", "class"},
    "h2": {"id", "class"},
    "h3": {"id", "class"},
    "h4": {"id", "class"},
    "p": {"class"},
    "strong": {"class"},
    "em": set(),
    "sup": set(),
    "ins": set(),
    "del": set(),
    "a": {"href"},
    "table": {"class"},
    "caption": set(),
    "colgroup": set(),
    "col": {"style"},
    "thead": set(),
    "tbody": set(),
    "tr": {"class"},
    "th": {"rowspan", "colspan", "class"},
    "td": {"rowspan", "colspan", "class"},
    "figure": set(),
    "figcaption": set(),
    "img": {"src", "alt"},
}
_VOID = {"meta", "col", "img"}
# Page-level regions: the writers start each on a new page (landscape: turned pages).
_REGION_CLASSES = {"section": {"cover", "chapter", "back"}, "nav": {"toc"}, "div": {"landscape"}}
# The other classes of the subset, each a token of `class` (docs/html-subset.md).
# A paragraph's class is its role: templates/style.yaml gives each role its font and Word style.
PARAGRAPH_CLASSES = {
    "title", "subtitle", "cover-note", "toc-title", "toc1", "toc2",
    "annex-label", "figure-missing", "banner", "cc", "imprint", "signature",
}  # fmt: skip
TABLE_CLASSES = {"wide", "small", "indicators", "assessment", "detail", "projects", "summary"}
CELL_CLASSES = {"left", "num", "domain", *(s.css for s in STATUSES.values())}
_MARKS = {INSERTED, DELETED}  # a whole paragraph, heading or row inserted or deleted
_CLASSES: dict[str, set[str]] = {
    "p": PARAGRAPH_CLASSES | _MARKS,
    "h1": {"annex"} | _MARKS,
    "h2": _MARKS,
    "h3": _MARKS,
    "h4": _MARKS,
    "table": TABLE_CLASSES,
    "tr": {"total"} | _MARKS,
    "td": CELL_CLASSES,
    "th": CELL_CLASSES,
    "strong": {RUN_IN},
}

_TEXT_BLOCKS = {"p", "h1", "h2", "h3", "h4", "caption", "figcaption", "title"}
_COL_WIDTH = re.compile(r"\s*width:\s*([0-9.]+)%;?\s*")
_ASCII_WS = " \t\r\n\f"  # HTML's white space; U+3000 is text (目　录, a 落款's indent)
_WS = re.compile(f"[{_ASCII_WS}]+")


class _Parser(HTMLParser):
    def __init__(self, source: str, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.html = html
        self.lines = [0, *(m.end() for m in re.finditer("\n", html))]  # where each line starts
        self.body_start = 0
        self.ids: set[str] = set()
        self.meta: dict[str, str] = {}
        self.lang = ""
        self.root = Region("document")
        self.regions: list[Region] = [self.root]
        self.stack: list[str] = []
        self.para: Para | None = None
        self.inline: list[str] = []
        self.href: str | None = None
        self.table: Table | None = None
        self.row: Row | None = None
        self.cell: Cell | None = None
        self.in_head = False
        self.figure: dict[str, object] | None = None

    def place(self) -> int:
        """Where the tag being handled starts in the output."""
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def fail(self, message: str) -> BuildError:
        line, _ = self.getpos()
        return BuildError(f"template {self.source}: line {line} of its output: {message}")

    # -- tags ---------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED:
            raise self.fail(f"<{tag}> is outside the document subset (see docs/html-subset.md)")
        a = {k: v or "" for k, v in attrs}
        extra = set(a) - _ALLOWED[tag]
        if extra:
            raise self.fail(f"attribute {sorted(extra)[0]!r} not allowed on <{tag}>")
        if tag not in _VOID:
            self.stack.append(tag)
        cls = a.get("class", "")
        self.check_class(tag, cls)
        if a.get("id"):
            if a["id"] in self.ids:
                raise self.fail(f"id {a['id']!r} is used twice")
            self.ids.add(a["id"])
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "head":
            self.in_head = True
        elif tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content", "")
        elif tag == "body":
            self.body_start = self.place() + len(self.get_starttag_text() or "")
        elif tag in ("section", "nav", "main", "div"):
            kind = "main" if tag == "main" else cls
            region = Region(kind, start=self.place())
            self.regions[-1].children.append(region)
            self.regions.append(region)
        elif tag in _TEXT_BLOCKS:
            level = int(tag[1]) if tag[0] == "h" else 0
            role, change = _split_mark(cls)
            role = {"caption": "caption", "figcaption": "caption"}.get(tag, role)
            self.para = Para([], role, level, a.get("id", ""), change)
        elif tag in ("strong", "em", "sup", INSERTED, DELETED):
            self.inline.append(RUN_IN if tag == "strong" and cls == RUN_IN else tag)
        elif tag == "a":
            self.href = a.get("href")
        elif tag == "table":
            self.table = Table(cls=cls)
        elif tag == "col" and self.table is not None:
            match = _COL_WIDTH.fullmatch(a.get("style", ""))
            if not match:
                raise self.fail('<col> takes only style="width: N%"')
            self.table.cols.append(float(match[1]))
        elif tag == "tr" and self.table is not None:
            role, change = _split_mark(cls)
            self.row = Row([], header="thead" in self.stack, cls=role, change=change)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = Cell(
                [], int(a.get("rowspan") or 1), int(a.get("colspan") or 1), cls, tag == "th"
            )
            self.para = Para([], "table-head" if tag == "th" else "table")
        elif tag == "figure":
            self.figure = {"src": None}
        elif tag == "img" and self.figure is not None:
            self.figure["src"] = a.get("src")

    def check_class(self, tag: str, cls: str) -> None:
        """Regions take exactly one class of theirs; other tags only tokens of the subset."""
        if tag in _REGION_CLASSES:
            if cls not in _REGION_CLASSES[tag]:
                raise self.fail(
                    f"<{tag} class={cls!r}>: class must be one of {sorted(_REGION_CLASSES[tag])}"
                )
            return
        allowed = _CLASSES.get(tag, set())
        for token in cls.split():
            if token not in allowed:
                raise self.fail(
                    f"<{tag} class={cls!r}>: {token!r} is not a class of <{tag}> in the subset"
                )

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            raise self.fail(f"</{tag}> does not close <{self.stack[-1] if self.stack else '?'}>")
        self.stack.pop()
        if tag == "head":
            self.in_head = False
        elif tag in ("section", "nav", "main", "div"):
            region = self.regions.pop()
            region.close = self.place()
            region.end = self.html.index(">", region.close) + 1
        elif tag in ("td", "th"):
            assert self.cell is not None and self.row is not None and self.para is not None
            self.cell.paras.append(self._finish(self.para))
            self.row.cells.append(self.cell)
            self.cell = self.para = None
        elif tag == "tr":
            assert self.table is not None and self.row is not None
            self.table.rows.append(self.row)
            self.row = None
        elif tag == "table":
            assert self.table is not None
            self.regions[-1].children.append(self.table)
            self.table = None
        elif tag in ("strong", "em", "sup", INSERTED, DELETED):
            self.inline.pop()  # (a run-in heading's strong too)
        elif tag == "a":
            self.href = None
        elif tag in _TEXT_BLOCKS:
            self._end_text(tag)
        elif tag == "figure":
            assert self.figure is not None
            self.regions[-1].children.append(
                Figure(self.figure.get("src"), self.figure["caption"], self.figure.get("missing"))  # type: ignore[arg-type]
            )
            self.figure = None

    def _end_text(self, tag: str) -> None:
        para = self._finish(self.para) if self.para else None
        self.para = None
        if tag == "title":
            self.meta["title"] = para.text if para else ""
        elif tag == "caption" and self.table is not None:
            self.table.caption = para
        elif tag == "figcaption" and self.figure is not None:
            self.figure["caption"] = para
        elif tag == "p" and self.figure is not None:
            self.figure["missing"] = para
        elif para is not None:
            self.regions[-1].children.append(para)

    def handle_data(self, data: str) -> None:
        if self.para is None:
            if data.strip() and not self.in_head:
                raise self.fail(f"text outside a paragraph: {data.strip()[:30]!r}")
            return
        if data:
            self.para.runs.append(
                Run(
                    data,
                    "strong" in self.inline,
                    "em" in self.inline,
                    self.href,
                    self._change(),
                    "sup" in self.inline,
                    RUN_IN in self.inline,
                )
            )

    def _change(self) -> str:
        """The innermost revision mark around the text, if any."""
        return next((t for t in reversed(self.inline) if t in _MARKS), "")

    @staticmethod
    def _finish(para: Para) -> Para:
        """Collapse template whitespace, drop empty runs."""
        runs = []
        for run in para.runs:
            run.text = _WS.sub(" ", run.text)
            if run.text:
                runs.append(run)
        if runs:
            runs[0].text = runs[0].text.lstrip(_ASCII_WS)  # a leading 　 is the text's own
            runs[-1].text = runs[-1].text.rstrip(_ASCII_WS)
        para.runs = [r for r in runs if r.text]
        return para


def _split_mark(cls: str) -> tuple[str, str]:
    """A class into its role and its revision mark (ins, del): "cc del" → ("cc", "del")."""
    tokens = cls.split()
    change = next((t for t in tokens if t in _MARKS), "")
    return " ".join(t for t in tokens if t not in _MARKS), change


def parse(html: str, source: str) -> Document:
    """Read the rendered output of template `source` into the tree, its contents filled in."""
    parser = _Parser(source, html)
    parser.feed(html)
    parser.close()
    if parser.stack:
        raise parser.fail(f"<{parser.stack[-1]}> is never closed")
    doc = Document(html, source, parser.meta, parser.lang, parser.root.children, parser.body_start)
    fill_contents(doc)
    return doc
