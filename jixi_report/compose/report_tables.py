"""The report's tables: Table 1 judged, the projects, and the two annexes' details."""

from __future__ import annotations

from ..assess.engine import Assessment, ProjectRow, Row
from ..assess.progress import Progress
from ..base.vocab import (
    BASIS_LABELS,
    CITY_LEVEL,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_APPLICABLE_VALUE,
    NOT_MET,
    PENDING,
    RATE_SHORT,
    STATUSES,
    decimal_text,
    money,
    percent,
    project_state,
    value_text,
    years,
)
from ..content.model import Plan
from .blocks import Cell, Table, milestone_label
from .report_words import change_words, rate_changes


def _status_cell(code: str) -> Cell:
    status = STATUSES[code]
    return Cell(status.marked, cls=status.css)


def indicator_table(plan: Plan, a: Assessment, number_: str) -> Table:
    """Table 1 judged: each row's figures, last year's and the change, both judgements and who
    leads it."""
    label = milestone_label(plan.meta, a.year)
    head = [
        [
            Cell(t)
            for t in (
                "序号",
                "指标名称",
                "单位",
                f"现状值（{plan.meta.base_year}年）",
                "上年值",
                f"{a.year}年",
                "较上年变化",
                "指标值",
                label,
                "达标情况",
                "目标完成情况",
                "牵头单位",
            )
        ]
    ]
    body = []
    for row in a.rows:
        ind = row.indicator
        name = ind.name + ("※" if ind.marked else "")
        seq = ind.label
        if not ind.has_values:
            body.append(
                [
                    Cell(seq),
                    Cell(name, colspan=8, cls="left"),
                    _status_cell(row.status.status),
                    _status_cell(row.target.status),
                    Cell(ind.lead or ""),
                ]
            )
            continue
        target = ind.targets[row.milestone].text
        body.append(
            [
                Cell(seq),
                Cell(name, cls="left"),
                Cell(ind.report_unit),
                Cell(ind.baseline.text if ind.baseline else ""),
                Cell(_last(row, a.year)),
                Cell(observed(row)),
                Cell(rate_changes(row) or change_words(ind, row.value, row.previous) or "—"),
                Cell(ind.standard.text if ind.standard else ""),
                Cell(target),
                _status_cell(row.status.status),
                _status_cell(row.target.status),
                Cell(ind.lead or ""),
            ]
        )
    return Table(
        [5, 10, 6, 9, 9, 9, 8, 9, 9, 8, 8, 10],
        head,
        body,
        number_,
        f"{a.year}年建设指标完成情况",
        "wide small assessment",
    )


def _last(row: Row, year: int) -> str:
    """上年值: the previous figure, with its year when it is not the year before."""
    if row.previous_year is None:
        return "—"
    shown = _previous(row)
    return shown if row.previous_year == year - 1 else f"{shown}（{row.previous_year}年）"


def _rates(inputs: dict, unit: str) -> str:
    return "，".join(f"{name}{value_text(inputs.get(k))}{unit}" for k, name in RATE_SHORT.items())


def _previous(row: Row) -> str:
    shown = _rates(row.previous_rates, row.indicator.figure_unit) if row.previous_rates else None
    return shown or value_text(row.previous)


def observed(row: Row) -> str:
    """The year's figure as a table cell shows it: a value, rates, a superior task's result."""
    if row.status.status == NOT_APPLICABLE:
        return NOT_APPLICABLE_VALUE
    inputs = row.inputs
    if "start_rate" in inputs or "closure_rate" in inputs:
        return _rates(inputs, row.indicator.figure_unit)
    text = (
        value_text(row.value) if row.value is not None or "superior_task_met" not in inputs else ""
    )
    if "superior_task_met" in inputs:
        done = "完成上级考核任务" if inputs["superior_task_met"] else "未完成上级考核任务"
        text = f"{done}，{text}" if text else done
    return text


def detail_table(a: Assessment, number_: str) -> Table:
    head = [
        [
            Cell(t)
            for t in (
                "序号",
                "指标名称",
                "本年度值",
                "上一期值",
                "判定依据",
                "缺少数据",
                "路径期望值",
                "实际/应有进展",
                "进展评价",
            )
        ]
    ]
    body = []
    for row in a.rows:
        if not row.indicator.has_values:
            continue
        prev = f"{_previous(row)}（{row.previous_year}年）" if row.previous_year else "—"
        p = row.progress
        body.append(
            [
                Cell(row.indicator.label),
                Cell(row.indicator.name, cls="left"),
                Cell(observed(row)),
                Cell(prev),
                Cell(BASIS_LABELS[row.status.basis]),
                Cell("、".join(row.status.missing) or "—"),
                Cell(decimal_text(p.expected) if p else "—"),
                Cell(_ratio(p)),
                Cell(p.label if p else "—"),
            ]
        )
    return Table(
        [5, 17, 14, 17, 10, 8, 8, 11, 10],
        head,
        body,
        number_,
        f"{a.year}年建设指标评估明细",
        "wide detail",
    )


def _ratio(p: Progress | None) -> str:
    """实际/应有进展: the ratio, or why there is none to show."""
    if p is None:
        return "—"
    if p.baseline_met:
        return "现状值已达目标"
    return decimal_text(p.ratio) if p.ratio is not None else "—"


def _state(r: ProjectRow) -> str:
    """实施状态 as reported, 逾期 added when the project is past its last year."""
    return project_state(r.status, r.overdue)


def _state_class(r: ProjectRow) -> str:
    if r.status is None:
        return STATUSES[NO_DATA].css
    return STATUSES[NOT_MET].css if r.overdue else ""


def project_table(plan: Plan, a: Assessment, number_: str) -> Table:
    head = [
        [
            Cell(t)
            for t in (
                "序号",
                "项目名称",
                "工程类型",
                "建设年限",
                "估算总投资（万元）",
                "实施状态",
                "累计完成投资（万元）",
                "完成比例",
            )
        ]
    ]
    body = []
    for r in a.projects:
        p = r.project
        body.append(
            [
                Cell(str(p.no)),
                Cell(p.name, cls="left"),
                Cell(p.category),
                Cell(years(p.period.start, p.period.end)),
                Cell(money(p.investment), cls="num"),
                Cell(_state(r), cls=_state_class(r)),
                Cell(money(r.invested) if r.invested is not None else PENDING, cls="num"),
                Cell(percent(r.share) or "—", cls="num"),
            ]
        )
    foot = [
        [
            Cell("合计", colspan=4),
            Cell(money(a.planned), cls="num"),
            Cell(""),
            Cell(money(a.invested), cls="num"),
            Cell(percent(a.invested_share), cls="num"),
        ]
    ]
    return Table(
        [5, 23, 18, 11, 11, 12, 12, 8],
        head,
        body,
        number_,
        f"{a.year}年重点工程实施情况",
        "wide projects",
        foot,
    )


def project_detail_table(a: Assessment, number_: str) -> Table:
    head = [[Cell(t) for t in ("序号", "项目名称", "牵头部门", "所在县区", "实施状态", "进展说明")]]
    body = [
        [
            Cell(str(r.project.no)),
            Cell(r.project.name, cls="left"),
            Cell(r.project.lead),
            Cell(r.project.division or CITY_LEVEL),
            Cell(_state(r), cls=_state_class(r)),
            Cell(r.note or "—", cls="left"),
        ]
        for r in a.projects
    ]
    return Table([5, 27, 17, 9, 13, 29], head, body, number_, f"{a.year}年重点工程进展明细", "wide")
