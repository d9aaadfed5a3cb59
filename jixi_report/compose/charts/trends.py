"""Which indicator rows get a trend panel, how the panels are grouped into figures, and what
each panel shows: its title, points, the standard and targets, and its y range.

A panel plots a measure: a row's values, or one rate of a row judged on several (27 生态环境
损害赔偿: its 案件线索启动率 and 案件结案率, each with its part of the standard and targets). A
measure whose values never differ (100 every year, or one value so far) has no trend to draw:
it goes to a small table instead (`steady_measures`, `steady.py`). Panels are grouped by 领域
(the reference rows apart), at most `charts.panels` a figure, so a figure fills one landscape
page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ...assess.engine import Assessment, Row
from ...assess.progress import target_value
from ...base.style import house_style
from ...base.vocab import KIND_LABELS, RATE_NAMES, RATES
from ...content.model import Indicator, Plan
from ..blocks import milestone_labels

VALUE = "监测值"  # the plotted series: the baseline (现状值) and each year's value
STANDARD = "指标值"  # the standard's line: worded as the report's Table 1 heads its column
REFERENCE = KIND_LABELS["reference"]  # the group of reference rows (参1 …)


@dataclass(frozen=True)
class Target:
    index: int  # which milestone (its colour and marker)
    label: str
    year: int  # the milestone year: where its marker stands
    level: Decimal


@dataclass(frozen=True)
class Panel:
    title: str  # in full: the drawing wraps it to the panel's width
    points: tuple[tuple[int, Decimal], ...]
    standard: Decimal | None
    targets: tuple[Target, ...]
    low: float  # the y range: data, standard and targets, never narrower than min_span
    high: float


@dataclass(frozen=True)
class TrendFigure:
    caption: str
    panels: tuple[Panel, ...]


@dataclass(frozen=True)
class Measure:
    """What one panel plots or one line of the steady table lists: a row's values, or one of
    the rates a row is judged on (`rate`, a key of RATES)."""

    row: Row
    rate: str | None = None

    @property
    def indicator(self) -> Indicator:
        return self.row.indicator

    @property
    def field(self) -> str:
        """The field of the baseline and the monitoring that holds its figures."""
        return self.rate or "value"

    @property
    def rate_name(self) -> str:
        """What follows the row's name for a rate (：案件结案率); nothing for the row itself."""
        return f"：{RATE_NAMES[self.rate]}" if self.rate else ""


def series(plan: Plan, a: Assessment, m: Measure) -> list[tuple[int, Decimal]]:
    """The baseline and every monitored year up to the report year that has a number."""
    ind, field = m.indicator, m.field
    points = []
    first = getattr(ind.baseline, field, None) if ind.baseline else None
    if isinstance(first, Decimal):
        points.append((plan.meta.base_year, first))
    for year in sorted(y for y in plan.monitoring if plan.meta.base_year < y <= a.year):
        obs = plan.monitoring[year].indicators.get(ind.id)
        value = getattr(obs, field, None) if obs is not None else None
        if isinstance(value, Decimal):
            points.append((year, value))
    return points


def measures(plan: Plan, a: Assessment) -> list[Measure]:
    """Rows with a direction and at least one number (each rate of a row judged on several):
    a panel, or a line of the steady table."""
    out = []
    for r in a.rows:
        ind = r.indicator
        if not ind.has_values or ind.direction not in ("higher", "lower"):
            continue
        parts = ind.standard.rule.components if ind.standard else None
        candidates = [Measure(r, k) for k in RATES if k in parts] if parts else [Measure(r)]
        out += [m for m in candidates if series(plan, a, m)]
    return out


def _steady(plan: Plan, a: Assessment, m: Measure) -> bool:
    return len({v for _, v in series(plan, a, m)}) < 2


def trend_measures(plan: Plan, a: Assessment) -> list[Measure]:
    """Measures with at least two different values: one trend panel each."""
    return [m for m in measures(plan, a) if not _steady(plan, a, m)]


def steady_measures(plan: Plan, a: Assessment) -> list[Measure]:
    """Numeric measures whose values do not differ (or only one so far): nothing to draw."""
    return [m for m in measures(plan, a) if _steady(plan, a, m)]


def _group(plan: Plan, ind: Indicator) -> str:
    """The 领域 of a row (a sub-row's is its parent's); reference rows form their own group."""
    top = next((i for i in plan.indicators if i.id == ind.parent), ind) if ind.parent else ind
    if top.kind == "reference":
        return REFERENCE
    return top.domain or ""


def figures(plan: Plan, a: Assessment) -> list[TrendFigure]:
    """The trend figures in Table 1's order: whole 领域 packed while they fit one figure, a
    larger one split evenly."""
    most = house_style().charts.panels
    groups: dict[str, list[Measure]] = {}
    for m in trend_measures(plan, a):
        groups.setdefault(_group(plan, m.indicator), []).append(m)
    packs: list[list[tuple[str, list[Measure]]]] = []
    for name, rows in groups.items():
        if len(rows) > most:  # full figures, the rest on the last
            packs += [[(name, rows[i : i + most])] for i in range(0, len(rows), most)]
        elif packs and _fits(packs[-1], rows, most):
            packs[-1].append((name, rows))
        else:
            packs.append([(name, rows)])
    out = []
    for pack in packs:
        names = [name for name, _ in pack]
        parts = [p for p in packs if [n for n, _ in p] == names]
        caption = _caption(names)
        if len(parts) > 1:
            caption += f"（{parts.index(pack) + 1}）"
        panels = tuple(_panel(plan, a, m) for _, shown in pack for m in shown)
        out.append(TrendFigure(caption, panels))
    return out


def _fits(pack: list[tuple[str, list[Measure]]], rows: list[Measure], most: int) -> bool:
    """Another whole group joins a figure of whole groups if the panels still fit."""
    whole = all(len(r) <= most for _, r in pack)
    return whole and sum(len(r) for _, r in pack) + len(rows) <= most


def _caption(names: list[str]) -> str:
    domains = [n for n in names if n != REFERENCE and n]
    text = "、".join(domains) + "领域指标" if domains else ""
    if REFERENCE in names:
        text = f"{text}及{REFERENCE}" if text else REFERENCE
    return f"{text or '主要指标'}变化趋势"


def _level(m: Measure, key: int | None, zone: str | None) -> Decimal | None:
    """The numeric threshold of the standard (key None) or of a milestone's target (for a
    rate: its part of them)."""
    ind = m.indicator
    cell = ind.standard if key is None else ind.targets.get(key)
    if cell is None:
        return None
    rule = (cell.rule.components or {}).get(m.rate) if m.rate else cell.rule
    return None if rule is None else target_value(rule, zone)


def title(m: Measure) -> str:
    """`4.1 优良天数比例（%）`; a row judged on its change (△EQI＞-1) is titled for the change,
    which is what its values are; a rate, for the rate: 27 生态环境损害赔偿：案件结案率（%）."""
    ind = m.indicator
    unit = f"（{ind.figure_unit}）" if ind.figure_unit else ""
    return f"{ind.label} {ind.measured}{m.rate_name}{unit}"


def _panel(plan: Plan, a: Assessment, m: Measure) -> Panel:
    meta, ind = plan.meta, m.indicator
    zone = meta.region.zone
    targets = []
    for i, (year, label) in enumerate(zip(meta.milestones, milestone_labels(meta), strict=True)):
        level = _level(m, year, zone)
        if level is not None:
            targets.append(Target(i, label, year, level))
    points = tuple(series(plan, a, m))
    standard = _level(m, None, zone)
    levels = [v for _, v in points] + [t.level for t in targets]
    if standard is not None:
        levels.append(standard)
    low, high = y_range(levels, percent=ind.display_unit == "%")
    return Panel(title(m), points, standard, tuple(targets), low, high)


def y_range(levels: list[Decimal], percent: bool = False) -> tuple[float, float]:
    """A y range holding every level, at least `min_span` of the largest in size so that
    small year-to-year noise stays small (39.8 → 39.9 is a flat line), kept within 0–100 for
    a percentage when the levels are, and padded so no point sits on the frame."""
    values = [float(v) for v in levels]
    low, high = min(values), max(values)
    need = house_style().charts.min_span * max(abs(v) for v in values)
    if high - low < need:
        middle = (low + high) / 2
        low, high = middle - need / 2, middle + need / 2
        if percent and min(values) >= 0 and max(values) <= 100:
            shift = max(0 - low, 0) - max(high - 100, 0)
            low, high = low + shift, high + shift
    pad = (high - low) * 0.08 or 1
    return round(low - pad, 6), round(high + pad, 6)
