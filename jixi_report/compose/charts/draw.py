"""Specs → matplotlib figures. Colours come from templates/style.yaml; every number and label
from the spec, so two equal specs draw the same picture."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ...base.style import house_style
from ...base.vocab import COUNTED, PENDING, STATUSES, decimal_places, money
from . import layout, output
from .draw_timeline import timeline
from .draw_trends import trends
from .shapes import patch, style
from .specs import DONE, PLANNED, Spec
from .text import wrap

NAME_EM = 10  # a group's name on the investment charts: lines of at most this many characters


def render(spec: Spec) -> tuple[bytes, bytes]:
    """The SVG and PNG bytes of one chart; run in a worker process when there are several."""
    return output.render(spec.name, spec.caption, lambda: figure(spec), spec.clear)


def figure(spec: Spec) -> Figure:
    """The chart's figure, not yet laid out (its sizes as printed: output.rc())."""
    draw = {"status": _status, "trends": trends, "invest": _invest, "timeline": timeline}
    return draw[spec.kind](spec)


def _status(spec: Spec) -> Figure:
    fig = Figure(figsize=(layout.portrait_in(), 2.4), layout="constrained")
    ax = fig.add_subplot()
    for i, bar in enumerate(spec.bars):
        left = 0
        for code, n in bar.counts:
            if n:
                bars = ax.barh(
                    i, n, left=left, height=0.6, edgecolor="white", **style(STATUSES[code].fill)
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
        handles=[patch(STATUSES[c].fill, STATUSES[c].label) for c in COUNTED],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=len(COUNTED),
        frameon=False,
    )
    if spec.note:
        ax.text(0, -0.45, spec.note, transform=ax.transAxes, ha="left", va="top")
    return fig


def _invest(spec: Spec) -> Figure:
    """Estimated against completed investment per group, bars across so names and figures
    read horizontally; every group is shown, 0 included; one with no report says 待填报."""
    charts = house_style().charts
    n = len(spec.groups)
    fig = Figure(figsize=(layout.portrait_in(), 0.36 * n + 0.9), layout="constrained")
    ax = fig.add_subplot()
    planned = [g.planned for g in spec.groups]
    done = [g.done for g in spec.groups]
    # One number of decimals for every figure of the chart, as a table column has
    # (style.yaml numbers): 784,447.00 beside 188,060.06, not 784,447. A group with nothing
    # invested shows a plain 0.
    places = decimal_places(*planned, *(v for v in done if v is not None))
    ys = range(n)
    height = 0.38
    bars = ax.barh(
        [y - height / 2 for y in ys],
        [float(v) for v in planned],
        height,
        color=charts.series.planned,
        label=PLANNED,
    )
    labels = [money(v, places) if v else "0" for v in planned]
    ax.bar_label(bars, labels=labels, padding=3, fontsize=charts.small_pt)
    bars = ax.barh(
        [y + height / 2 for y in ys],
        [float(v or 0) for v in done],
        height,
        color=charts.series.done,
        label=f"{DONE}（截至{spec.year}年底）",
    )
    labels = [PENDING if v is None else money(v, places) if v else "0" for v in done]
    ax.bar_label(bars, labels=labels, padding=3, fontsize=charts.small_pt)
    ax.set_yticks(ys, labels=["\n".join(wrap(g.name, NAME_EM)) for g in spec.groups])
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlabel("投资（万元）")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.xaxis.set_major_locator(MaxNLocator(5))
    top = max((float(v) for v in [*planned, *(d for d in done if d is not None)]), default=0)
    ax.set_xlim(0, top * 1.3 or 1)  # room for the longest figure beyond its bar
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    return fig
