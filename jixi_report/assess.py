"""Indicators × yearly data → statuses, exactly as shared/design/assessment.md fixes them.

Pure functions over the model: no I/O, no printing. Each judgement keeps its basis and what it
was missing, so the report can show a reader how every status came about.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import Any

from .errors import UsageError
from .model import Indicator, Monitoring, Observation, Plan, Project, Rule

MET, NOT_MET, NO_DATA, NOT_APPLICABLE = "met", "not_met", "no_data", "not_applicable"
LABELS = {MET: "达标", NOT_MET: "未达标", NO_DATA: "待填报", NOT_APPLICABLE: "不涉及"}
NOT_APPLICABLE_VALUE = "不涉及"
# A state that satisfies a weaker one: 完善 ⊇ 建立, 有效开展 ⊇ 开展.
SATISFIES = {"建立": {"建立", "完善"}, "开展": {"开展", "有效开展"}}
PROGRESS_LABELS = {
    "achieved": "已达到目标",
    "substantial": "进展显著",
    "moderate": "进展一般",
    "limited": "进展有限",
    "deterioration": "出现倒退",
}

Value = Decimal | str | None


@dataclass
class Judgement:
    status: str
    # threshold, improving, stable, qualitative, superior_task, composite, rollup, not_applicable
    basis: str
    missing: list[str] = field(default_factory=list)  # what data the rule needed and lacked
    reason: str = ""  # why not applicable

    @property
    def label(self) -> str:
        return LABELS[self.status]


@dataclass
class Progress:
    expected: Decimal  # where a straight path baseline → milestone targets would be this year
    target: Decimal  # the governing milestone's target value
    ratio: Decimal | None  # actual change / required change
    category: str

    @property
    def label(self) -> str:
        return PROGRESS_LABELS[self.category]


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


@dataclass
class ProjectRow:
    project: Project
    status: str | None  # None: 待填报
    invested: Decimal | None
    note: str | None

    @property
    def share(self) -> Decimal | None:
        if self.invested is None or not self.project.investment:
            return None
        return self.invested / self.project.investment


@dataclass
class Counts:
    met: int = 0
    not_met: int = 0
    no_data: int = 0
    excluded: list[tuple[str, str]] = field(default_factory=list)  # (id, reason) not applicable

    @property
    def total(self) -> int:
        return self.met + self.not_met + self.no_data

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
    def invested_share(self) -> Decimal | None:
        return self.invested / self.planned if self.planned else None


# ---- rules ----------------------------------------------------------------------------------


@dataclass
class _Facts:
    value: Value
    previous: Value
    obs: Observation | None
    direction: str
    tolerance: Decimal
    zone: str | None


def _number(v: Value) -> Decimal | None:
    return v if isinstance(v, Decimal) else None


def _threshold(rule: Rule, x: Decimal) -> bool:
    checks = [
        rule.min is None or x >= rule.min,
        rule.max is None or x <= rule.max,
        rule.equals is None or x == rule.equals,
        rule.above is None or x > rule.above,
    ]
    return all(checks)


def _has_threshold(rule: Rule) -> bool:
    return any(v is not None for v in (rule.min, rule.max, rule.equals, rule.above))


def _better(direction: str, a: Decimal, b: Decimal) -> bool:
    return a < b if direction == "lower" else a > b


def judge(rule: Rule, f: _Facts) -> Judgement:
    """One cell's rule against one year's facts."""
    if rule.not_applicable:
        return Judgement(NOT_APPLICABLE, "not_applicable", reason=rule.not_applicable)
    if rule.by_region is not None:
        chosen = next(r.rule for r in rule.by_region if f.zone in r.regions)
        return judge(chosen, f)
    if rule.components is not None:
        return _composite(rule.components, f)
    if rule.state is not None:
        if not isinstance(f.value, str):
            return Judgement(NO_DATA, "qualitative", ["年度建设情况"])
        ok = f.value in SATISFIES.get(rule.state, {rule.state})
        return Judgement(MET if ok else NOT_MET, "qualitative")
    task = None
    if rule.superior_task:
        task = f.obs.superior_task_met if f.obs else None
        if task is False:
            return Judgement(NOT_MET, "superior_task")
    numeric = _numeric(rule, f)
    missing = [] if task is not None or not rule.superior_task else ["上级考核任务完成情况"]
    if numeric is None:
        if missing:
            return Judgement(NO_DATA, "superior_task", missing)
        return Judgement(MET, "superior_task")
    status, basis, lacking = numeric
    if status == NOT_MET:
        return Judgement(NOT_MET, basis)
    if missing or status == NO_DATA:
        return Judgement(NO_DATA, basis, missing + lacking)
    return Judgement(MET, basis)


def _numeric(rule: Rule, f: _Facts) -> tuple[str, str, list[str]] | None:
    """The threshold / 持续改善 / 保持稳定 part of a rule, any one of which suffices."""
    options: list[tuple[str, bool | None]] = []
    lacking: list[str] = []
    x, prev = _number(f.value), _number(f.previous)
    if _has_threshold(rule):
        options.append(("threshold", None if x is None else _threshold(rule, x)))
    if rule.improving or rule.stable:
        basis = "improving" if rule.improving else "stable"
        if x is None or prev is None:
            options.append((basis, None))
            if prev is None:
                lacking.append("上一年度数值")
        elif rule.improving:
            options.append((basis, _better(f.direction, x, prev)))
        else:
            limit = prev + f.tolerance if f.direction == "lower" else prev - f.tolerance
            options.append((basis, x <= limit if f.direction == "lower" else x >= limit))
    if not options:
        return None
    if x is None:
        lacking.insert(0, "本年度数值")
    for basis, ok in options:
        if ok:
            return MET, basis, []
    if any(ok is None for _, ok in options):
        return NO_DATA, options[0][0], lacking
    return NOT_MET, options[0][0], []


def _composite(components: dict[str, Rule], f: _Facts) -> Judgement:
    missing, failed = [], False
    names = {"start_rate": "案件线索启动率", "closure_rate": "案件结案率"}
    for name, sub in components.items():
        x = getattr(f.obs, name, None) if f.obs else None
        if x is None:
            missing.append(names.get(name, name))
        elif not _threshold(sub, x):
            failed = True
    if failed:
        return Judgement(NOT_MET, "composite")
    return Judgement(NO_DATA, "composite", missing) if missing else Judgement(MET, "composite")


# ---- rows -----------------------------------------------------------------------------------


def _previous(plan: Plan, ind: Indicator, year: int) -> tuple[Value, int | None]:
    """The nearest earlier year with a value: monitoring years, then the baseline."""
    for y in sorted((y for y in plan.monitoring if y < year), reverse=True):
        obs = plan.monitoring[y].indicators.get(ind.id)
        if obs is not None and obs.value is not None and obs.value != NOT_APPLICABLE_VALUE:
            return obs.value, y
    base = ind.baseline.value if ind.baseline else None
    return (base, plan.meta.base_year) if base is not None else (None, None)


def _row(plan: Plan, ind: Indicator, year: int, m: Monitoring | None) -> Row:
    obs = m.indicators.get(ind.id) if m else None
    value = obs.value if obs else None
    previous, previous_year = _previous(plan, ind, year)
    milestone = plan.meta.milestone_for(year)
    assert ind.direction is not None  # load() requires it on every row with values
    facts = _Facts(value, previous, obs, ind.direction, ind.tolerance, plan.meta.region.zone)
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
    row.progress = progress(plan, ind, year, value, target.status == MET)
    return row


def target_value(rule: Rule, zone: str | None) -> Decimal | None:
    if rule.by_region is not None:
        rule = next(r.rule for r in rule.by_region if zone in r.regions)
    for v in (rule.equals, rule.min, rule.max, rule.above):
        if v is not None:
            return v
    return None


def progress(plan: Plan, ind: Indicator, year: int, value: Value, reached: bool) -> Progress | None:
    """Distance on the path baseline → milestone targets (Eurostat / Open SDG classes)."""
    x = _number(value)
    base = _number(ind.baseline.value) if ind.baseline else None
    if x is None or base is None or ind.direction not in ("higher", "lower"):
        return None
    points = [(plan.meta.base_year, base)]
    for milestone in plan.meta.milestones:
        t = target_value(ind.targets[milestone].rule, plan.meta.region.zone)
        if t is None:
            return None
        points.append((milestone, t))
    expected = points[-1][1]
    for (y0, v0), (y1, v1) in pairwise(points):
        if y0 <= year <= y1:
            expected = v0 + (v1 - v0) * Decimal(year - y0) / Decimal(y1 - y0)
            break
    target = points[1 + plan.meta.milestones.index(plan.meta.milestone_for(year))][1]
    required, actual = expected - base, x - base
    ratio = actual / required if required else None
    if reached:
        category = "achieved"
    elif ratio is None or not _better(ind.direction, expected, base):
        # The path asks for no improvement (the baseline already met it): only the sign tells.
        category = "deterioration" if _better(ind.direction, base, x) else "limited"
    elif ratio >= Decimal("0.95"):  # classes use the exact ratio; it is rounded only for show
        category = "substantial"
    elif ratio >= Decimal("0.60"):
        category = "moderate"
    elif ratio >= 0:
        category = "limited"
    else:
        category = "deterioration"
    shown = ratio.quantize(Decimal("0.01")) if ratio is not None else None
    return Progress(expected.quantize(Decimal("0.01")), target, shown, category)


def _rollup(children: list[Judgement]) -> Judgement:
    applicable = [j for j in children if j.status != NOT_APPLICABLE]
    if not applicable:
        return Judgement(NOT_APPLICABLE, "rollup", reason="；".join(j.reason for j in children))
    missing = list(dict.fromkeys(m for j in applicable for m in j.missing))
    for status in (NOT_MET, NO_DATA):
        if any(j.status == status for j in applicable):
            return Judgement(status, "rollup", missing)
    return Judgement(MET, "rollup")


def assess(plan: Plan, year: int) -> Assessment:
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
            )
        )
    invested = sum((r.invested for r in projects if r.invested is not None), Decimal(0))
    return Assessment(
        year, m, rows, projects, counts, target_counts, plan.total_investment, invested
    )
