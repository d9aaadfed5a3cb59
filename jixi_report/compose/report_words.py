"""The report's sentences about single rows: a figure with its unit, its change against the
previous year and the base year, its place on the milestone path (docs/assessment-rules.md §9).

Every sentence is worded from the assessment; nothing here is a count or a name typed by hand.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..assess.engine import Row
from ..assess.rules import number
from ..base.vocab import (
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    RATE_NAMES,
    RATE_SHORT,
    UNDECIDED,
    cited,
    decimal_places,
    decimal_text,
    value_text,
)
from ..content.model import Indicator

PERCENT_UNITS = ("%", "％")  # a change of such a figure is told in 个百分点
ON_PACE, BEHIND = "达到序时进度", "滞后于序时进度"


def rates_text(figures: dict, ind: Indicator) -> str:
    """A composite row's figures (27): 案件线索启动率100%、案件结案率88.9%."""
    return "、".join(
        f"{name}{decimal_text(figures[k])}{ind.figure_unit or '%'}"
        for k, name in RATE_NAMES.items()
        if k in figures
    )


def figure(ind: Indicator, value: object) -> str:
    """A figure as the text writes it: 96.4%, 25μg/m3, 建立."""
    if isinstance(value, Decimal):
        return value_text(value) + ind.figure_unit
    return "" if value is None else str(value)


def _places(*values: Decimal) -> Decimal:
    """The finer of the figures' decimal places: 96.4 − 95.8 is told as 0.6, not 0.60."""
    return Decimal(1).scaleb(-decimal_places(*values))


def change_words(ind: Indicator, now: object, before: object) -> str | None:
    """提高0.6个百分点 / 下降7.4% / 增加0.3 / 持平 — the change from `before` to `now` in the
    standard wording; None where either is not a number."""
    x, p = number(now), number(before)
    if x is None or p is None:
        return None
    diff = x - p
    if diff == 0:
        return "持平"
    unit = ind.figure_unit
    if unit in PERCENT_UNITS:
        amount = abs(diff).quantize(_places(x, p), ROUND_HALF_UP)
        return f"{'提高' if diff > 0 else '下降'}{decimal_text(amount)}个百分点"
    if p > 0 and x > 0:  # a relative change means something only between positive figures
        rate = (abs(diff) / p * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return f"{'增长' if diff > 0 else '下降'}{decimal_text(rate)}%"
    amount = abs(diff).quantize(_places(x, p), ROUND_HALF_UP)
    return f"{'增加' if diff > 0 else '减少'}{decimal_text(amount)}{unit}"


def rate_changes(row: Row) -> str | None:
    """A composite row's change from the previous figures (27): 结案率提高3.2个百分点 (a rate
    that did not move is not named), 持平 when neither moved; None without both figures (any
    row not judged on rates)."""
    ind, before = row.indicator, row.previous_rates
    moved = {k: change_words(ind, row.inputs.get(k), before.get(k)) for k in RATE_SHORT}
    if any(words is None for words in moved.values()):
        return None
    said = [f"{RATE_SHORT[k]}{words}" for k, words in moved.items() if words != "持平"]
    return "，".join(said) or "持平"


def since(row: Row, year: int) -> str:
    """How the text names the year compared with: 上年, or the year itself when it is not the
    one before (a gap in the reporting, or the base year)."""
    return "上年" if row.previous_year == year - 1 else f"{row.previous_year}年"


def changes(row: Row, year: int, base_year: int) -> list[str]:
    """较上年提高0.6个百分点, 较2023年提高1.2个百分点: against the previous figure and, when
    that is not the base year's, against the base year too; 与上年和2023年持平 when neither
    moved."""
    ind = row.indicator
    last_year = since(row, year)
    last = change_words(ind, row.value, row.previous)
    base = None
    if row.previous_year != base_year:
        base = change_words(ind, row.value, row.base)
    if last == base == "持平":
        return [f"与{last_year}和{base_year}年持平"]
    said = []
    for when, words in ((last_year, last), (f"{base_year}年", base)):
        if words is not None:
            said.append(f"与{when}持平" if words == "持平" else f"较{when}{words}")
    return said


def pace(row: Row) -> str | None:
    """Whether a row stands where its path to the milestone target should be this year."""
    if row.target.status == MET:
        return ON_PACE
    if row.target.status in (NO_DATA, UNDECIDED, NOT_APPLICABLE):
        return None
    if row.progress is not None:
        return ON_PACE if row.progress.on_pace else BEHIND
    return BEHIND if row.target.status == NOT_MET else None


def verdict(row: Row, milestone: int) -> str:
    """The row's judgement as the text states it."""
    status, target = row.status.status, row.target.status
    if status == MET and target == MET:
        return f"达到指标值和{milestone}年目标值"
    if status == MET and target == NOT_MET:
        return f"达到指标值，但未达到{milestone}年目标值"
    if status == NOT_MET:
        return "未达到指标值"
    if status == UNDECIDED:
        return f"无法判定（缺少{'、'.join(row.status.missing)}）"
    if status == NOT_APPLICABLE:
        return "不涉及"
    return "待填报"


def row_sentence(row: Row, year: int, base_year: int) -> str:
    """One judged row as the text tells it: 4.1 优良天数比例96.4%，较上年提高0.6个百分点，达到…;
    a row judged on a change states the change alone (a change of a change says nothing)."""
    ind = row.indicator
    if ind.measures_change:
        parts = [f"{cited(ind.label, ind.measured)}为{figure(ind, row.value)}"]
    else:
        shown = figure(ind, row.value) or rates_text(row.inputs, ind)
        parts = [f"{cited(ind.label, ind.name)}{shown}"]
    if isinstance(row.value, Decimal) and not ind.measures_change:
        parts += changes(row, year, base_year)
    parts.append(verdict(row, row.milestone))
    return "，".join(parts)
