"""Tables computed from the content: cells, merges and totals decided here, placed by templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from .model import Indicator, Plan, PlanMeta


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    cls: str = ""


@dataclass
class Table:
    """A table in the closed HTML subset: header rows repeat on every page."""

    cols: list[int]  # relative widths, percent
    head: list[list[Cell]]
    body: list[list[Cell]]
    number: str | None = None
    caption: str | None = None
    cls: str = ""
    foot: list[list[Cell]] = field(default_factory=list)


def money(value: Decimal) -> str:
    """Amounts as printed, with thousands separators: 4,078.06, 784,447, 0."""
    return f"{value.normalize():,f}" if value else "0"


def milestone_labels(meta: PlanMeta) -> list[str]:
    """目标值（2025年）for the first term's milestone, 远期规划值（2030年）for the others."""
    labels = []
    for i, term in enumerate(meta.terms):
        name = "目标值" if i == 0 else f"{term.name}规划值"
        labels.append(f"{name}（{term.end}年）")
    return labels


def _spans(keys: list[object]) -> list[int]:
    """For consecutive equal keys: the run length at each run's first index, 0 elsewhere."""
    spans = [0] * len(keys)
    i = 0
    for _, run in groupby(keys):
        n = len(list(run))
        spans[i] = n
        i += n
    return spans


def indicator_table(plan: Plan, number: str | None, caption: str | None) -> Table:
    meta = plan.meta
    head = [
        Cell(t)
        for t in (
            "领域",
            "任务",
            "序号",
            "指标名称",
            "单位",
            "指标值",
            f"现状值（{meta.base_year}年）",
        )
    ] + [Cell(label) for label in milestone_labels(meta)]
    items = plan.indicators
    # Merge keys per row: binding rows merge by domain and task, reference rows form one block.
    domain_keys = [("ref",) if i.kind == "reference" else ("d", i.domain) for i in items]
    task_keys = [("ref",) if i.kind == "reference" else ("t", i.task) for i in items]
    number_keys = [i.parent or i.id for i in items]
    domain_span, task_span, number_span = (
        _spans(domain_keys),
        _spans(task_keys),
        _spans(number_keys),
    )
    body = []
    for n, ind in enumerate(items):
        row: list[Cell] = []
        if ind.kind == "reference" and domain_span[n]:
            row.append(Cell("参考性指标", rowspan=domain_span[n], colspan=2, cls="domain"))
        elif ind.kind != "reference":
            if domain_span[n]:
                row.append(Cell(ind.domain or "", rowspan=domain_span[n], cls="domain"))
            if task_span[n]:
                task = f"{ind.task.number}{ind.task.name}" if ind.task else ""
                row.append(Cell(task, rowspan=task_span[n]))
        if number_span[n]:
            row.append(Cell(ind.number or "", rowspan=number_span[n]))
        row += _indicator_cells(ind, len(meta.milestones))
        body.append(row)
    return Table([6, 9, 4, 21, 6, 16, 13, 13, 12], [head], body, number, caption, "wide indicators")


def _indicator_cells(ind: Indicator, milestones: int) -> list[Cell]:
    name = ind.name + ("※" if ind.marked else "")
    if not ind.has_values:  # a parent row: its name spans the value columns
        return [Cell(name, colspan=3 + milestones + 1, cls="left")]
    cells = [Cell(name, cls="left"), Cell(ind.unit or "")]
    cells.append(Cell(ind.standard.text if ind.standard else ""))
    cells.append(Cell(ind.baseline.text if ind.baseline else ""))
    cells += [Cell(cell.text) for _, cell in sorted(ind.targets.items())]
    return cells


def summary_table(plan: Plan, number: str | None, caption: str | None) -> Table:
    head = [
        [
            Cell(t)
            for t in ("序号", "重点建设工程类型", "项目数量", "主要内容", "估算总投资（万元）")
        ]
    ]
    body = [
        [
            Cell(str(n)),
            Cell(cat.name),
            Cell(str(count)),
            Cell(cat.summary or "", cls="left"),
            Cell(money(total), cls="num"),
        ]
        for n, (cat, count, total) in enumerate(plan.category_totals(), 1)
    ]
    foot = [
        [
            Cell("合计", colspan=2),
            Cell(str(len(plan.projects))),
            Cell(""),
            Cell(money(plan.total_investment), cls="num"),
        ]
    ]
    return Table([8, 24, 10, 40, 18], head, body, number, caption, "summary", foot)


def project_table(plan: Plan, number: str | None, caption: str | None) -> Table:
    head = [
        [
            Cell(t)
            for t in (
                "工程类型",
                "序号",
                "项目名称",
                "主要建设内容及规模",
                "建设年限",
                "估算总投资（万元）",
                "牵头部门",
            )
        ]
    ]
    projects = sorted(plan.projects, key=lambda p: p.no)
    spans = _spans([p.category for p in projects])
    body = []
    for n, p in enumerate(projects):
        row = [Cell(p.category, rowspan=spans[n])] if spans[n] else []
        row += [
            Cell(str(p.no)),
            Cell(p.name, cls="left"),
            Cell(p.content, cls="left"),
            Cell(f"{p.period.start}-{p.period.end}"),
            Cell(money(p.investment), cls="num"),
            Cell(p.lead),
        ]
        body.append(row)
    foot = [[Cell("合计", colspan=5), Cell(money(plan.total_investment), cls="num"), Cell("")]]
    return Table([10, 5, 17, 35, 9, 12, 12], head, body, number, caption, "wide projects", foot)


BUILDERS = {
    "indicators": indicator_table,
    "project_summary": summary_table,
    "projects": project_table,
}
