"""Specs → matplotlib figures. Colours come from templates/style.yaml; every number and label
from the spec, so two equal specs draw the same picture."""

from __future__ import annotations

import math
import textwrap

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ...base.style import Fill, house_style
from ...base.vocab import (
    COUNTED,
    NOT_MET,
    OVERDUE,
    PENDING,
    PROJECT_DONE,
    PROJECT_STATUSES,
    STATUSES,
    axis_number,
    money,
)
from . import output
from .specs import Spec

COLUMNS = 4  # small multiples per row of a trend figure
PORTRAIT_IN, LANDSCAPE_IN = 6.1, 9.0  # A4 text width (156 mm), landscape pages (≈ 230 mm)


def render(spec: Spec) -> tuple[bytes, bytes]:
    """The SVG and PNG bytes of one chart; run in a worker process when there are several."""
    draw = {"status": _status, "trends": _trends, "invest": _invest, "timeline": _timeline}
    return output.render(spec.name, spec.caption, lambda: draw[spec.kind](spec))


def _style(fill: Fill) -> dict[str, str]:
    return {"color": fill.fill, "hatch": fill.hatch}


def _patch(fill: Fill, label: str) -> Patch:
    return Patch(facecolor=fill.fill, hatch=fill.hatch, edgecolor="white", label=label)


def _project_fills() -> dict[str | None, Fill]:
    """Each project state's fill in the timeline, 待填报 (None) last; 完工 is coloured 达标."""
    charts, colours = house_style().charts, house_style().colours
    fills: dict[str | None, Fill] = {}
    for state in PROJECT_STATUSES:
        fills[state] = colours["met"] if state == PROJECT_DONE else charts.projects[state]
    fills[None] = colours["no_data"]
    return fills


def _status(spec: Spec) -> Figure:
    fig = Figure(figsize=(PORTRAIT_IN, 2.4), layout="constrained")
    ax = fig.add_subplot()
    for i, bar in enumerate(spec.bars):
        left = 0
        for code, n in bar.counts:
            if n:
                bars = ax.barh(
                    i, n, left=left, height=0.6, edgecolor="white", **_style(STATUSES[code].fill)
                )
                ax.bar_label(
                    bars,
                    labels=[str(n)],
                    label_type="center",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"},
                )
            left += n
    ax.set_yticks(range(len(spec.bars)), labels=[b.label for b in spec.bars])
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("指标数（项）")
    ax.legend(
        handles=[_patch(STATUSES[c].fill, STATUSES[c].label) for c in COUNTED],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=len(COUNTED),
        frameon=False,
    )
    if spec.note:
        ax.text(0, -0.45, spec.note, transform=ax.transAxes, ha="left", va="top", fontsize=8)
    return fig


def _trends(spec: Spec) -> Figure:
    """Small multiples; each milestone's target spans its own term so equal levels stay apart."""
    series = house_style().charts.series
    milestones = house_style().charts.milestones
    nrows = math.ceil(len(spec.panels) / COLUMNS)
    fig = Figure(figsize=(LANDSCAPE_IN, 1.9 * nrows + 0.5), layout="constrained")
    axes = list(fig.subplots(nrows, COLUMNS, squeeze=False).flat)
    years = range(spec.first_year, spec.last_year + 1)
    value_label, standard_label = spec.legend[:2]
    used: dict[str, Line2D] = {}
    for ax, panel in zip(axes, spec.panels, strict=False):
        xs, ys = zip(*panel.points, strict=True)
        used[value_label] = ax.plot(
            xs,
            [float(y) for y in ys],
            "o-",
            color=series.value,
            ms=3.5,
            lw=1.4,
            label=value_label,
            zorder=3,
        )[0]
        if panel.standard is not None:
            used[standard_label] = ax.axhline(
                float(panel.standard),
                color=series.standard,
                ls=(0, (4, 2)),
                lw=0.9,
                label=standard_label,
                zorder=1,
            )
        for t in panel.targets:
            colour = milestones[t.index % len(milestones)]
            used[t.label] = ax.plot(
                (t.first - 0.5, t.last + 0.5),
                [float(t.level)] * 2,
                color=colour,
                ls=":",
                lw=1.8,
                label=t.label,
                zorder=2,
            )[0]
        ax.axvline(spec.year, color="#bbbbbb", lw=0.8, zorder=0)
        ax.set_title(panel.title, loc="left")
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        ax.set_xticks(years, labels=[f"{y % 100:02d}" for y in years], fontsize=7.5)
        ax.tick_params(axis="y", labelsize=7.5)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: axis_number(v)))
        ax.margins(y=0.2)
        ax.grid(axis="y", color="#e5e5e5", lw=0.6)
    for ax in axes[len(spec.panels) :]:  # the rest of the last row
        ax.set_visible(False)
    fig.legend(
        handles=[used[k] for k in spec.legend if k in used],
        loc="outside lower center",
        ncol=len(used),
        frameon=False,
        title_fontsize=8,
        title=f"横轴：年份（{years[0] % 100:02d} = {years[0]}年）；"
        f"灰色竖线：本报告年度（{spec.year}年）",
    )
    return fig


def _invest(spec: Spec) -> Figure:
    """Planned against completed investment per group; a group with no report says 待填报."""
    series = house_style().charts.series
    fig = Figure(figsize=(PORTRAIT_IN, 3.6), layout="constrained")
    ax = fig.add_subplot()
    planned = [g.planned for g in spec.groups]
    done = [g.done for g in spec.groups]
    xs = range(len(spec.groups))
    narrow = len(spec.groups) > 5
    width = 0.38
    label = {"rotation": 90, "fontsize": 7} if narrow else {"fontsize": 7.5}
    bars = ax.bar(
        [x - width / 2 for x in xs],
        [float(v) for v in planned],
        width,
        color=series.planned,
        label="规划投资",
    )
    ax.bar_label(bars, labels=[money(v) for v in planned], padding=2, **label)
    bars = ax.bar(
        [x + width / 2 for x in xs],
        [float(v or 0) for v in done],
        width,
        color=series.done,
        label=f"累计完成投资（截至{spec.year}年底）",
    )
    ax.bar_label(
        bars, labels=[PENDING if v is None else money(v) for v in done], padding=2, **label
    )
    names = ["\n".join(textwrap.wrap(g.name, 6)) for g in spec.groups]
    ax.set_xticks(xs, labels=names, fontsize=8 if narrow else 9)
    ax.set_ylabel("投资（万元）")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    top = max((float(v) for v in [*planned, *(d for d in done if d is not None)]), default=0)
    ax.set_ylim(0, top * (1.3 if narrow else 1.15) or 1)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    return fig


def _timeline(spec: Spec) -> Figure:
    fills = _project_fills()
    n = len(spec.spans)
    fig = Figure(figsize=(PORTRAIT_IN, 0.2 * n + 1.3), layout="constrained")
    ax = fig.add_subplot()
    late = STATUSES[NOT_MET].colour  # an overdue project: outlined as a failed judgement
    for i, span in enumerate(spec.spans):
        ax.barh(
            i,
            span.last + 1 - span.first,
            left=span.first,
            height=0.65,
            edgecolor=late if span.overdue else "white",
            lw=1.4 if span.overdue else 0.5,
            **_style(fills[span.status]),
        )
    ax.set_yticks(range(n), labels=[s.label for s in spec.spans], fontsize=7.5)
    ax.set_ylim(n - 0.5, -0.5)
    years = range(spec.first_year, spec.last_year + 1)
    ax.set_xlim(years[0], years[-1] + 1)
    ax.set_xticks([y + 0.5 for y in years], labels=[str(y) for y in years])
    ax.set_xticks([*years, years[-1] + 1], minor=True)
    ax.tick_params(axis="x", which="major", length=0)
    ax.grid(axis="x", which="minor", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    line = ax.axvline(
        spec.year + 1, color="#c0392b", ls=(0, (4, 2)), lw=1.2, label=f"{spec.year}年末"
    )
    handles = [_patch(f, k or PENDING) for k, f in fills.items()]
    if any(span.overdue for span in spec.spans):
        handles.append(Patch(facecolor="white", edgecolor=late, lw=1.4, label=f"{OVERDUE}未完工"))
    ax.legend(
        handles=[*handles, line],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=math.ceil((len(handles) + 1) / 2) if len(handles) > 5 else len(handles) + 1,
        frameon=False,
        handlelength=1.5,
        columnspacing=1.0,
    )
    return fig
