"""The closed HTML subset the templates emit, read into the few nodes the Word writer knows.

A tag or attribute outside the subset is an error naming the template and line: silently
dropping it would make the Word file say less than the PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .errors import BuildError


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass
class Para:
    runs: list[Run]
    cls: str = ""  # a role: title, subtitle, toc1, caption, cc …
    level: int = 0  # 1–4 for headings
    id: str = ""

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Cell:
    paras: list[Para]
    rowspan: int = 1
    colspan: int = 1
    cls: str = ""
    header: bool = False

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paras)


@dataclass
class Row:
    cells: list[Cell]
    header: bool = False
    cls: str = ""


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    cols: list[float] = field(default_factory=list)
    caption: Para | None = None
    cls: str = ""


@dataclass
class Figure:
    src: str | None
    caption: Para
    missing: Para | None = None


@dataclass
class Region:
    """A page-level part: cover, toc, main, or a landscape stretch inside main."""

    kind: str
    children: list[Block] = field(default_factory=list)


Block = Para | Table | Figure | Region


@dataclass
class Document:
    meta: dict[str, str]
    lang: str
    body: list[Block]


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
    "strong": set(),
    "em": set(),
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
_TEXT_BLOCKS = {"p", "h1", "h2", "h3", "h4", "caption", "figcaption", "title"}
_COL_WIDTH = re.compile(r"\s*width:\s*([0-9.]+)%;?\s*")
_WS = re.compile(r"[ \t\r\n\f]+")  # not U+3000: 目　录 keeps its full-width space


class _Parser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
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
        if tag in _REGION_CLASSES and cls not in _REGION_CLASSES[tag]:
            raise self.fail(
                f"<{tag} class={cls!r}>: class must be one of {sorted(_REGION_CLASSES[tag])}"
            )
        if tag == "html":
            self.lang = a.get("lang", "")
        elif tag == "head":
            self.in_head = True
        elif tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content", "")
        elif tag in ("section", "nav", "main", "div"):
            kind = "main" if tag == "main" else cls
            region = Region(kind)
            self.regions[-1].children.append(region)
            self.regions.append(region)
        elif tag in _TEXT_BLOCKS:
            level = int(tag[1]) if tag[0] == "h" else 0
            role = {"caption": "caption", "figcaption": "caption"}.get(tag, cls)
            self.para = Para([], role, level, a.get("id", ""))
        elif tag in ("strong", "em"):
            self.inline.append(tag)
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
            self.row = Row([], header="thead" in self.stack, cls=cls)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = Cell(
                [], int(a.get("rowspan") or 1), int(a.get("colspan") or 1), cls, tag == "th"
            )
            self.para = Para([], "table-head" if tag == "th" else "table")
        elif tag == "figure":
            self.figure = {"src": None}
        elif tag == "img" and self.figure is not None:
            self.figure["src"] = a.get("src")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            raise self.fail(f"</{tag}> does not close <{self.stack[-1] if self.stack else '?'}>")
        self.stack.pop()
        if tag == "head":
            self.in_head = False
        elif tag in ("section", "nav", "main", "div"):
            self.regions.pop()
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
        elif tag in ("strong", "em"):
            self.inline.pop()
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
                Run(data, "strong" in self.inline, "em" in self.inline, self.href)
            )

    @staticmethod
    def _finish(para: Para) -> Para:
        """Collapse template whitespace, drop empty runs."""
        runs = []
        for run in para.runs:
            run.text = _WS.sub(" ", run.text)
            if run.text:
                runs.append(run)
        if runs:
            runs[0].text = runs[0].text.lstrip()
            runs[-1].text = runs[-1].text.rstrip()
        para.runs = [r for r in runs if r.text]
        return para


def parse(html: str, source: str) -> Document:
    """Read the rendered output of template `source` into nodes."""
    parser = _Parser(source)
    parser.feed(html)
    parser.close()
    if parser.stack:
        raise parser.fail(f"<{parser.stack[-1]}> is never closed")
    return Document(parser.meta, parser.lang, parser.root.children)


def dump(doc: Document) -> str:
    """A readable text dump of the node tree, for golden tests."""
    lines: list[str] = []

    def walk(blocks: list[Block], depth: int) -> None:
        pad = "  " * depth
        for b in blocks:
            if isinstance(b, Region):
                lines.append(f"{pad}[{b.kind}]")
                walk(b.children, depth + 1)
            elif isinstance(b, Para):
                tag = f"h{b.level}" if b.level else "p"
                cls = f".{b.cls}" if b.cls else ""
                lead = "**" if b.runs and b.runs[0].bold else ""
                lines.append(f"{pad}{tag}{cls} {lead}{b.text}")
            elif isinstance(b, Table):
                cap = b.caption.text if b.caption else ""
                lines.append(f"{pad}table.{b.cls.replace(' ', '.')} {cap}")
                for row in b.rows:
                    cells = " | ".join(
                        c.text
                        + (f" ^{c.rowspan}" if c.rowspan > 1 else "")
                        + (f" >{c.colspan}" if c.colspan > 1 else "")
                        for c in row.cells
                    )
                    lines.append(f"{pad}  {'H' if row.header else '-'} {cells}")
            elif isinstance(b, Figure):
                name = b.src.rsplit("/", 1)[-1] if b.src else "(missing)"  # not the machine's path
                lines.append(f"{pad}figure {name} {b.caption.text}")

    walk(doc.body, 0)
    return "\n".join(lines) + "\n"
