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
# A term's name, years and stage: term1_name, term1_start, term1_end, term1_stage, term2_…
TERM = re.compile(r"term([1-9])_(name|start|end|stage)\Z")
# How a division's name ends → what it is, in the order a plan lists the kinds
DIVISION_KINDS = {"区": "市辖区", "市": "县级市", "县": "县", "旗": "旗"}

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
    "division_count",  # 9
    "division_kinds",  # 6个市辖区、2个县级市、1个县
    "division_names",  # 鸡冠区、恒山区、…、鸡东县
    "domain_names",  # 目标责任、生态安全、…、生态文明制度 (the binding rows' 领域)
    "task_names",  # 目标责任落实、…和体制机制保障 (their 任务)
    "category_names",  # 生态制度体系建设工程、…和生态文化体系建设工程
    # a numbered table's label in document order (表1, 表2 …), to refer to it in prose
    *(f"table_{source}" for source in TABLE_SOURCES),
)


def values(plan: Plan) -> dict[str, str]:
    """The value of every placeholder name for this plan."""
    top = [i for i in plan.indicators if i.parent is None]
    binding = [i for i in top if i.kind == "binding"]
    total = plan.total_investment
    tables = numbering(plan)[0]
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
        **{f"table_{s}": tables.get(s, "") for s in TABLE_SOURCES},
        **_regional(plan),
        **_terms(plan),
    }


def _listed(names: list[str]) -> str:
    """甲、乙和丙: a list as prose closes it."""
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]


def _regional(plan: Plan) -> dict[str, str]:
    divisions = plan.meta.region.divisions
    kinds = {kind: 0 for kind in DIVISION_KINDS.values()}
    for d in divisions:
        kind = DIVISION_KINDS.get(d[-1:])
        if kind:
            kinds[kind] += 1
    binding = [i for i in plan.indicators if i.parent is None and i.kind == "binding"]
    domains = list(dict.fromkeys(i.domain for i in binding if i.domain))
    tasks = list(dict.fromkeys(i.task.name for i in binding if i.task))
    categories = [c.name for c in plan.categories]
    return {
        "division_count": str(len(divisions)),
        "division_kinds": "、".join(f"{n}个{k}" for k, n in kinds.items() if n),
        "division_names": "、".join(divisions),
        "domain_names": "、".join(domains),
        "task_names": _listed(tasks) if tasks else "",
        "category_names": _listed(categories) if categories else "",
    }


def _terms(plan: Plan) -> dict[str, str]:
    out = {}
    for n, term in enumerate(plan.meta.terms, 1):
        out |= {
            f"term{n}_name": term.name,
            f"term{n}_start": str(term.start),
            f"term{n}_end": str(term.end),
            f"term{n}_stage": term.stage or "",
        }
    return out


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


def unknown(text: str, terms: int | None = None) -> list[str]:
    """Names in `text` that are not placeholders, and stray braces, as messages; a term's
    placeholder for a term the plan does not have (`terms`: how many it has, when known)."""
    problems = []
    for m in PATTERN.finditer(text):
        term = TERM.match(m[1])
        if term and terms is not None and int(term[1]) > terms:
            problems.append(f"placeholder '{m[1]}': the plan has {terms} terms")
        elif not term and m[1] not in NAMES:
            problems.append(f"unknown placeholder '{m[1]}'")
    rest = PATTERN.sub("", text)
    if "{{" in rest or "}}" in rest:
        problems.append("malformed placeholder: write {{ name }}")
    return problems


def fill(text: str, table: dict[str, str]) -> str:
    return PATTERN.sub(lambda m: table[m[1]], text)
