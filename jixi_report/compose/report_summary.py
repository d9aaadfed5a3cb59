"""The report's roll-ups: results by 领域 and 任务, the sources of every figure, the sources of
funds. Each is a table the text refers to, and the counts the text states come from here."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..assess.engine import Assessment, Counts, Row
from ..base.vocab import (
    COUNTED,
    MET,
    NOT_APPLICABLE,
    PENDING,
    STATUSES,
    money,
    percent,
)
from ..content.yearly import Monitoring, Observation
from .blocks import Cell, Table
from .report_tables import observed

REFERENCE_GROUP = "参考性指标"
UNSTATED = "未注明"  # a figure whose monitoring entry names no source


@dataclass
class Group:
    """The top-level rows of one 领域 (or the reference rows), by 任务 in table order."""

    domain: str
    tasks: dict[str, list[Row]] = field(default_factory=dict)

    @property
    def rows(self) -> list[Row]:
        return [r for rows in self.tasks.values() for r in rows]


def counts_of(rows: list[Row]) -> Counts:
    c = Counts()
    for r in rows:
        c.add(r.indicator, r.status)
    return c


def groups(a: Assessment) -> list[Group]:
    """Top-level rows by 领域 and 任务 in Table 1's order; the reference rows last, as one."""
    found: dict[str, Group] = {}
    for row in a.rows:
        ind = row.indicator
        if ind.parent is not None:
            continue
        domain = ind.domain if ind.kind == "binding" and ind.domain else REFERENCE_GROUP
        task = f"{ind.task.number}{ind.task.name}" if ind.task and domain != REFERENCE_GROUP else ""
        found.setdefault(domain, Group(domain)).tasks.setdefault(task, []).append(row)
    ordered = [g for d, g in found.items() if d != REFERENCE_GROUP]
    return ordered + ([found[REFERENCE_GROUP]] if REFERENCE_GROUP in found else [])


def _count_cells(rows: list[Row], milestone: int) -> list[Cell]:
    c = counts_of(rows)
    reached = sum(1 for r in rows if r.target.status == MET)
    figures = [len(rows), *(getattr(c, s) for s in COUNTED), len(c.excluded), reached]
    return [Cell(str(n), cls="num") for n in figures]


def _count_width(label: str) -> int:
    """A count column's share of the (portrait) page: its head on one line up to three
    characters (未达标), else on two (无法/判定), in 五号 with the cell's padding."""
    per_line = len(label) if len(label) <= 3 else -(-len(label) // 2)
    return {1: 5, 2: 7}.get(per_line, 10)


def domain_table(a: Assessment, milestone: int, number_: str) -> Table:
    """Results by 领域 and 任务 (top-level rows; sub-rows are judged within their parent)."""
    labels = [STATUSES[s].label for s in COUNTED]
    head = [
        [Cell(t) for t in ("领域", "任务", "指标数", *labels, "不涉及", f"达到{milestone}年目标值")]
    ]
    body: list[list[Cell]] = []
    found = groups(a)
    for g in found:
        for i, (task, rows) in enumerate(g.tasks.items()):
            first = [Cell(g.domain, rowspan=len(g.tasks), cls="domain")] if i == 0 else []
            body.append([*first, Cell(task or "—", cls="left"), *_count_cells(rows, milestone)])
    everything = [r for g in found for r in g.rows]
    foot = [[Cell("合计", colspan=2), *_count_cells(everything, milestone)]]
    widths = [12, 24, 10, *map(_count_width, labels), 10, 10]
    return Table(
        widths, head, body, number_, f"{a.year}年建设指标分领域、分任务完成情况", "summary", foot
    )


def sources_table(a: Assessment, number_: str) -> Table:
    """Where each reported figure comes from: its source and evidence, and the leading unit."""
    head = [
        [
            Cell(t)
            for t in ("序号", "指标名称", f"{a.year}年数值", "数据来源", "证明材料", "牵头单位")
        ]
    ]
    m = a.monitoring
    body = []
    for row in a.rows:
        ind = row.indicator
        if not ind.has_values or row.status.status == NOT_APPLICABLE:
            continue
        obs = m.indicators.get(ind.id) if m else None
        body.append(
            [
                Cell(ind.label),
                Cell(ind.name, cls="left"),
                Cell(observed(row) if obs else PENDING),
                Cell(_source(obs, m), cls="left"),
                Cell((obs.evidence if obs else None) or "—", cls="left"),
                Cell(ind.lead or "", cls="left"),
            ]
        )
    return Table([7, 22, 15, 19, 18, 19], head, body, number_, f"{a.year}年指标数据来源")


def _source(obs: Observation | None, m: Monitoring | None) -> str:
    """A figure's source: its own, else what the monitoring file gives for all its figures."""
    if obs is None:
        return PENDING
    return obs.source or (m.source if m else None) or UNSTATED


def funding_table(funding: dict[str, Decimal], number_: str, year: int) -> Table | None:
    """Sources of the funds invested so far, when the monitoring file gives them."""
    if not funding:
        return None
    total = sum(funding.values(), Decimal(0))
    head = [[Cell(t) for t in ("资金来源", "金额（万元）", "占比")]]
    body = [
        [
            Cell(name, cls="left"),
            Cell(money(v), cls="num"),
            Cell(percent(v / total) if total else "—", cls="num"),
        ]
        for name, v in funding.items()
    ]
    foot = [
        [
            Cell("合计"),
            Cell(money(total), cls="num"),
            Cell(percent(Decimal(1)) if total else "—", cls="num"),
        ]
    ]
    return Table(
        [50, 30, 20], head, body, number_, f"截至{year}年底重点工程资金来源", "summary", foot
    )
