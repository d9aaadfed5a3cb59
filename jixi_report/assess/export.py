"""An assessment as plain JSON data (`jixi-report assess --json`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..base.vocab import PENDING
from .engine import Assessment, Counts, Row
from .rules import Judgement


def _num(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, dict):
        return {k: _num(x) for k, x in v.items()}
    return v


def _counts(c: Counts) -> dict[str, Any]:
    return {
        "met": c.met,
        "not_met": c.not_met,
        "undecided": c.undecided,
        "no_data": c.no_data,
        "total": c.total,
        "not_applicable": [{"id": i, "reason": r} for i, r in c.excluded],
    }


def _judgement(j: Judgement) -> dict[str, Any]:
    return {
        "status": j.status,
        "label": j.label,
        "basis": j.basis,
        "missing": j.missing,
        "reason": j.reason or None,
    }


def _row(row: Row) -> dict[str, Any]:
    ind = row.indicator
    p = row.progress
    return {
        "id": ind.id,
        "label": ind.label,  # as every report prints it: 4.1, 参1
        "name": ind.name,
        "unit": ind.unit,
        "lead": ind.lead,  # 牵头单位
        "partners": ind.partners,
        "kind": ind.kind,
        "parent": ind.parent,
        "direction": ind.direction,
        "value": _num(row.value),
        "previous": _num(row.previous),
        "previous_year": row.previous_year,
        "previous_rates": _num(row.previous_rates) or None,  # a composite row (27)
        "change": _num(row.change),  # value − previous, where both are numbers
        "base": _num(row.base),
        "change_from_base": _num(row.change_from_base),
        "inputs": _num(row.inputs),
        "standard": ind.standard.text if ind.standard else None,
        "target": ind.targets[row.milestone].text if row.milestone in ind.targets else None,
        "milestone": row.milestone,
        "status": row.status.status,
        "target_status": row.target.status,
        "basis": row.status.basis,
        "judgement": _judgement(row.status),
        "target_judgement": _judgement(row.target),
        "progress": None
        if p is None
        else {
            "expected": _num(p.expected),
            "target": _num(p.target),
            "ratio": _num(p.ratio),
            "category": p.category,
            "baseline_met": p.baseline_met,
            "on_pace": p.on_pace,
        },
    }


def to_json(a: Assessment) -> dict[str, Any]:
    statuses = {}
    for r in a.projects:
        key = r.status or PENDING
        statuses[key] = statuses.get(key, 0) + 1
    return {
        "year": a.year,
        "data_status": a.monitoring.data_status if a.monitoring else None,
        "rows": [_row(r) for r in a.rows],
        "summary": {
            "indicators": {k: _counts(c) for k, c in a.counts.items()},
            "targets": {k: _counts(c) for k, c in a.target_counts.items()},
            "projects": {
                "count": len(a.projects),
                "overdue": [r.project.no for r in a.projects if r.overdue],
                "by_status": statuses,
                "planned": _num(a.planned),
                "invested": _num(a.invested),
                "invested_share": _num(a.invested_share),
            },
        },
    }
