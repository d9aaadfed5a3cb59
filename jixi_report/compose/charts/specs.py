"""What each chart of the report shows, as plain data: the numbers, labels and states drawn.

A spec is all a drawing depends on besides the drawing code and the house style, so the cache
keys each chart on its spec: a change to the data or to the judging rules redraws exactly the
charts whose picture it changes. Nothing here imports matplotlib.
"""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ...assess.engine import Assessment, ProjectRow, Row
from ...assess.progress import target_value
from ...base.vocab import CITY_LEVEL_GROUP, COUNTED, KIND_LABELS, NOT_APPLICABLE_VALUE
from ...content.model import Indicator, Plan
from ..blocks import milestone_labels

PANELS = 12  # small multiples per trend figure
TITLE_EM = 15.5  # panel title width in characters of its font size


@dataclass
class Chart:
    """A drawn chart: its files, and its caption (without number) for the report to place."""

    name: str  # file stem, e.g. "status", "trends-1"
    caption: str
    svg: Path
    png: Path


@dataclass(frozen=True)
class Bar:
    label: str
    counts: tuple[tuple[str, int], ...]  # (status code, count) in the order drawn


@dataclass(frozen=True)
class Target:
    index: int  # which milestone (its colour)
    label: str
    first: int  # the term's years the line spans
    last: int
    level: Decimal


@dataclass(frozen=True)
class Panel:
    title: str
    points: tuple[tuple[int, Decimal], ...]
    standard: Decimal | None
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class Group:
    name: str
    planned: Decimal
    done: Decimal | None  # None: no project of the group reported


@dataclass(frozen=True)
class Span:
    label: str
    first: int
    last: int
    status: str | None  # None: 待填报
    overdue: bool = False  # past its last year and not 完工


@dataclass(frozen=True)
class Spec:
    """One chart: what it is called and everything it draws."""

    name: str
    caption: str
    kind: str  # status | trends | invest | timeline: the drawing function
    year: int
    first_year: int = 0
    last_year: int = 0
    bars: tuple[Bar, ...] = ()
    note: str = ""
    panels: tuple[Panel, ...] = ()
    legend: tuple[str, ...] = field(default=())
    groups: tuple[Group, ...] = ()
    spans: tuple[Span, ...] = ()


def specs(plan: Plan, a: Assessment) -> list[Spec]:
    """Every chart of the report, in report order."""
    meta = plan.meta
    years = {"first_year": meta.base_year, "last_year": meta.period.end}
    out = [_status(a)]
    rows = trend_rows(plan, a)
    for i, start in enumerate(range(0, len(rows), PANELS), 1):
        panels = tuple(_panel(plan, a, r) for r in rows[start : start + PANELS])
        legend = ("监测值", "国家标准", *milestone_labels(meta))
        out.append(
            Spec(
                f"trends-{i}",
                f"主要指标变化趋势（{i}）",
                "trends",
                a.year,
                **years,
                panels=panels,
                legend=legend,
            )
        )
    if a.projects:
        out += [
            Spec(
                "invest-category",
                "重点工程投资完成情况（按工程类型）",
                "invest",
                a.year,
                groups=_groups(_by_category(plan, a)),
            ),
            Spec(
                "invest-division",
                "重点工程投资完成情况（按县级行政区）",
                "invest",
                a.year,
                groups=_groups(_by_division(plan, a)),
            ),
            Spec(
                "timeline",
                "重点工程实施进度",
                "timeline",
                a.year,
                **years,
                spans=tuple(_span(r) for r in a.projects),
            ),
        ]
    return out


def _status(a: Assessment) -> Spec:
    labels = {r.indicator.id: r.indicator.label for r in a.rows}
    bars = []
    for kind, label in KIND_LABELS.items():
        c = a.counts[kind]
        bars.append(Bar(f"{label}\n（共{c.total}项）", tuple((s, getattr(c, s)) for s in COUNTED)))
    excluded = []
    for kind, c in a.counts.items():
        if c.excluded:
            names = "、".join(labels.get(i, i) for i, _ in c.excluded)
            excluded.append(f"{KIND_LABELS[kind]}{len(c.excluded)}项（{names}）")
    note = ""
    if excluded:
        text = f"注：{NOT_APPLICABLE_VALUE}、未计入统计的指标：" + "；".join(excluded) + "。"
        note = "\n".join(textwrap.wrap(text, 48))
    return Spec("status", "建设指标达标情况", "status", a.year, bars=tuple(bars), note=note)


# ---- trends -----------------------------------------------------------------------------------


def trend_rows(plan: Plan, a: Assessment) -> list[Row]:
    """Rows with a direction and at least one number to draw: one trend panel each."""
    return [
        r
        for r in a.rows
        if r.indicator.has_values
        and r.indicator.direction in ("higher", "lower")
        and _series(plan, a, r.indicator)
    ]


def _series(plan: Plan, a: Assessment, ind: Indicator) -> list[tuple[int, Decimal]]:
    """The baseline and every monitored year up to the report year that has a number."""
    points = []
    if ind.baseline is not None and isinstance(ind.baseline.value, Decimal):
        points.append((plan.meta.base_year, ind.baseline.value))
    for year in sorted(y for y in plan.monitoring if plan.meta.base_year < y <= a.year):
        obs = plan.monitoring[year].indicators.get(ind.id)
        if obs is not None and isinstance(obs.value, Decimal):
            points.append((year, obs.value))
    return points


def _level(ind: Indicator, key: int | None, zone: str | None) -> Decimal | None:
    """The numeric threshold of the standard (key None) or of a milestone's target."""
    cell = ind.standard if key is None else ind.targets.get(key)
    return None if cell is None else target_value(cell.rule, zone)


def _panel(plan: Plan, a: Assessment, row: Row) -> Panel:
    meta, ind = plan.meta, row.indicator
    zone = meta.region.zone
    terms = {t.end: t for t in meta.terms}
    targets = []
    for i, (m, label) in enumerate(zip(meta.milestones, milestone_labels(meta), strict=True)):
        level = _level(ind, m, zone)
        if level is not None:
            targets.append(Target(i, label, terms[m].start, terms[m].end, level))
    unit = f"（{ind.display_unit}）" if ind.display_unit else ""
    return Panel(
        _fit(f"{ind.label} ", ind.name, unit, TITLE_EM),
        tuple(_series(plan, a, ind)),
        _level(ind, None, zone),
        tuple(targets),
    )


def _fit(head: str, name: str, tail: str, em: float) -> str:
    """`head name tail`, the name cut with … so the whole fits `em` (CJK 1, Latin ≈ 0.55)."""

    def width(s: str) -> float:
        return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.55 for c in s)

    if width(head + name + tail) <= em:
        return head + name + tail
    while name and width(head + name + "…" + tail) > em:
        name = name[:-1]
    return head + name + "…" + tail


# ---- projects -------------------------------------------------------------------------------


def _by_category(plan: Plan, a: Assessment) -> list[tuple[str, list[ProjectRow]]]:
    return [
        (c.name, [r for r in a.projects if r.project.category == c.name]) for c in plan.categories
    ]


def _by_division(plan: Plan, a: Assessment) -> list[tuple[str, list[ProjectRow]]]:
    names = [*plan.meta.region.divisions, None]
    names += [d for d in dict.fromkeys(r.project.division for r in a.projects) if d not in names]
    groups = [
        (d or CITY_LEVEL_GROUP, [r for r in a.projects if r.project.division == d]) for d in names
    ]
    return [(name, rows) for name, rows in groups if rows]


def _groups(groups: list[tuple[str, list[ProjectRow]]]) -> tuple[Group, ...]:
    """Planned and completed investment per group; a group with no report has no total."""
    out = []
    for name, rows in groups:
        known = [r.invested for r in rows if r.invested is not None]
        planned = sum((r.project.investment for r in rows), Decimal(0))
        out.append(Group(name, planned, sum(known, Decimal(0)) if known else None))
    return tuple(out)


def _span(r: ProjectRow) -> Span:
    p = r.project
    return Span(f"{p.no} {_short(p.name, 14)}", p.period.start, p.period.end, r.status, r.overdue)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
