"""Figures the data implies, filled into prose where the content writes `{{ name }}`.

Content strings are never rendered as templates: only this fixed set of names is replaced.
"""

from __future__ import annotations

import re

from ..base.vocab import chinese_count, decimal_text, hundred_millions
from .model import Plan

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
    }


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
