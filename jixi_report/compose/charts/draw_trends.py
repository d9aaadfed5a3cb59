"""A trend figure: up to `charts.panels` small multiples, three a row, on a landscape page.

Each panel shows the values (solid line, round markers), the standard (dashed line, worded 指标值
as Table 1 heads it) and each milestone's target as a marker of its own shape at its year, so
equal levels stay apart and every series is told apart in a greyscale print.
"""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ...base.style import house_style
from ...base.superscripts import raised
from ...base.vocab import axis_number
from . import layout
from .shapes import line
from .specs import Spec
from .text import wrap
from .trends import Panel

COLUMNS = 3
ROW_IN = 2.15  # a row of panels, titles of up to three lines included
LEGEND_IN = 0.6
Y_LABEL_PT = 34  # the tick labels left of a panel: not available to its title


def trends(spec: Spec) -> Figure:
    charts = house_style().charts
    nrows = math.ceil(len(spec.panels) / COLUMNS)
    width = layout.landscape_in()
    fig = Figure(figsize=(width, ROW_IN * nrows + LEGEND_IN), layout="constrained")
    axes = list(fig.subplots(nrows, COLUMNS, squeeze=False).flat)
    title_em = (width * 72 / COLUMNS - Y_LABEL_PT) / charts.text_pt
    years = range(spec.first_year, spec.last_year + 1)
    value_label, standard_label, *target_labels = spec.legend
    used: dict[str, Line2D] = {}
    titles = [raised(p.title) for p in spec.panels]  # each title wrapped among the others
    for ax, panel in zip(axes, spec.panels, strict=False):
        _panel(ax, panel, years, spec.year, title_em, titles)
        used[value_label] = Line2D([], [], **line(charts.lines.value))
        if panel.standard is not None:
            used[standard_label] = Line2D([], [], **line(charts.lines.standard))
        for t in panel.targets:
            look = charts.milestones[t.index % len(charts.milestones)]
            used[t.label] = Line2D([], [], **line(look, 7, joined=False))
    for ax in axes[len(spec.panels) :]:  # the rest of the last row
        ax.set_visible(False)
    order = [value_label, standard_label, *target_labels]
    fig.legend(
        handles=[used[k] for k in order if k in used],
        labels=[k for k in order if k in used],
        loc="outside lower center",
        ncol=len(used),
        frameon=False,
        handlelength=3,
        title=f"横轴：年份（{years[0] % 100:02d} = {years[0]}年）；"
        f"灰色竖线：本报告年度（{spec.year}年）",
    )
    return fig


def _panel(
    ax: Axes, panel: Panel, years: range, year: int, title_em: float, titles: list[str]
) -> None:
    charts = house_style().charts
    xs, ys = zip(*panel.points, strict=True)
    ax.plot(xs, [float(y) for y in ys], lw=1.6, zorder=4, **line(charts.lines.value))
    if panel.standard is not None:
        ax.axhline(float(panel.standard), lw=1.1, zorder=2, **line(charts.lines.standard))
    for t in panel.targets:
        look = charts.milestones[t.index % len(charts.milestones)]
        ax.plot([t.year], [float(t.level)], zorder=3, mew=1.4, **line(look, 7, joined=False))
    ax.axvline(year, color="#bbbbbb", lw=0.8, zorder=0)
    title = "\n".join(wrap(raised(panel.title), title_em, titles))  # μg/m³
    ax.set_title(title, loc="left")
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.set_xticks(years, labels=[f"{y % 100:02d}" for y in years])
    ax.set_ylim(panel.low, panel.high)
    ax.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: axis_number(v)))
    ax.grid(axis="y", color="#e5e5e5", lw=0.6)
