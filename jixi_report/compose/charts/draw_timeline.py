"""A page of the project timeline: a bar per project over its years, on a landscape page.

Names are printed in full (wrapped when longer than the label column); an overdue project's bar
is outlined and followed by the word 逾期, which a greyscale print keeps. The legend lists only
the states drawn on the page, in the words of the project table's 实施状态 (在建（逾期）…).
"""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ...base.style import Fill, house_style
from ...base.vocab import NOT_MET, OVERDUE, STATUSES, project_state
from . import layout
from .shapes import patch, project_fills, style
from .specs import Spec


def timeline(spec: Spec) -> Figure:
    charts = house_style().charts
    fills = project_fills()
    labels = layout.timeline_labels([s.label for s in spec.spans])
    n = len(spec.spans)
    size = (layout.landscape_in(), layout.timeline_height(labels))
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    late = STATUSES[NOT_MET].colour  # an overdue project: outlined as a failed judgement
    for i, span in enumerate(spec.spans):
        ax.barh(
            i,
            span.last + 1 - span.first,
            left=span.first,
            height=0.62,
            edgecolor=late if span.overdue else "white",
            lw=1.8 if span.overdue else 0.5,
            **style(fills[span.status]),
        )
        if span.overdue:
            ax.text(
                span.last + 1.08,
                i,
                OVERDUE,
                va="center",
                ha="left",
                color=late,
                fontsize=charts.small_pt,
            )
    ax.set_yticks(range(n), labels=labels)
    ax.set_ylim(n - 0.5, -0.5)
    years = range(spec.first_year, spec.last_year + 1)
    ax.set_xlim(years[0], years[-1] + 1)
    ax.set_xticks([y + 0.5 for y in years], labels=[str(y) for y in years])
    ax.set_xticks([*years, years[-1] + 1], minor=True)
    ax.tick_params(axis="x", which="major", length=0, labelsize=charts.text_pt)
    ax.tick_params(axis="y", labelsize=charts.text_pt)
    ax.grid(axis="x", which="minor", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    line = ax.axvline(
        spec.year + 1, color="#c0392b", ls=(0, (4, 2)), lw=1.2, label=f"{spec.year}年末"
    )
    handles = _legend(spec, fills, late)
    fig.legend(
        handles=[*handles, line],
        loc="outside upper center",
        ncol=math.ceil((len(handles) + 1) / 2) if len(handles) > 6 else len(handles) + 1,
        frameon=False,
        handlelength=1.8,
        columnspacing=1.2,
    )
    return fig


def _legend(spec: Spec, fills: dict[str | None, Fill], late: str) -> list[Patch]:
    """A patch for each state drawn on this page, in the order of the states, the overdue
    one outlined as its bars are, each named as the project table names it."""
    drawn = {(span.status, span.overdue) for span in spec.spans}
    handles = []
    for status, fill in fills.items():
        for overdue in (False, True):
            if (status, overdue) not in drawn:
                continue
            handle = patch(fill, project_state(status, overdue))
            if overdue:
                handle.set_edgecolor(late)
                handle.set_linewidth(1.8)
            handles.append(handle)
    return handles
