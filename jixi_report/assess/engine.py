"""Indicators × a year's data → the assessment of that year (docs/assessment-rules.md).

Pure functions over the model: no I/O, no printing. Each judgement keeps its basis and what it
was missing, so the report can show a reader how every status came about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..base.errors import UsageError
from ..base.vocab import (
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_APPLICABLE_VALUE,
    NOT_MET,
    PROJECT_DONE,
    RATES,
    UNDECIDED,
)
from ..content.model import Indicator, Plan, Project
from ..content.yearly import Monitoring
from .progress import Progress, progress
from .rules import Facts, Judgement, Value, judge, number


@dataclass
class Row:
    indicator: Indicator
    value: Value
    previous: Value
    previous_year: int | None
    inputs: dict[str, Any]
    status: Judgement
    target: Judgement
    milestone: int
    progress: Progress | None = None
    children: list[Row] = field(default_factory=list)
    previous_rates: dict[str, Decimal] = field(default_factory=dict)  # a composite row's (27)
    base: Value = None  # the base year's figure (现状值), when the baseline gives one

    @property
    def change(self) -> Decimal | None:
        """This year's figure less the previous one, where both are numbers (§2)."""
        x, p = number(self.value), number(self.previous)
        return None if x is None or p is None else x - p

    @property
    def change_from_base(self) -> Decimal | None:
        x, b = number(self.value), number(self.base)
        return None if x is None or b is None else x - b


@dataclass
class ProjectRow:
    project: Project
    status: str | None  # None: 待填报
    invested: Decimal | None
    note: str | None
    overdue: bool = False  # its last year has ended (the report counts to year end), not 完工

    @property
    def share(self) -> Decimal | None:
        if self.invested is None or not self.project.investment:
            return None
        return self.invested / self.project.investment


@dataclass
class Counts:
    met: int = 0
    not_met: int = 0
    undecided: int = 0
    no_data: int = 0
    excluded: list[tuple[str, str]] = field(default_factory=list)  # (id, reason) not applicable

    @property
    def total(self) -> int:
        return self.met + self.not_met + self.undecided + self.no_data

    def add(self, ind: Indicator, j: Judgement) -> None:
        if j.status == NOT_APPLICABLE:
            self.excluded.append((ind.id, j.reason))
        else:
            setattr(self, j.status, getattr(self, j.status) + 1)


@dataclass
class Assessment:
    year: int
    monitoring: Monitoring | None
    rows: list[Row]  # every indicator in table order; parents rolled up from their rows
    projects: list[ProjectRow]
    counts: dict[str, Counts]  # kind → counts of top-level indicators (status)
    target_counts: dict[str, Counts]  # the same against the governing milestone target
    planned: Decimal
    invested: Decimal  # reported so far (cumulative, this year's file)

    @property
    def example(self) -> bool:
        """The year's monitoring data is example data: every page of its report says so."""
        return self.monitoring is not None and self.monitoring.data_status == "example"

    @property
    def invested_share(self) -> Decimal | None:
        return self.invested / self.planned if self.planned else None


def _row(plan: Plan, ind: Indicator, year: int, m: Monitoring | None) -> Row:
    obs = m.indicators.get(ind.id) if m else None
    value = obs.value if obs else None
    found, previous_year = plan.previous(ind, year)  # §2
    previous = found.get("value")
    milestone = plan.meta.milestone_for(year)
    assert ind.direction is not None  # load() requires it on every row with values
    facts = Facts(value, previous, obs, ind.direction, ind.tolerance, plan.meta.region.zone)
    if ind.not_applicable or value == NOT_APPLICABLE_VALUE:
        reason = ind.not_applicable or NOT_APPLICABLE_VALUE
        status = target = Judgement(NOT_APPLICABLE, "not_applicable", reason=reason)
    else:
        assert ind.standard is not None
        status = judge(ind.standard.rule, facts)
        target = judge(ind.targets[milestone].rule, facts)
    inputs = {
        k: v
        for k, v in (obs.model_dump(exclude_none=True) if obs else {}).items()
        if k not in ("note", "source")
    }
    row = Row(ind, value, previous, previous_year, inputs, status, target, milestone)
    row.base = ind.baseline.value if ind.baseline else None
    if ind.standard is not None and ind.standard.rule.components:  # judged on its rates
        row.previous_rates, row.previous_year = plan.previous(ind, year, RATES)
    row.progress = progress(plan, ind, year, value, target.status == MET)
    return row


def _rollup(children: list[Judgement]) -> Judgement:
    """A parent from its sub-rows: 未达标, else 待填报, else 无法判定, else 达标 (§4)."""
    applicable = [j for j in children if j.status != NOT_APPLICABLE]
    if not applicable:
        return Judgement(NOT_APPLICABLE, "rollup", reason="；".join(j.reason for j in children))
    missing = list(dict.fromkeys(m for j in applicable for m in j.missing))
    for status in (NOT_MET, NO_DATA, UNDECIDED):
        if any(j.status == status for j in applicable):
            return Judgement(status, "rollup", missing)
    return Judgement(MET, "rollup")


def assess(plan: Plan, year: int) -> Assessment:
    """Every indicator and project of `plan` in `year`; UsageError outside the plan period."""
    period = plan.meta.period
    if not period.start <= year <= period.end:
        raise UsageError(f"year {year} is outside the plan period {period.start}–{period.end}")
    m = plan.monitoring.get(year)
    rows: list[Row] = []
    by_id: dict[str, Row] = {}
    for ind in plan.indicators:
        if ind.has_values:
            row = _row(plan, ind, year, m)
        else:
            row = Row(
                ind,
                None,
                None,
                None,
                {},
                Judgement(NO_DATA, "rollup"),
                Judgement(NO_DATA, "rollup"),
                plan.meta.milestone_for(year),
            )
        rows.append(row)
        by_id[ind.id] = row
        if ind.parent:
            by_id[ind.parent].children.append(row)
    for row in rows:
        if row.children:
            row.status = _rollup([c.status for c in row.children])
            row.target = _rollup([c.target for c in row.children])
    counts: dict[str, Counts] = {"binding": Counts(), "reference": Counts()}
    target_counts: dict[str, Counts] = {"binding": Counts(), "reference": Counts()}
    for row in rows:
        if row.indicator.parent is None and row.indicator.kind in counts:
            counts[row.indicator.kind].add(row.indicator, row.status)
            target_counts[row.indicator.kind].add(row.indicator, row.target)
    projects = []
    for p in sorted(plan.projects, key=lambda p: p.no):
        got = m.projects.get(p.no) if m else None
        projects.append(
            ProjectRow(
                p,
                got.status if got else None,
                got.invested if got else None,
                got.note if got else None,
                bool(got and got.status and got.status != PROJECT_DONE and p.period.end <= year),
            )
        )
    invested = sum((r.invested for r in projects if r.invested is not None), Decimal(0))
    return Assessment(
        year, m, rows, projects, counts, target_counts, plan.total_investment, invested
    )
