"""Content → the closed HTML subset, through the Jinja templates (the one source of wording)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from . import placeholders
from .errors import BuildError
from .model import Block, Figure, Paragraph, Plan, Section, TableRef
from .style import TEMPLATES
from .tables import BUILDERS, money


@dataclass
class Node:
    """A block prepared for a template: ids assigned, placeholders filled, tables computed."""

    kind: str  # section | p | figure | table
    level: int = 0
    id: str = ""
    text: str = ""
    lead: str | None = None
    number: str | None = None
    src: str | None = None
    table: Any = None
    cls: str = ""
    body: list[Node] = field(default_factory=list)


@dataclass
class TocEntry:
    level: int
    id: str
    text: str


def heading_text(number: str | None, title: str) -> str:
    """'一、' and '（一）' join directly; '第一章' and '1.' take a space, as printed."""
    if not number:
        return title
    return number + title if number.endswith(("、", "）")) else f"{number} {title}"


class _Outline:
    """Assigns stable heading ids (h-1, h-1-2 …) and gathers the table of contents."""

    def __init__(self, plan: Plan, toc_depth: int) -> None:
        self.plan = plan
        self.values = placeholders.values(plan)
        self.toc: list[TocEntry] = []
        self.toc_depth = toc_depth

    def nodes(self, blocks: list[Block], prefix: str) -> list[Node]:
        out, count = [], 0
        for block in blocks:
            if isinstance(block, Section):
                count += 1
                out.append(self.section(block, f"{prefix}-{count}"))
            elif isinstance(block, Paragraph):
                text = placeholders.fill(block.text, self.values)
                lead = placeholders.fill(block.lead, self.values) if block.lead else None
                out.append(Node("p", text=text, lead=lead))
            elif isinstance(block, Figure):
                src = (self.plan.root / block.image).resolve().as_uri() if block.image else None
                out.append(Node("figure", text=block.caption, number=block.number, src=src))
            elif isinstance(block, TableRef):
                table = BUILDERS[block.source](self.plan, block.number, block.caption)
                out.append(Node("table", table=table, cls=table.cls))
        return out

    def section(self, s: Section, anchor: str) -> Node:
        text = heading_text(s.number, s.title)
        if s.level <= self.toc_depth:
            self.toc.append(TocEntry(s.level, anchor, text))
        return Node("section", level=s.level, id=anchor, text=text, body=self.nodes(s.body, anchor))


def build_date() -> dt.date:
    """SOURCE_DATE_EPOCH when set (repeatable builds), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # select_autoescape() would not cover *.html.j2
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = money
    return env


def plan_context(plan: Plan, toc_depth: int = 2) -> dict[str, Any]:
    outline = _Outline(plan, toc_depth)
    chapters = []
    for n, chapter in enumerate(plan.chapters, 1):
        anchor = f"h-{n}"
        text = chapter.title if chapter.appendix else heading_text(chapter.number, chapter.title)
        outline.toc.append(TocEntry(1, anchor, heading_text(chapter.number, chapter.title)))
        node = Node(
            "section",
            level=1,
            id=anchor,
            text=text,
            number=chapter.number,
            cls="annex" if chapter.appendix else "",
            body=outline.nodes(chapter.body, anchor),
        )
        chapters.append(node)
    today = build_date()
    return {
        "meta": plan.meta,
        "chapters": chapters,
        "toc": outline.toc,
        "date_text": plan.meta.date or f"{today.year}年{today.month}月",
        "created": today.isoformat(),
    }


def render(template: str, context: dict[str, Any]) -> str:
    try:
        return environment().get_template(template).render(**context)
    except TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or template}"
        line = getattr(exc, "lineno", None)
        raise BuildError(f"template {where}{f':{line}' if line else ''}: {exc}") from exc
