"""The plan's tables (Table 1, the project summary, the annex): cells, merges and totals."""

from __future__ import annotations

from ..base.vocab import money
from ..content.model import Indicator, Plan
from .blocks import Cell, Table, milestone_labels, spans


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
    domain_span, task_span, number_span = spans(domain_keys), spans(task_keys), spans(number_keys)
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
    table = Table(
        indicator_widths(len(meta.milestones)), [head], body, number, caption, "wide indicators"
    )
    table.keys = [ind.id for ind in items]
    return table


# Table 1's relative column widths: 领域 任务 序号 指标名称 单位 指标值 现状值, then one column per
# term's milestone. Each term adds a column of its own width and the rest give way
# proportionally (Table() scales the weights to 100 %), so any number of terms fits the page.
# 序号 two characters wide; 任务 holds （一）目标 a line, 单位 μg/m³
_INDICATOR_FIXED = [6, 11, 5, 20, 7, 13.5, 12.5]
_MILESTONE_WIDTH = 12.5


def indicator_widths(milestones: int) -> list[float]:
    return [*_INDICATOR_FIXED, *[_MILESTONE_WIDTH] * milestones]


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
            Cell(str(count), derived=True),
            Cell(cat.summary or "", cls="left"),
            Cell(money(total), cls="num", derived=True),
        ]
        for n, (cat, count, total) in enumerate(plan.category_totals(), 1)
    ]
    foot = [
        [
            Cell("合计", colspan=2),
            Cell(str(len(plan.projects)), derived=True),
            Cell(""),
            Cell(money(plan.total_investment), cls="num", derived=True),
        ]
    ]
    table = Table([8, 27, 11, 36, 18], head, body, number, caption, "summary", foot)
    table.keys = [cat.name for cat in plan.categories]
    return table


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
    category_span = spans([p.category for p in projects])
    body = []
    for n, p in enumerate(projects):
        row = [Cell(p.category, rowspan=category_span[n])] if category_span[n] else []
        row += [
            Cell(str(p.no), derived=True),  # numbers follow the order: a removal renumbers
            Cell(p.name, cls="left"),
            Cell(p.content, cls="left"),
            Cell(f"{p.period.start}-{p.period.end}"),
            Cell(money(p.investment), cls="num"),
            Cell(p.lead),
        ]
        body.append(row)
    total = Cell(money(plan.total_investment), cls="num", derived=True)
    foot = [[Cell("合计", colspan=5), total, Cell("")]]
    table = Table([10, 5, 17, 35, 9, 12, 12], head, body, number, caption, "wide projects", foot)
    table.keys = [p.name for p in projects]
    return table


BUILDERS = {
    "indicators": indicator_table,
    "project_summary": summary_table,
    "projects": project_table,
}
