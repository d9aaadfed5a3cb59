"""The small table beside the trend figures: numeric rows (or rates) with no trend to draw.

A panel of a line at 100 every year (or of one point) says nothing a table does not say in a
line; these measures are listed with their values instead, so no indicator silently drops out
of the figures (27 生态环境损害赔偿: its 案件结案率 has a panel, its 案件线索启动率 a line here).
"""

from __future__ import annotations

from ...assess.engine import Assessment
from ...base.vocab import PENDING, value_text
from ...content.model import Plan
from ..blocks import Cell, Table
from .trends import STANDARD, steady_measures

CAPTION = "未绘制趋势的指标（各年数值相同或仅一年有数值）"


def steady_table(plan: Plan, a: Assessment, number: str) -> Table | None:
    """序号, 指标名称, 单位, 现状值, each monitored year, 指标值; None when every row has a
    panel."""
    rows = steady_measures(plan, a)
    if not rows:
        return None
    base = plan.meta.base_year
    years = sorted(y for y in plan.monitoring if base < y <= a.year)
    words = ["序号", "指标名称", "单位", f"现状值（{base}年）"]
    words += [*(f"{y}年" for y in years), STANDARD]
    head = [[Cell(t) for t in words]]
    body = []
    for m in rows:
        ind = m.indicator
        values = []
        for y in years:
            obs = plan.monitoring[y].indicators.get(ind.id)
            values.append(value_text(getattr(obs, m.field)) if obs is not None else PENDING)
        baseline = ind.baseline.text if ind.baseline else ""
        if m.rate and ind.baseline:
            baseline = value_text(getattr(ind.baseline, m.rate))
        name = ind.name + m.rate_name
        body.append(
            [
                Cell(ind.label),
                Cell(name, cls="left"),
                Cell(ind.report_unit),
                Cell(baseline),
                *(Cell(v) for v in values),
                Cell(ind.standard.text if ind.standard else ""),
            ]
        )
    base_width = 15  # its head 现状值（2023年） on one line, in Word too (not "（2023/年）")
    rest = 100 - 6 - 30 - 8 - base_width
    each = rest // (len(years) + 1)
    name = 30 + rest - each * (len(years) + 1)
    cols = [6, name, 8, base_width, *[each] * (len(years) + 1)]
    return Table(cols, head, body, number, CAPTION, "wide")
