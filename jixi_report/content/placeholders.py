"""Figures the data implies, filled into prose where the content writes `{{ name }}`.

Content strings are never rendered as templates: only this fixed set of names is replaced.
"""

from __future__ import annotations

import re
from typing import get_args

from ..base.vocab import chinese_count, decimal_text, hundred_millions
from .model import Block, Figure, Plan, Section, TableRef, TableSource

TABLE_SOURCES: tuple[str, ...] = get_args(TableSource)  # indicators, project_summary …

PATTERN = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

NAMES = (
    "binding_count",
    "reference_count",
    "indicator_rows",
    "domain_count_cn",
    "task_count_cn",
    "project_count",
    "category_count",
    "total_investment",
    "total_investment_yi",
    "base_year",
    "period_start",
    "period_end",
    # a numbered table's label in document order (表1, 表2 …), to refer to it in prose
    *(f"table_{source}" for source in TABLE_SOURCES),
)


def values(plan: Plan) -> dict[str, str]:
    """The value of every placeholder name for this plan."""
    top = [i for i in plan.indicators if i.parent is None]
    binding = [i for i in top if i.kind == "binding"]
    total = plan.total_investment
    return {
        "binding_count": str(len(binding)),
        "reference_count": str(sum(1 for i in top if i.kind == "reference")),
        "indicator_rows": str(len(plan.rows)),
        "domain_count_cn": chinese_count(len({i.domain for i in binding})),
        "task_count_cn": chinese_count(len({(i.task.number if i.task else None) for i in binding})),
        "project_count": str(len(plan.projects)),
        "category_count": str(len(plan.categories)),
        "total_investment": decimal_text(total),
        "total_investment_yi": hundred_millions(total),
        "base_year": str(plan.meta.base_year),
        "period_start": str(plan.meta.period.start),
        "period_end": str(plan.meta.period.end),
        **{f"table_{s}": numbering(plan)[0].get(s, "") for s in TABLE_SOURCES},
    }


def numbering(plan: Plan) -> tuple[dict[str, str], list[str]]:
    """Tables and figures numbered in the order the plan shows them: each numbered table's
    label by its source, and each figure's label in order. (The source numbers two different
    tables 表1; a document numbers what it shows.)"""
    tables: dict[str, str] = {}
    figures: list[str] = []

    def walk(blocks: list[Block]) -> None:
        for block in blocks:
            if isinstance(block, Section):
                walk(block.body)
            elif isinstance(block, TableRef) and block.number:
                tables.setdefault(block.source, f"表{len(tables) + 1}")
            elif isinstance(block, Figure):
                figures.append(f"图{len(figures) + 1}")

    for chapter in plan.chapters:
        walk(chapter.body)
    return tables, figures


def unknown(text: str) -> list[str]:
    """Names in `text` that are not placeholders, and stray braces, as messages."""
    problems = [
        f"unknown placeholder '{m[1]}'" for m in PATTERN.finditer(text) if m[1] not in NAMES
    ]
    rest = PATTERN.sub("", text)
    if "{{" in rest or "}}" in rest:
        problems.append("malformed placeholder: write {{ name }}")
    return problems


def fill(text: str, table: dict[str, str]) -> str:
    return PATTERN.sub(lambda m: table[m[1]], text)
