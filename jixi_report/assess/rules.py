"""One cell of Table 1 (a standard or a milestone target) judged against one year's facts.

The rules are described in docs/assessment-rules.md (§3 the rule vocabulary, §7 worked cases);
this module is what that document describes. Pure functions: no I/O, no printing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..base.vocab import (
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    RATE_NAMES,
    STATUSES,
    UNDECIDED,
    states_meeting,
)
from ..content.model import Rule
from ..content.yearly import Observation

# What a rule needed and lacked, in the words the report prints (§1).
THIS_YEAR, PREVIOUS_YEAR = "本年度数值", "上一年度数值"
COMPARISON = {PREVIOUS_YEAR}  # what a year compares with, not what it reports
SUPERIOR_TASK, STATE = "上级考核任务完成情况", "年度建设情况"

Value = Decimal | str | None


@dataclass
class Judgement:
    status: str  # met, not_met, undecided, no_data, not_applicable (base.vocab)
    # threshold, improving, stable, qualitative, superior_task, composite, rollup, not_applicable
    basis: str
    missing: list[str] = field(default_factory=list)  # what data the rule needed and lacked
    reason: str = ""  # why not applicable

    @property
    def label(self) -> str:
        return STATUSES[self.status].label


@dataclass
class Facts:
    value: Value
    previous: Value
    obs: Observation | None
    direction: str
    tolerance: Decimal
    zone: str | None


def number(v: Value) -> Decimal | None:
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


def better(direction: str, a: Decimal, b: Decimal) -> bool:
    return a < b if direction == "lower" else a > b


def judge(rule: Rule, f: Facts) -> Judgement:
    """One cell's rule against one year's facts (§3), told apart as §1 tells them: a year whose
    data is all there but lacks only the value it is compared with is 无法判定, not 待填报."""
    j = _judge(rule, f)
    if j.status == NO_DATA and j.missing and set(j.missing) <= COMPARISON:
        return Judgement(UNDECIDED, j.basis, j.missing)
    return j


def _judge(rule: Rule, f: Facts) -> Judgement:
    if rule.not_applicable:
        return Judgement(NOT_APPLICABLE, "not_applicable", reason=rule.not_applicable)
    if rule.by_region is not None:
        chosen = next(r.rule for r in rule.by_region if f.zone in r.regions)
        return _judge(chosen, f)
    if rule.components is not None:
        return _composite(rule.components, f)
    if rule.state is not None:
        if not isinstance(f.value, str):
            return Judgement(NO_DATA, "qualitative", [STATE])
        ok = f.value in states_meeting(rule.state)
        return Judgement(MET if ok else NOT_MET, "qualitative")
    task = None
    if rule.superior_task:
        task = f.obs.superior_task_met if f.obs else None
        if task is False:
            return Judgement(NOT_MET, "superior_task")
    numeric = _numeric(rule, f)
    missing = [] if task is not None or not rule.superior_task else [SUPERIOR_TASK]
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


def _numeric(rule: Rule, f: Facts) -> tuple[str, str, list[str]] | None:
    """The threshold / 持续改善 / 保持稳定 part of a rule, any one of which suffices."""
    options: list[tuple[str, bool | None]] = []
    lacking: list[str] = []
    x, prev = number(f.value), number(f.previous)
    if _has_threshold(rule):
        options.append(("threshold", None if x is None else _threshold(rule, x)))
    if rule.improving or rule.stable:
        basis = "improving" if rule.improving else "stable"
        if x is None or prev is None:
            options.append((basis, None))
            if prev is None:
                lacking.append(PREVIOUS_YEAR)
        elif rule.improving:
            options.append((basis, better(f.direction, x, prev)))
        else:
            limit = prev + f.tolerance if f.direction == "lower" else prev - f.tolerance
            options.append((basis, x <= limit if f.direction == "lower" else x >= limit))
    if not options:
        return None
    if x is None:
        lacking.insert(0, THIS_YEAR)
    for basis, ok in options:
        if ok:
            return MET, basis, []
    if any(ok is None for _, ok in options):
        return NO_DATA, options[0][0], lacking
    return NOT_MET, options[0][0], []


def _composite(components: dict[str, Rule], f: Facts) -> Judgement:
    missing, failed = [], False
    for name, sub in components.items():
        x = getattr(f.obs, name, None) if f.obs else None
        if x is None:
            missing.append(RATE_NAMES.get(name, name))
        elif not _threshold(sub, x):
            failed = True
    if failed:
        return Judgement(NOT_MET, "composite")
    return Judgement(NO_DATA, "composite", missing) if missing else Judgement(MET, "composite")
