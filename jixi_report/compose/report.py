"""An assessment → what the report template places: its figures, tables, charts and counts.

Decisions (which phrase, which mark, which count) are made here; `report.html.j2` words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..assess.engine import Assessment, Counts
from ..base.vocab import (
    COUNTED,
    DATA_STATUSES,
    NO_DATA,
    NO_MONITORING,
    NOT_MET,
    PENDING,
    PROJECT_STATUSES,
    STATUSES,
    UNDECIDED,
    build_date,
    chinese_numeral,
    money,
    month_text,
    percent,
)
from ..content.model import Plan
from .blocks import Node
from .charts.specs import Chart
from .report_tables import detail_table, indicator_table, project_detail_table, project_table


@dataclass
class CountView:
    total: int
    parts: list[tuple[str, int]]  # non-zero (label, count) in a fixed order
    excluded: list[tuple[str, str]]


def _counts(c: Counts) -> CountView:
    parts = [(STATUSES[s].label, getattr(c, s)) for s in COUNTED if getattr(c, s)]
    return CountView(c.total, parts, c.excluded)


def summary(plan: Plan, a: Assessment) -> dict[str, Any]:
    """The figures the 总体情况 paragraph states, all from the assessment."""
    by_status = {s: sum(1 for r in a.projects if r.status == s) for s in PROJECT_STATUSES}
    labels = {i.id: i.label for i in plan.indicators}
    return {
        "binding": _counts(a.counts["binding"]),
        "reference": _counts(a.counts["reference"]),
        "target_binding": _counts(a.target_counts["binding"]),
        "milestone": plan.meta.milestone_for(a.year),
        "excluded": "、".join(
            f"{labels.get(i, i)}（{reason}）"
            for k in ("binding", "reference")
            for i, reason in a.counts[k].excluded
        ),
        "projects": len(a.projects),
        "project_parts": [(s, n) for s, n in by_status.items() if n],
        "projects_pending": sum(1 for r in a.projects if r.status is None),
        "invested": money(a.invested),
        "planned": money(a.planned),
        "share": percent(a.invested_share),
        "not_met": [
            r.indicator for r in a.rows if r.status.status == NOT_MET and r.indicator.has_values
        ],
        "pending": [
            r.indicator for r in a.rows if r.status.status == NO_DATA and r.indicator.has_values
        ],
        "undecided": [  # (indicator, what it lacks)
            (r.indicator, "、".join(r.status.missing))
            for r in a.rows
            if r.status.status == UNDECIDED and r.indicator.has_values
        ],
    }


def _figure(chart: Chart, n: int) -> Node:
    return Node("figure", text=chart.caption, number=f"图{n}", src=chart.svg.resolve().as_uri())


def report_context(plan: Plan, a: Assessment, charts: list[Chart]) -> dict[str, Any]:
    """Everything report.html.j2 needs. The contents is made from the headings it emits."""
    figures = {c.name: _figure(c, n) for n, c in enumerate(charts, 1)}
    trends = [figures[c.name] for c in charts if c.name.startswith("trends")]
    m = a.monitoring
    tasks = [
        (f"（{chinese_numeral(i)}）", title, (m.tasks.get(num) if m else None) or PENDING)
        for i, (num, title) in enumerate(plan.task_areas().items(), 1)
    ]
    today = build_date()
    return {
        "meta": plan.meta,
        "year": a.year,
        "a": a,
        "m": m,
        "example": m is not None and m.data_status == "example",
        "data_status": DATA_STATUSES[m.data_status] if m else NO_MONITORING,
        "pending": PENDING,
        "s": summary(plan, a),
        "figures": figures,
        "trends": trends,
        "tables": {
            "indicators": indicator_table(plan, a, "表1"),
            "projects": project_table(plan, a, "表2"),
            "detail": detail_table(a, "附表1"),
            "project_detail": project_detail_table(a, "附表2"),
        },
        "tasks": tasks,
        "date_text": month_text(today),
        "created": today.isoformat(),
    }
