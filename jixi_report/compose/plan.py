"""What the plan document shows: its chapters as prepared blocks, ids assigned, tables computed."""

from __future__ import annotations

from typing import Any

from ..base.errors import Problem
from ..base.vocab import build_date, date_text
from ..content import placeholders
from ..content.model import Block, Figure, Paragraph, Plan, Section, TableRef
from .blocks import Node, heading_text
from .plan_tables import BUILDERS


class _Outline:
    """Turns content blocks into nodes with stable heading ids (h-1, h-1-2 …)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.values = placeholders.values(plan)
        self.tables, figures = placeholders.numbering(plan)
        self.figures = iter(figures)

    def nodes(self, blocks: list[Block], prefix: str) -> list[Node]:
        out, count = [], 0
        for block in blocks:
            if isinstance(block, Section):
                count += 1
                anchor = f"{prefix}-{count}"
                out.append(
                    Node(
                        "section",
                        level=block.level,
                        id=anchor,
                        text=heading_text(
                            block.number, placeholders.fill(block.title, self.values)
                        ),
                        body=self.nodes(block.body, anchor),
                    )
                )
            elif isinstance(block, Paragraph):
                text = placeholders.fill(block.text, self.values)
                lead = placeholders.fill(block.lead, self.values) if block.lead else None
                source = (block.lead or "") + block.text  # to tell an edit from a new figure
                out.append(Node("p", text=text, lead=lead, source=source))
            elif isinstance(block, Figure):
                src = (self.plan.root / block.image).resolve().as_uri() if block.image else None
                number = next(self.figures)
                out.append(Node("figure", text=block.caption, number=number, src=src))
            elif isinstance(block, TableRef):
                number = self.tables.get(block.source) if block.number else None
                table = BUILDERS[block.source](self.plan, number, block.caption)
                out.append(Node("table", table=table, cls=table.cls))
        return out


def plan_context(plan: Plan, draft: dict[str, str | None] | None = None) -> dict[str, Any]:
    """Everything plan.html.j2 needs. The contents is made from the headings it emits; a
    revised draft (`draft`: stage, date_text, revision_date, author) is marked as one."""
    outline = _Outline(plan)
    chapters = []
    for n, chapter in enumerate(plan.chapters, 1):
        text = chapter.title if chapter.appendix else heading_text(chapter.number, chapter.title)
        chapters.append(
            Node(
                "section",
                level=1,
                id=f"h-{n}",
                text=text,
                number=chapter.number,
                cls="annex" if chapter.appendix else "",
                body=outline.nodes(chapter.body, f"h-{n}"),
            )
        )
    today = build_date()
    return {
        "meta": plan.meta,
        "draft": draft,
        "chapters": chapters,
        "date_text": date_text(plan.meta.date),
        "created": today.isoformat(),
    }


def plan_particulars(plan: Plan) -> list[Problem]:
    """The plan's date and issuer when plan.yaml lacks them: warnings (errors with --strict);
    the cover then leaves the place blank rather than print the day it was built."""
    where = plan.root / "plan.yaml"
    found = []
    if not plan.meta.date:
        found.append(Problem(where, None, None, "date", "no date for the plan: left blank"))
    if not plan.meta.issuer and not plan.meta.compiler:
        found.append(Problem(where, None, None, "issuer", "no issuing or compiling unit"))
    return found
