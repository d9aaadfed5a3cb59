"""The annual report's charts: SVG for the PDF and HTML, PNG at 200 dpi for Word.

Everything drawn comes from the plan and its assessment; the captions (without their number)
are returned so the report numbers and places them. Output is byte-for-byte repeatable and a
character the font lacks is an error, because a chart with boxes in it must not be published.
"""

from __future__ import annotations

import io
import math
import os
import subprocess
import textwrap
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from .chart_cache import Chart, matplotlib_config_dir

if not os.environ.get("MPLCONFIGDIR"):  # before matplotlib is imported: it reads it then
    os.environ["MPLCONFIGDIR"] = matplotlib_config_dir()

import matplotlib
from matplotlib import font_manager, ft2font
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .assess import MET, NO_DATA, NOT_MET, Assessment, ProjectRow, Row, target_value
from .atomic import write_all
from .errors import BuildError
from .model import Indicator, Plan
from .tables import milestone_labels, money

FAMILY = "Noto Sans CJK SC"  # templates/style.yaml: heiti → Noto Sans CJK SC in the PDF
DEBIAN_FILES = (  # fonts-noto-cjk, if fontconfig is not there to ask
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
)
DPI = 200
PANELS, COLUMNS = 12, 4  # small multiples per trend figure
PORTRAIT_IN, LANDSCAPE_IN = 6.1, 9.0  # A4 text width (156 mm), landscape pages (≈ 230 mm)
CITY_LEVEL = "市级及跨区"
KINDS = {"binding": "约束性指标", "reference": "参考性指标"}
STATUS_LABELS = {MET: "达标", NOT_MET: "未达标", NO_DATA: "待填报"}
# Colours also differ in lightness and hatching, so a greyscale print keeps them apart.
GREY = {"color": "#cccccc", "hatch": "...."}
STATUS_STYLE: dict[str, dict[str, str]] = {
    MET: {"color": "#1b5e20", "hatch": ""},
    NOT_MET: {"color": "#e06050", "hatch": "////"},
    NO_DATA: GREY,
}
PROJECT_STYLE: dict[str | None, dict[str, str]] = {
    "未开工": {"color": "#fdd0a2", "hatch": "\\\\\\\\"},
    "前期": {"color": "#c6dbef", "hatch": ""},
    "在建": {"color": "#6baed6", "hatch": ""},
    "完工": STATUS_STYLE[MET],
    None: GREY,
}
PLANNED, DONE = "#9ecae1", "#08519c"
VALUE, STANDARD = "#08519c", "#444444"
TITLE_EM = 15.5  # panel title width in characters of its font size
MILESTONE_COLOURS = ("#d95f02", "#7570b3", "#e7298a")
RC: dict[str, Any] = {
    "font.family": [FAMILY],
    "font.size": 9,
    "axes.titlesize": 8.5,
    "legend.fontsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.formatter.useoffset": False,
    "text.parse_math": False,  # a '$' in a name is text, not mathtext
    "hatch.linewidth": 0.6,
    "svg.fonttype": "path",  # glyphs as outlines: no viewer needs our fonts
    "svg.hashsalt": "jixi-report",
}


def _drawers(plan: Plan, assessment: Assessment) -> list[tuple[str, str, Callable[[], Figure]]]:
    """(file stem, caption, drawing function) of every chart, in report order."""
    _register_font()
    drawers: list[tuple[str, str, Callable[[], Figure]]] = [
        ("status", "建设指标达标情况", lambda: _status(assessment)),
    ]
    rows = trend_rows(plan, assessment)
    for i, start in enumerate(range(0, len(rows), PANELS), 1):
        part = rows[start : start + PANELS]
        drawers.append(
            (
                f"trends-{i}",
                f"主要指标变化趋势（{i}）",
                lambda part=part: _trends(plan, assessment, part),
            )
        )
    if assessment.projects:
        drawers += [
            (
                "invest-category",
                "重点工程投资完成情况（按工程类型）",
                lambda: _invest(assessment, _by_category(plan, assessment)),
            ),
            (
                "invest-division",
                "重点工程投资完成情况（按县级行政区）",
                lambda: _invest(assessment, _by_division(plan, assessment)),
            ),
            ("timeline", "重点工程实施进度", lambda: _timeline(plan, assessment)),
        ]
    return drawers


def _render_nth(plan: Plan, assessment: Assessment, n: int) -> tuple[bytes, bytes]:
    """Chart number `n`, drawn in a worker process (drawing functions do not pickle)."""
    name, caption, draw = _drawers(plan, assessment)[n]
    return _render(name, caption, draw)


def draw_all(
    plan: Plan, assessment: Assessment, folder: Path, pool: Executor | None = None
) -> list[Chart]:
    """Draw every chart of the report into `folder`, in report order, on both cores if given."""
    drawers = _drawers(plan, assessment)
    if pool is not None:
        futures = [pool.submit(_render_nth, plan, assessment, n) for n in range(len(drawers))]
        rendered = [f.result() for f in futures]
    else:
        rendered = [_render(name, caption, draw) for name, caption, draw in drawers]
    outputs: dict[Path, bytes] = {}
    charts = []
    for (name, caption, _draw), (svg, png) in zip(drawers, rendered, strict=True):
        chart = Chart(name, caption, folder / f"{name}.svg", folder / f"{name}.png")
        outputs[chart.svg], outputs[chart.png] = svg, png
        charts.append(chart)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_all(outputs)
    except OSError as exc:
        raise BuildError(f"cannot write the charts to {folder}: {exc}") from exc
    return charts


def trend_rows(plan: Plan, assessment: Assessment) -> list[Row]:
    """Rows with a direction and at least one number to draw: one trend panel each."""
    return [
        r
        for r in assessment.rows
        if r.indicator.has_values
        and r.indicator.direction in ("higher", "lower")
        and _series(plan, assessment, r.indicator)
    ]


# ---- fonts and output ---------------------------------------------------------------------


@cache
def _register_font() -> None:
    """Make FAMILY resolve to the SC face of the Noto CJK collection, or fail saying why.

    NotoSansCJK-*.ttc holds ten faces and the first is JP (Japanese glyph shapes). matplotlib
    ≥ 3.11 registers every face of a collection in `addfont` and `findfont` answers a
    `FontPath` carrying the face index, so naming the family selects face 2 (SC). Older
    versions register face 0 only: the family check below then fails instead of drawing JP.
    """
    files = [*_fontconfig_files(), *DEBIAN_FILES]
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for file in dict.fromkeys(files):
        if file not in known and Path(file).is_file():
            font_manager.fontManager.addfont(file)
    try:
        found = font_manager.findfont(
            font_manager.FontProperties(family=FAMILY), fallback_to_default=False
        )
    except ValueError as exc:
        raise BuildError(f"font '{FAMILY}' not found: install fonts-noto-cjk") from exc
    index = getattr(found, "face_index", 0)
    face = ft2font.FT2Font(str(found), face_index=index) if index else ft2font.FT2Font(str(found))
    if face.family_name != FAMILY:
        raise BuildError(
            f"matplotlib {matplotlib.__version__} gives face '{face.family_name}' of "
            f"{found} for '{FAMILY}'; the charts need matplotlib ≥ 3.11"
        )


def _fontconfig_files() -> list[str]:
    files = []
    for pattern in (FAMILY, f"{FAMILY}:bold"):
        try:
            done = subprocess.run(
                ["fc-match", "-f", "%{file}", pattern],
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if done.stdout.strip():
            files.append(done.stdout.strip())
    return files


@contextmanager
def _strict_glyphs(name: str) -> Iterator[None]:
    """A character the font lacks would be drawn as a box: stop instead."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing", category=UserWarning)
        try:
            yield
        except UserWarning as exc:
            raise BuildError(f"chart {name}: {exc}") from exc


def _render(name: str, caption: str, draw: Callable[[], Figure]) -> tuple[bytes, bytes]:
    # SVG Date: absent, or SOURCE_DATE_EPOCH's (matplotlib reads it when no Date is given).
    svg_meta: dict[str, Any] = {"Title": caption}
    if not os.environ.get("SOURCE_DATE_EPOCH"):
        svg_meta["Date"] = None
    svg, png = io.BytesIO(), io.BytesIO()
    with _strict_glyphs(name), matplotlib.rc_context(RC):
        fig = draw()
        fig.savefig(svg, format="svg", metadata=svg_meta)
        fig.savefig(png, format="png", dpi=DPI, metadata={"Software": None})
    return svg.getvalue(), png.getvalue()


# ---- the charts ---------------------------------------------------------------------------


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _patch(style: dict[str, str], label: str) -> Patch:
    return Patch(facecolor=style["color"], hatch=style["hatch"], edgecolor="white", label=label)


def _status(a: Assessment) -> Figure:
    fig = Figure(figsize=(PORTRAIT_IN, 2.4), layout="constrained")
    ax = fig.add_subplot()
    labels = []
    for i, (kind, label) in enumerate(KINDS.items()):
        counts = a.counts[kind]
        labels.append(f"{label}\n（共{counts.total}项）")
        left = 0
        for status, style in STATUS_STYLE.items():
            n = getattr(counts, status)
            if n:
                bars = ax.barh(i, n, left=left, height=0.6, edgecolor="white", **style)
                ax.bar_label(
                    bars,
                    labels=[str(n)],
                    label_type="center",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"},
                )
            left += n
    ax.set_yticks(range(len(KINDS)), labels=labels)
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("指标数（项）")
    ax.legend(
        handles=[_patch(s, STATUS_LABELS[k]) for k, s in STATUS_STYLE.items()],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=len(STATUS_STYLE),
        frameon=False,
    )
    excluded = [
        f"{KINDS[k]}{len(c.excluded)}项（{'、'.join(i for i, _ in c.excluded)}）"
        for k, c in a.counts.items()
        if c.excluded
    ]
    if excluded:
        note = "注：不涉及、未计入统计的指标：" + "；".join(excluded) + "。"
        ax.text(
            0,
            -0.45,
            "\n".join(textwrap.wrap(note, 48)),
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontsize=8,
        )
    return fig


def _series(plan: Plan, a: Assessment, ind: Indicator) -> list[tuple[int, Decimal]]:
    """The baseline and every monitored year up to the report year that has a number."""
    points = []
    if ind.baseline is not None and isinstance(ind.baseline.value, Decimal):
        points.append((plan.meta.base_year, ind.baseline.value))
    for year in sorted(y for y in plan.monitoring if plan.meta.base_year < y <= a.year):
        obs = plan.monitoring[year].indicators.get(ind.id)
        if obs is not None and isinstance(obs.value, Decimal):
            points.append((year, obs.value))
    return points


def _level(ind: Indicator, key: int | None, zone: str | None) -> Decimal | None:
    """The numeric threshold of the standard (key None) or of a milestone's target."""
    cell = ind.standard if key is None else ind.targets.get(key)
    if cell is None:
        return None
    try:
        return target_value(cell.rule, zone)
    except StopIteration:  # a by_region rule without our zone: nothing to draw
        return None


def _trends(plan: Plan, a: Assessment, rows: list[Row]) -> Figure:
    """Small multiples; each milestone's target spans its own term so equal levels stay apart."""
    meta = plan.meta
    nrows = math.ceil(len(rows) / COLUMNS)
    fig = Figure(figsize=(LANDSCAPE_IN, 1.9 * nrows + 0.5), layout="constrained")
    axes = list(fig.subplots(nrows, COLUMNS, squeeze=False).flat)
    years = range(meta.base_year, meta.period.end + 1)
    terms = {t.end: t for t in meta.terms}
    used: dict[str, Line2D] = {}
    for ax, row in zip(axes, rows, strict=False):
        ind = row.indicator
        xs, ys = zip(*_series(plan, a, ind), strict=True)
        used["监测值"] = ax.plot(
            xs, [float(y) for y in ys], "o-", color=VALUE, ms=3.5, lw=1.4, label="监测值", zorder=3
        )[0]
        level = _level(ind, None, meta.region.zone)
        if level is not None:
            used["国家标准"] = ax.axhline(
                float(level), color=STANDARD, ls=(0, (4, 2)), lw=0.9, label="国家标准", zorder=1
            )
        for i, (m, label) in enumerate(zip(meta.milestones, milestone_labels(meta), strict=True)):
            level = _level(ind, m, meta.region.zone)
            if level is not None:
                span = (terms[m].start - 0.5, terms[m].end + 0.5)
                colour = MILESTONE_COLOURS[i % len(MILESTONE_COLOURS)]
                used[label] = ax.plot(
                    span, [float(level)] * 2, color=colour, ls=":", lw=1.8, label=label, zorder=2
                )[0]
        ax.axvline(a.year, color="#bbbbbb", lw=0.8, zorder=0)
        unit = f"（{ind.display_unit}）" if ind.display_unit else ""
        ax.set_title(_fit(f"{ind.id} ", ind.name, unit, TITLE_EM), loc="left")
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        ax.set_xticks(years, labels=[f"{y % 100:02d}" for y in years], fontsize=7.5)
        ax.tick_params(axis="y", labelsize=7.5)
        ax.yaxis.set_major_formatter(FuncFormatter(_tick))
        ax.margins(y=0.2)
        ax.grid(axis="y", color="#e5e5e5", lw=0.6)
    for ax in axes[len(rows) :]:  # the rest of the last row
        ax.set_visible(False)
    order = ["监测值", "国家标准", *milestone_labels(meta)]
    fig.legend(
        handles=[used[k] for k in order if k in used],
        loc="outside lower center",
        ncol=len(used),
        frameon=False,
        title_fontsize=8,
        title=f"横轴：年份（{years[0] % 100:02d} = {years[0]}年）；"
        f"灰色竖线：本报告年度（{a.year}年）",
    )
    return fig


def _fit(head: str, name: str, tail: str, em: float) -> str:
    """`head name tail`, the name cut with … so the whole fits `em` (CJK 1, Latin ≈ 0.55)."""

    def width(s: str) -> float:
        return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.55 for c in s)

    if width(head + name + tail) <= em:
        return head + name + tail
    while name and width(head + name + "…" + tail) > em:
        name = name[:-1]
    return head + name + "…" + tail


def _tick(value: float, _pos: object) -> str:
    """Plain numbers with thousands separators: never 1e6 or an offset."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace("-", "\u2212")


def _by_category(plan: Plan, a: Assessment) -> list[tuple[str, list[ProjectRow]]]:
    return [
        (c.name, [r for r in a.projects if r.project.category == c.name]) for c in plan.categories
    ]


def _by_division(plan: Plan, a: Assessment) -> list[tuple[str, list[ProjectRow]]]:
    names = [*plan.meta.region.divisions, None]
    names += [d for d in dict.fromkeys(r.project.division for r in a.projects) if d not in names]
    groups = [(d or CITY_LEVEL, [r for r in a.projects if r.project.division == d]) for d in names]
    return [(name, rows) for name, rows in groups if rows]


def _invest(a: Assessment, groups: list[tuple[str, list[ProjectRow]]]) -> Figure:
    """Planned against completed investment per group; a group with no report says 待填报."""
    fig = Figure(figsize=(PORTRAIT_IN, 3.6), layout="constrained")
    ax = fig.add_subplot()
    planned = [sum((r.project.investment for r in rows), Decimal(0)) for _, rows in groups]
    known = [[r.invested for r in rows if r.invested is not None] for _, rows in groups]
    done = [sum(k, Decimal(0)) if k else None for k in known]
    xs = range(len(groups))
    narrow = len(groups) > 5
    width = 0.38
    label = {"rotation": 90, "fontsize": 7} if narrow else {"fontsize": 7.5}
    bars = ax.bar(
        [x - width / 2 for x in xs],
        [float(v) for v in planned],
        width,
        color=PLANNED,
        label="规划投资",
    )
    ax.bar_label(bars, labels=[money(v) for v in planned], padding=2, **label)
    bars = ax.bar(
        [x + width / 2 for x in xs],
        [float(v or 0) for v in done],
        width,
        color=DONE,
        label=f"累计完成投资（截至{a.year}年底）",
    )
    ax.bar_label(
        bars, labels=["待填报" if v is None else money(v) for v in done], padding=2, **label
    )
    names = ["\n".join(textwrap.wrap(n, 6)) for n, _ in groups]
    ax.set_xticks(xs, labels=names, fontsize=8 if narrow else 9)
    ax.set_ylabel("投资（万元）")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    top = max((float(v) for v in [*planned, *(d for d in done if d is not None)]), default=0)
    ax.set_ylim(0, top * (1.3 if narrow else 1.15) or 1)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    return fig


def _timeline(plan: Plan, a: Assessment) -> Figure:
    meta = plan.meta
    n = len(a.projects)
    fig = Figure(figsize=(PORTRAIT_IN, 0.2 * n + 1.3), layout="constrained")
    ax = fig.add_subplot()
    for i, r in enumerate(a.projects):
        span = r.project.period
        style = PROJECT_STYLE[r.status]
        ax.barh(
            i,
            span.end + 1 - span.start,
            left=span.start,
            height=0.65,
            edgecolor="white",
            lw=0.5,
            **style,
        )
    ax.set_yticks(
        range(n),
        labels=[f"{r.project.no} {_short(r.project.name, 14)}" for r in a.projects],
        fontsize=7.5,
    )
    ax.set_ylim(n - 0.5, -0.5)
    years = range(meta.base_year, meta.period.end + 1)
    ax.set_xlim(years[0], years[-1] + 1)
    ax.set_xticks([y + 0.5 for y in years], labels=[str(y) for y in years])
    ax.set_xticks([*years, years[-1] + 1], minor=True)
    ax.tick_params(axis="x", which="major", length=0)
    ax.grid(axis="x", which="minor", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    line = ax.axvline(a.year + 1, color="#c0392b", ls=(0, (4, 2)), lw=1.2, label=f"{a.year}年末")
    handles = [_patch(s, k or "待填报") for k, s in PROJECT_STYLE.items()]
    ax.legend(
        handles=[*handles, line],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=len(handles) + 1,
        frameon=False,
        handlelength=1.5,
        columnspacing=1.0,
    )
    return fig
