"""The one document tree: the closed HTML subset a template emits, parsed once.

Every writer reads this tree: the Word writer its nodes, the PDF writer where each part of the
source lies (each region keeps its place in the template's output), the HTML page its figures
and contents. A tag, attribute or class outside the subset (docs/html-subset.md) is an error
naming the template and the construct: silently dropping it would make one output say less
than another.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

INSERTED, DELETED = "ins", "del"  # a revision's marks (<ins>, <del>, class="ins" / "del")
# <strong class="run-in">: a numbered item's heading run into its paragraph, set as its level's
# headings are (（一）… in 楷体: GB/T 9704 §7.3.3), not bold
RUN_IN = "run-in"


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    change: str = ""  # ins or del: inserted or deleted since the base of a revised draft
    sup: bool = False  # a superscript (km², ×10⁴): <sup>
    heading: bool = False  # a run-in heading (RUN_IN): the heading3 role's face


@dataclass
class Para:
    runs: list[Run]
    cls: str = ""  # a role: title, subtitle, toc1, caption, cc …
    level: int = 0  # 1–4 for headings
    id: str = ""
    change: str = ""  # ins or del: the whole paragraph inserted or deleted

    @property
    def text(self) -> str:
        """What the paragraph says (deleted text left out)."""
        return "".join(r.text for r in self.runs if r.change != DELETED)


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
    change: str = ""  # ins or del: the whole row inserted or deleted


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
    """A page-level part: cover, toc, main, a chapter, or a landscape stretch inside one.

    `start`, `close` and `end` place it in the template's output: its start tag, its end tag
    and the end of that, so a writer can take a part's source as it was emitted."""

    kind: str
    children: list[Block] = field(default_factory=list)
    start: int = 0
    close: int = 0
    end: int = 0


Block = Para | Table | Figure | Region


@dataclass(frozen=True)
class Entry:
    """One line of the contents: a heading's id, its text, its level in the contents (1, 2)."""

    level: int
    id: str
    text: str


@dataclass
class Document:
    source: str  # the template's output, which the regions' places refer to
    template: str
    meta: dict[str, str]  # <meta name content>, and the <title> as "title"
    lang: str
    body: list[Block]
    body_start: int = 0  # just after <body>
    contents: list[Entry] = field(default_factory=list)

    def regions(self, kind: str) -> Iterator[Region]:
        """Every region of this kind, in document order."""
        return (b for b in walk(self.body) if isinstance(b, Region) and b.kind == kind)

    def region(self, kind: str) -> Region | None:
        return next(self.regions(kind), None)


def walk(blocks: list[Block]) -> Iterator[Block]:
    """Every block, regions and what they hold, in document order."""
    for b in blocks:
        yield b
        if isinstance(b, Region):
            yield from walk(b.children)


def images(blocks: list[Block]) -> list[str]:
    """The image references of every figure in `blocks`, in document order."""
    return [b.src for b in walk(blocks) if isinstance(b, Figure) and b.src]


def image_file(src: str) -> Path:
    """The file an image reference names (a file: URI or a path)."""
    return Path(unquote(urlparse(src).path))
