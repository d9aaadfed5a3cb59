"""Figures the data implies, filled into prose where the content writes `{{ name }}`.

Content strings are never rendered as templates: only this fixed set of names is replaced.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

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

_DIGITS = "零一二三四五六七八九"


def chinese_count(n: int) -> str:
    """1…99 in Chinese numerals before a measure word: 五大领域, 两大类, 十二项."""
    return "两" if n == 2 else chinese_numeral(n)


def chinese_numeral(n: int) -> str:
    """1…99 in Chinese numerals as in numbering: （二）, 十二."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + ("" if ones == 0 and tens else _DIGITS[ones])


def plain_decimal(value: Decimal) -> str:
    """1004117.06 as written, without exponent or trailing zeros."""
    return format(value.normalize(), "f")


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
        "total_investment": plain_decimal(total),
        "total_investment_yi": str((total / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP)),
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
