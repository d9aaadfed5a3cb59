"""An assessment → what the report template places: sections, tables, figures, figures' numbers.

Decisions (which phrase, which mark, which count) are made here; `report.html.j2` words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .assess import LABELS, MET, NO_DATA, NOT_APPLICABLE, NOT_MET, Assessment, Counts, Row
from .model import STATUSES, Plan
from .placeholders import chinese_numeral, plain_decimal
from .render import Node, TocEntry, build_date
from .tables import Cell, Table, milestone_labels, money
from .validate_monitoring import task_areas

MARKS = {MET: "√ 达标", NOT_MET: "× 未达标", NO_DATA: "○ 待填报", NOT_APPLICABLE: "— 不涉及"}
BASIS = {
    "threshold": "对照指标值",
    "improving": "较上一期改善",
    "stable": "保持稳定",
    "qualitative": "建设情况",
    "superior_task": "上级考核任务",
    "composite": "复合判定",
    "rollup": "分项汇总",
    "not_applicable": "不涉及",
}
PENDING = "待填报"


def number(v: Any) -> str:
    """Decimal → text as an office writes it: 91.8, 100, 0.35."""
    if isinstance(v, Decimal):
        return plain_decimal(v)
    return "" if v is None else str(v)


def value_text(v: Any) -> str:
    return PENDING if v is None else number(v)


def percent(share: Decimal | None) -> str:
    return "" if share is None else f"{(share * 100).quantize(Decimal('0.1'))}%"


@dataclass
class CountView:
    total: int
    parts: list[tuple[str, int]]  # non-zero (label, count) in a fixed order
    excluded: list[tuple[str, str]]


def _counts(c: Counts) -> CountView:
    parts = [(LABELS[s], getattr(c, s)) for s in (MET, NOT_MET, NO_DATA) if getattr(c, s)]
    return CountView(c.total, parts, c.excluded)


def _status_cell(status: str) -> Cell:
    return Cell(MARKS[status], cls=status.replace("_", "-"))


def indicator_table(plan: Plan, a: Assessment, number_: str) -> Table:
    label = milestone_labels(plan.meta)[plan.meta.milestones.index(plan.meta.milestone_for(a.year))]
    head = [
        [
            Cell(t)
            for t in (
                "序号",
                "指标名称",
                "单位",
                f"现状值（{plan.meta.base_year}年）",
                f"{a.year}年",
                "指标值",
                label,
                "达标情况",
                "目标完成情况",
            )
        ]
    ]
    body = []
    for row in a.rows:
        ind = row.indicator
        name = ind.name + ("※" if ind.marked else "")
        seq = ind.number or ""
        if ind.kind == "reference" and ind.parent is None:
            seq = f"参{ind.number}"
        if not ind.has_values:
            body.append(
                [
                    Cell(seq),
                    Cell(name, colspan=6, cls="left"),
                    _status_cell(row.status.status),
                    _status_cell(row.target.status),
                ]
            )
            continue
        target = ind.targets[row.milestone].text
        body.append(
            [
                Cell(seq),
                Cell(name, cls="left"),
                Cell(ind.unit or ""),
                Cell(ind.baseline.text if ind.baseline else ""),
                Cell(_observed(row)),
                Cell(ind.standard.text if ind.standard else ""),
                Cell(target),
                _status_cell(row.status.status),
                _status_cell(row.target.status),
            ]
        )
    return Table(
        [5, 21, 6, 13, 9, 15, 13, 9, 9],
        head,
        body,
        number_,
        f"{a.year}年建设指标完成情况",
        "wide assessment",
    )


def _observed(row: Row) -> str:
    if row.status.status == NOT_APPLICABLE:
        return "不涉及"
    inputs = row.inputs
    if "start_rate" in inputs or "closure_rate" in inputs:
        start, closure = (value_text(inputs.get(k)) for k in ("start_rate", "closure_rate"))
        return f"启动率{start}，结案率{closure}"
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
        prev = f"{value_text(row.previous)}（{row.previous_year}年）" if row.previous_year else "无"
        p = row.progress
        body.append(
            [
                Cell(row.indicator.id),
                Cell(row.indicator.name, cls="left"),
                Cell(_observed(row)),
                Cell(prev),
                Cell(BASIS[row.status.basis]),
                Cell("、".join(row.status.missing) or "—"),
                Cell(number(p.expected) if p else "—"),
                Cell(number(p.ratio) if p and p.ratio is not None else "—"),
                Cell(p.label if p else "—"),
            ]
        )
    return Table(
        [5, 22, 14, 12, 10, 12, 8, 8, 9],
        head,
        body,
        number_,
        f"{a.year}年建设指标评估明细",
        "wide detail",
    )


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
                Cell(f"{p.period.start}-{p.period.end}"),
                Cell(money(p.investment), cls="num"),
                Cell(r.status or PENDING, cls="" if r.status else "no-data"),
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
        [5, 31, 15, 9, 11, 8, 12, 9],
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
            Cell(r.project.division or "市级"),
            Cell(r.status or PENDING),
            Cell(r.note or "—", cls="left"),
        ]
        for r in a.projects
    ]
    return Table([5, 30, 17, 9, 8, 31], head, body, number_, f"{a.year}年重点工程进展明细", "wide")


def summary(plan: Plan, a: Assessment) -> dict[str, Any]:
    """The figures the 总体情况 paragraph states, all from the assessment."""
    by_status = {s: sum(1 for r in a.projects if r.status == s) for s in STATUSES}
    return {
        "binding": _counts(a.counts["binding"]),
        "reference": _counts(a.counts["reference"]),
        "target_binding": _counts(a.target_counts["binding"]),
        "milestone": plan.meta.milestone_for(a.year),
        "excluded": "、".join(
            f"{i}（{reason}）"
            for k in ("binding", "reference")
            for i, reason in a.counts[k].excluded
        ),
        "projects": len(a.projects),
        "project_parts": [(s, n) for s, n in by_status.items() if n],
        "projects_pending": sum(1 for r in a.projects if r.status is None),
        "invested": money(a.invested),
        "planned": money(a.planned),
        "share": percent(a.invested_share),
        "not_met": [
            r.indicator for r in a.rows if r.status.status == NOT_MET and r.indicator.has_values
        ],
        "pending": [
            r.indicator for r in a.rows if r.status.status == NO_DATA and r.indicator.has_values
        ],
    }


def _figure(chart: Any, n: int) -> Node:
    return Node("figure", text=chart.caption, number=f"图{n}", src=chart.svg.resolve().as_uri())


def report_context(plan: Plan, a: Assessment, charts: list[Any]) -> dict[str, Any]:
    """Everything report.html.j2 needs."""
    figures = {c.name: _figure(c, n) for n, c in enumerate(charts, 1)}
    trends = [figures[c.name] for c in charts if c.name.startswith("trends")]
    m = a.monitoring
    areas = task_areas(plan)
    tasks = [
        (f"（{chinese_numeral(i)}）", title, (m.tasks.get(num) if m else None) or PENDING)
        for i, (num, title) in enumerate(areas.items(), 1)
    ]
    sections = [
        ("h-1", "一、总体情况"),
        ("h-2", "二、建设指标完成情况"),
        ("h-3", "三、重点任务进展"),
        ("h-4", "四、重点工程实施情况"),
        ("h-5", "五、存在问题"),
        ("h-6", "六、下一步工作"),
    ]
    annexes = [
        ("h-a1", "附件1", f"{a.year}年建设指标评估明细"),
        ("h-a2", "附件2", f"{a.year}年重点工程进展明细"),
    ]
    toc = [TocEntry(2, i, t) for i, t in sections] + [
        TocEntry(1, i, f"{n} {t}") for i, n, t in annexes
    ]
    today = build_date()
    example = m is not None and m.data_status == "example"
    return {
        "meta": plan.meta,
        "year": a.year,
        "a": a,
        "m": m,
        "example": example,
        "data_status": {
            "example": "示例数据",
            "provisional": "初步数据",
            "official": "正式数据",
        }.get(m.data_status if m else "", "无监测数据"),
        "s": summary(plan, a),
        "sections": dict(sections),
        "annexes": annexes,
        "toc": toc,
        "figures": figures,
        "trends": trends,
        "tables": {
            "indicators": indicator_table(plan, a, "表1"),
            "projects": project_table(plan, a, "表2"),
            "detail": detail_table(a, "附表1"),
            "project_detail": project_detail_table(a, "附表2"),
        },
        "tasks": tasks,
        "date_text": f"{today.year}年{today.month}月",
        "created": today.isoformat(),
    }
