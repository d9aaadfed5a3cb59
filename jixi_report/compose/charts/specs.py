"""What each chart of the report shows, as plain data: the numbers, labels and states drawn.

A spec is all a drawing depends on besides the drawing code and the house style, so the cache
keys each chart on its spec: a change to the data or to the judging rules redraws exactly the
charts whose picture it changes. Nothing here imports matplotlib.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from ...assess.engine import Assessment, ProjectRow
from ...base.vocab import CITY_LEVEL_GROUP, COUNTED, KIND_LABELS, NOT_APPLICABLE_VALUE
from ...content.model import Plan
from ..blocks import milestone_labels
from . import trends
from .layout import timeline_pages
from .trends import Panel

PLANNED = "估算总投资"  # the investment bars: worded as the report's project table heads them
DONE = "累计完成投资"


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
class Group:
    name: str
    planned: Decimal
    done: Decimal | None  # None: no project of the group reported


@dataclass(frozen=True)
class Span:
    label: str  # 序号 and the project's full name
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
    # the PNG keeps no ground of its own, for a watermark behind it to show (example data)
    clear: bool = False


def specs(plan: Plan, a: Assessment) -> list[Spec]:
    """Every chart of the report, in report order."""
    meta = plan.meta
    years = {"first_year": meta.base_year, "last_year": meta.period.end}
    out = [_status(a)]
    legend = (trends.VALUE, trends.STANDARD, *milestone_labels(meta))
    for i, figure in enumerate(trends.figures(plan, a), 1):
        out.append(
            Spec(
                f"trends-{i}",
                figure.caption,
                "trends",
                a.year,
                **years,
                panels=figure.panels,
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
        ]
        spans = [_span(r) for r in a.projects]
        pages = timeline_pages([s.label for s in spans])
        for i, (start, end) in enumerate(pages, 1):
            numbered = f"（{i}）" if len(pages) > 1 else ""
            out.append(
                Spec(
                    f"timeline-{i}",
                    f"重点工程实施进度{numbered}",
                    "timeline",
                    a.year,
                    **years,
                    spans=tuple(spans[start:end]),
                )
            )
    # Word prints the example data's 示例数据 behind the text: its pictures let it show through
    return [replace(spec, clear=a.example) for spec in out]


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
    listed = set(plan.meta.region.divisions)  # a listed division without projects shows its 0
    return [(name, rows) for name, rows in groups if rows or name in listed]


def _groups(groups: list[tuple[str, list[ProjectRow]]]) -> tuple[Group, ...]:
    """Planned and completed investment per group; a group with no report has no total."""
    out = []
    for name, rows in groups:
        known = [r.invested for r in rows if r.invested is not None]
        if not rows:  # a division without projects: nothing planned, nothing to report
            known = [Decimal(0)]
        planned = sum((r.project.investment for r in rows), Decimal(0))
        out.append(Group(name, planned, sum(known, Decimal(0)) if known else None))
    return tuple(out)


def _span(r: ProjectRow) -> Span:
    p = r.project
    return Span(f"{p.no} {p.name}", p.period.start, p.period.end, r.status, r.overdue)
