"""The table of contents, made from the headings a document emits: the one place that decides it.

A template writes only the contents' title (`<nav class="toc">`); the entries are the headings
that carry an id, of the two highest levels the document uses. An annex heading (h1.annex) is
listed at the top level with its label before it (附件1 …). Word reads the entries from the
tree; the HTML page and the PDF's front matter get them through partials/contents.html.j2.
"""

from __future__ import annotations

from .templates import environment
from .tree import Document, Entry, Para, Run, walk

TEMPLATE = "partials/contents.html.j2"
DEPTH = 2  # heading levels listed


def entries(doc: Document) -> list[Entry]:
    """The contents' lines, in document order."""
    found: list[tuple[int, str, str, bool]] = []  # (heading level, id, text, annex)
    previous: Para | None = None
    for block in walk(doc.body):
        if isinstance(block, Para):
            if block.level and block.id:
                annex = block.cls == "annex"
                text = block.text
                if annex and previous is not None and previous.cls == "annex-label":
                    text = f"{previous.text} {text}"
                found.append((block.level, block.id, text, annex))
            previous = block
    levels = [level for level, _, _, annex in found if not annex]
    top = min(levels, default=1)
    return [
        Entry(1 if annex else level - top + 1, anchor, text)
        for level, anchor, text, annex in found
        if annex or level - top < DEPTH
    ]


def fill_contents(doc: Document) -> None:
    """Put the entries into the tree: into `doc.contents` and after the contents' title."""
    doc.contents = entries(doc)
    nav = doc.region("toc")
    if nav is not None:
        nav.children += [
            Para([Run(e.text, href=f"#{e.id}")], f"toc{e.level}") for e in doc.contents
        ]


def contents_html(doc: Document, pages: dict[str, int] | None = None) -> str:
    """The entries as HTML subset lines; with `pages`, each link carries its page number."""
    template = environment().get_template(TEMPLATE)
    return template.render(entries=doc.contents, pages=pages)


def with_contents(doc: Document) -> str:
    """The template's output with the contents' entries in place."""
    nav = doc.region("toc")
    if nav is None:
        return doc.source
    return doc.source[: nav.close] + contents_html(doc) + doc.source[nav.close :]
