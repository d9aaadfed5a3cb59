"""Progress on the milestone path: baseline → each term's target (docs/assessment-rules.md §6)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from ..base.vocab import PROGRESS_LABELS, hundredths
from ..content.model import Indicator, Plan, Rule
from .rules import Value, better, number


@dataclass
class Progress:
    expected: Decimal  # where a straight path baseline → milestone targets would be this year
    target: Decimal  # the governing milestone's target value
    ratio: Decimal | None  # actual change / required change; None where it means nothing
    category: str  # achieved, substantial, moderate, limited, deterioration
    baseline_met: bool = False  # the baseline already met the target: no change was asked for
    on_pace: bool = False  # at or beyond where the path is this year (达到序时进度), §6

    @property
    def label(self) -> str:
        return PROGRESS_LABELS[self.category]


def target_value(rule: Rule, zone: str | None) -> Decimal | None:
    """The number a rule sets (the level a chart draws, the end of a milestone path)."""
    if rule.by_region is not None:
        rule = next(r.rule for r in rule.by_region if zone in r.regions)
    for v in (rule.equals, rule.min, rule.max, rule.above):
        if v is not None:
            return v
    return None


def progress(plan: Plan, ind: Indicator, year: int, value: Value, reached: bool) -> Progress | None:
    """Distance on the path baseline → milestone targets (Eurostat / Open SDG classes, §6)."""
    x = number(value)
    base = number(ind.baseline.value) if ind.baseline else None
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
    # The path asks for no improvement (the baseline already met the target): a ratio of the
    # change to no required change means nothing, and is not shown; only the sign tells.
    baseline_met = ratio is None or not better(ind.direction, expected, base)
    if baseline_met:
        ratio = None
    if reached:
        category = "achieved"
    elif baseline_met:
        category = "deterioration" if better(ind.direction, base, x) else "limited"
    elif ratio >= Decimal("0.95"):  # classes use the exact ratio; it is rounded only for show
        category = "substantial"
    elif ratio >= Decimal("0.60"):
        category = "moderate"
    elif ratio >= 0:
        category = "limited"
    else:
        category = "deterioration"
    shown = hundredths(ratio) if ratio is not None else None
    on_pace = reached or not better(ind.direction, expected, x)
    return Progress(hundredths(expected), target, shown, category, baseline_met, on_pace)
