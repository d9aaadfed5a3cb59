"""An assessment → what the report template places: its figures, tables, charts and counts.

Decisions (which phrase, which mark, which count) are made here; `report.html.j2` words them.
"""

from __future__ import annotations

from typing import Any

from ..assess.engine import Assessment
from ..base.errors import Problem
from ..base.style import house_style
from ..base.vocab import (
    DATA_STATUSES,
    NO_MONITORING,
    PENDING,
    build_date,
    chinese_numeral,
    date_text,
)
from ..content.model import Plan
from .blocks import Node
from .charts.specs import Chart
from .charts.steady import steady_table
from .report_drafts import next_steps, numbered, problems
from .report_overview import (
    by_category,
    domain_paragraphs,
    overview,
    paced,
    plan_table,
    term_verdict,
)
from .report_summary import domain_table, funding_table, sources_table
from .report_tables import detail_table, indicator_table, project_detail_table, project_table


def _figure(chart: Chart, n: int) -> Node:
    return Node("figure", text=chart.caption, number=f"图{n}", src=chart.svg.resolve().as_uri())


def issuer(plan: Plan, a: Assessment) -> str | None:
    """Who signs the report: the monitoring file's issuer, else the plan's compiling unit."""
    m = a.monitoring
    return (m.issuer if m else None) or plan.meta.compiler or plan.meta.issuer


FULL, HALF = "\u3000", "\u2002"  # a character's width, and half of one


def _ems(text: str) -> float:
    """Width in characters of the body face: CJK and full-width 1, ASCII (digits, _) ½."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def _indent(columns: float) -> str:
    whole = int(columns)
    return FULL * whole + (HALF if columns - whole >= 0.5 else "")


def signature_lines(issuer: str, date: str, chars: int) -> tuple[str, str]:
    """The 落款 of a document without a seal (GB/T 9704-2012 §7.3.5.1), as two lines set
    from the left of a `chars`-character line: the issuer two characters from the right, the
    date starting two characters right of the issuer's first; a date longer than the issuer
    two characters from the right, the issuer moved left to keep the two-character step."""
    width, dated = _ems(issuer), _ems(date)
    if dated > width:
        date_at = chars - 2 - dated
        issuer_at = date_at - 2
    else:
        issuer_at = chars - 2 - width
        date_at = issuer_at + 2
    return _indent(max(issuer_at, 0)) + issuer, _indent(max(date_at, 0)) + date


def missing_particulars(plan: Plan, a: Assessment) -> list[Problem]:
    """The report's issuer and date when the content lacks them: warnings (errors with
    --strict); the cover and the 落款 then leave their places blank, never today's date."""
    found = []
    where = plan.root / "monitoring" / f"{a.year}.yaml"
    if a.monitoring is not None and not a.monitoring.date:
        found.append(Problem(where, None, None, "date", "no date for the report: left blank"))
    if issuer(plan, a) is None:
        found.append(
            Problem(
                plan.root / "plan.yaml",
                None,
                None,
                "compiler",
                "no compiling unit (nor issuer in the monitoring file): the 落款 is left blank",
            )
        )
    return found


def method(plan: Plan, a: Assessment, refs: dict[str, str]) -> list[tuple[str, str]]:
    """附件3's account of the assessment: its basis, its method in brief, its data."""
    meta, m = plan.meta, a.monitoring
    binding, reference = len(plan.top_level("binding")), len(plan.top_level("reference"))
    milestones = "、".join(f"{y}年" for y in meta.milestones)
    basis = f"《{meta.full_title}》，及其{plan_table(plan)}确定的"
    basis += f"{binding}项约束性指标、{reference}项参考性指标的指标值和{milestones}目标值"
    basis += "".join(f"；{b}" for b in meta.basis) + "。"
    rules = (
        f"每项指标分别对照指标值（建设标准）和所处阶段的目标值（{a.year}年对照"
        f"{meta.milestone_for(a.year)}年目标值）判定。定量指标按阈值判定；“持续改善”“保持稳定”"
        f"类指标与上一年度数值比较，无上一年度数值时与{meta.base_year}年现状值比较；“完成上级"
        "规定的考核任务”类指标依据上级考核结果判定；含分项的指标，分项全部达标方为达标。有本年度"
        "数值但缺少比较所需数值的，判为“无法判定”；尚未报送数据的，列为“待填报”；不涉及的指标"
        f"不纳入统计。序时进度按{meta.base_year}年现状值至各阶段目标值均衡推进测算。重点工程按"
        "年度报送的实施状态和累计完成投资评估，建设年限已满仍未完工的列为逾期。"
    )
    status = DATA_STATUSES[m.data_status] if m else NO_MONITORING
    data = f"本报告采用{a.year}年度监测数据（{status}）"
    data += f"，数据来源：{m.source}" if m and m.source else ""
    data += f"。各项指标的数据来源和证明材料见{refs['sources_table']}。"
    return [("评估依据。", basis), ("评估方法。", rules), ("数据来源。", data)]


def report_context(plan: Plan, a: Assessment, charts: list[Chart]) -> dict[str, Any]:
    """Everything report.html.j2 needs. The contents is made from the headings it emits.
    Tables are numbered in the order the report places them; the text cites them by `refs`."""
    figures = {c.name: _figure(c, n) for n, c in enumerate(charts, 1)}
    trends = [figures[c.name] for c in charts if c.name.startswith("trends")]
    timeline = [figures[c.name] for c in charts if c.name.startswith("timeline")]
    steady = steady_table(plan, a, "")
    m = a.monitoring
    milestone = plan.meta.milestone_for(a.year)
    funding = funding_table(m.funding if m else {}, "", a.year)
    order = ["indicators", *(["steady"] if steady else []), "domains", "projects"]
    order += ["funding"] if funding else []
    refs = {name: f"表{n}" for n, name in enumerate(order, 1)}
    refs |= {"detail": "附件1", "project_detail": "附件2", "sources": "附件3"}
    refs["sources_table"] = "附表3"
    tables = {
        "indicators": indicator_table(plan, a, refs["indicators"]),
        "domains": domain_table(a, milestone, refs["domains"]),
        "projects": project_table(plan, a, refs["projects"]),
        "detail": detail_table(a, "附表1"),
        "project_detail": project_detail_table(a, "附表2"),
        "sources": sources_table(a, refs["sources_table"]),
    }
    if funding:
        funding.number = refs["funding"]
        tables["funding"] = funding
    if steady:
        steady.number = refs["steady"]
        tables["steady"] = steady
    refs |= {name: f.number for name, f in figures.items()}
    for name, shown in (("trends", trends), ("timeline", timeline)):  # 图2—图6
        if shown:
            refs[name] = shown[0].number + (f"—{shown[-1].number}" if len(shown) > 1 else "")
    own = (m.problems, m.next_steps, m.own_text) if m else ([], [], "follows")
    today = build_date()
    dated = date_text(m.date if m else None)
    signed = issuer(plan, a)
    return {
        "meta": plan.meta,
        "year": a.year,
        "a": a,
        "m": m,
        "example": a.example,
        "data_status": DATA_STATUSES[m.data_status] if m else NO_MONITORING,
        "pending": PENDING,
        "figures": figures,
        "trends": trends,
        "timeline": timeline,
        "tables": tables,
        "refs": refs,
        "overview": overview(plan, a, refs),
        "paced": paced(a),
        "domains": domain_paragraphs(plan, a),
        "categories": by_category(plan, a),
        "term": term_verdict(plan, a),
        "tasks": _areas(plan.task_areas(), m.tasks if m else {}),
        "safeguards": _areas(plan.safeguards(), m.safeguards if m else {}),
        "problems": numbered(problems(plan, a), own[0], own[2]),
        "next_steps": numbered(next_steps(plan, a), own[1], own[2]),
        "method": method(plan, a, refs),
        "issuer": signed,
        "date_text": dated,
        "signature": signature_lines(signed or "", dated, house_style().chars),
        "annexes": [  # the 附件说明 and the annexes' titles
            f"{a.year}年建设指标评估明细",
            f"{a.year}年重点工程进展明细",
            "评估依据、方法与数据来源",
        ],
        "blank_line": FULL,  # an empty line of the body, as GB/T 9704 spaces 附件说明 and 落款
        "created": today.isoformat(),
    }


def _areas(areas: dict[str, str], reported: dict[str, str | None]) -> list[tuple[str, str, str]]:
    """（一）title and what the monitoring file reports of it, or 待填报."""
    return [
        (f"（{chinese_numeral(i)}）", title, reported.get(num) or PENDING)
        for i, (num, title) in enumerate(areas.items(), 1)
    ]
