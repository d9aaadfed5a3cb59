"""The report's prose drawn from the assessment: 总体情况, the paragraph on each 领域, and the
term's verdict or the milestone pace (docs/assessment-rules.md §9). Each sentence states what it
is measured against and names the rows behind its counts."""

from __future__ import annotations

from decimal import Decimal

from ..assess.engine import Assessment, Counts
from ..base.vocab import (
    COUNTED,
    NO_DATA,
    NOT_APPLICABLE,
    PROJECT_DONE,
    PROJECT_STATUSES,
    STATUSES,
    UNDECIDED,
    cited,
    money,
    percent,
    years,
)
from ..content import placeholders
from ..content.model import Plan
from .report_drafts import (
    failing,
    investment_pace,
    misses_target,
    names,
    not_met,
    overdue,
    row_pace,
    short,
    short_of_target,
    term_of,
    undecided,
    without_data,
)
from .report_summary import counts_of, groups
from .report_words import BEHIND, ON_PACE, row_sentence


def plan_table(plan: Plan) -> str:
    """How the plan numbers its indicator table (表1), to name it as the plan does."""
    return placeholders.numbering(plan)[0].get("indicators", "指标体系")


def counted(c: Counts, noun: str) -> str:
    """27项约束性指标中，达标24项、未达标2项、待填报1项."""
    parts = "、".join(f"{STATUSES[s].label}{getattr(c, s)}项" for s in COUNTED if getattr(c, s))
    return f"{c.total}项{noun}中，{parts}"


def _excluded(plan: Plan, c: Counts) -> str:
    labels = {i.id: cited(i.label, i.name) for i in plan.indicators}
    told = "、".join(f"{labels.get(i, i)}（{reason}）" for i, reason in c.excluded)
    return f"{told}不涉及，未纳入统计" if told else ""


def overview(plan: Plan, a: Assessment, refs: dict[str, str]) -> list[str]:
    """一、总体情况: against the standard, against the milestone target, the projects."""
    m = plan.meta.milestone_for(a.year)
    binding, reference = a.counts["binding"], a.counts["reference"]
    first = f"对照规划{plan_table(plan)}确定的指标值（建设标准），{counted(binding, '约束性指标')}"
    if reference.total:
        first += f"；{counted(reference, '参考性指标')}"
    excluded = "；".join(x for x in (_excluded(plan, binding), _excluded(plan, reference)) if x)
    first += f"。{excluded}。" if excluded else "。"
    rows = not_met(a)
    if rows:
        first += f"未达到指标值的约束性指标为{names(rows, failing)}。"
    if "status" in refs:
        first += f"达标情况见{refs['status']}。"
    target = a.target_counts["binding"]
    second = f"对照{m}年目标值，{counted(target, '约束性指标')}"
    shortfall = short_of_target(a)
    if shortfall:
        second += f"。其中，{names(shortfall, misses_target)}达到指标值，但未达到{m}年目标值"
    second += f"。各项指标完成情况见{refs['indicators']}，分领域、分任务汇总见{refs['domains']}。"
    pending, open_ = without_data(a), undecided(a)
    if pending or open_:
        told = []
        if pending:
            told.append(f"{names(pending)}尚未填报{a.year}年数据")
        if open_:
            told.append(f"{names(open_)}有本年度数值，但缺少比较基数，无法判定")
        second += "；".join(told) + "。"
    by_status = [(s, sum(1 for r in a.projects if r.status == s)) for s in PROJECT_STATUSES]
    parts = "、".join(f"{s}{n}项" for s, n in by_status if n)
    waiting = sum(1 for r in a.projects if r.status is None)
    if waiting:
        parts += f"{'、' if parts else ''}待填报{waiting}项"
    third = (
        f"{len(a.projects)}项重点工程中，{parts}；累计完成投资{money(a.invested)}万元，"
        f"占估算总投资{money(a.planned)}万元的{percent(a.invested_share) or '—'}"
    )
    late = overdue(a)
    if late:
        third += f"；{len(late)}项逾期未完工"
    third += f"（见{refs['projects']}）。"
    return [first, second, third]


def paced(a: Assessment) -> str:
    """四、重点工程's word on the investment's pace, after the projects' overview sentence (一、
    states that sentence alone: the pace is the detail): what the projects' years say should
    be invested by now, where the projects lag it; else nothing."""
    pace = investment_pace(a)
    if pace.share is None or pace.invested >= pace.expected:
        return ""
    return (
        f"按各项目建设年限均衡推进测算，截至{a.year}年底应完成投资{money(pace.expected, 0)}"
        f"万元，实际完成投资为应完成额的{percent(pace.share)}。"
    )


def by_category(plan: Plan, a: Assessment) -> str:
    """四、's account by 工程类型: how many, how many done, invested against the estimate."""
    told = []
    for cat, count, planned in plan.category_totals():
        rows = [r for r in a.projects if r.project.category == cat.name]
        done = sum(1 for r in rows if r.status == PROJECT_DONE)
        invested = sum((r.invested for r in rows if r.invested is not None), Decimal(0))
        share = (
            f"，占该类估算总投资的{percent(invested / planned)}"
            if planned
            else "（该类未列估算投资）"
        )
        told.append(f"{cat.name}{count}项，完工{done}项，累计完成投资{money(invested)}万元{share}")
    return "按工程类型，" + "；".join(told) + "。" if told else ""


def domain_paragraphs(plan: Plan, a: Assessment) -> list[tuple[str, str]]:
    """（一）目标责任 …: the counts of a 领域, then each of its rows with its figure, its change
    and its judgement."""
    out = []
    for g in groups(a):
        rows = g.rows
        c = counts_of(rows)
        noun = "项指标" if g.domain != "参考性指标" else "项参考性指标"
        head = f"{g.domain}{'领域' if g.domain != '参考性指标' else ''}"
        parts = "、".join(f"{STATUSES[s].label}{getattr(c, s)}项" for s in COUNTED if getattr(c, s))
        text = f"共{len(rows)}{noun}，{parts}" if parts else f"共{len(rows)}{noun}"
        if c.excluded:
            text += f"，不涉及{len(c.excluded)}项"
        below = [r for r in rows if short(r)]
        if below:
            m = below[0].milestone
            text += f"；达标的指标中{len(below)}项未达到{m}年目标值"
        said = []
        for row in rows:
            for r in row.children or [row]:
                if r.indicator.has_values and r.status.status != NOT_APPLICABLE:
                    said.append(row_sentence(r, a.year, plan.meta.base_year))
        text += "。" + ("其中，" + "；".join(said) + "。" if said else "")
        out.append((head, text))
    return out


def term_verdict(plan: Plan, a: Assessment) -> tuple[str, list[str]]:
    """In a term's last year, whether its goal was reached; in other years, which rows keep
    to the pace their path to the milestone asks for."""
    term = term_of(plan, a.year)
    span = f"{years(term.start, term.end)}年"
    stage = f"，{term.stage}" if term.stage else ""
    top = [r for r in a.rows if r.indicator.parent is None and r.indicator.kind == "binding"]
    if a.year == term.end:
        target = a.target_counts["binding"]
        said = [f"{a.year}年是规划{term.name}（{span}{stage}）的最后一年。"]
        if term.goal:
            said[0] += f"规划确定的{term.name}目标是“{term.goal}”。"
        missing = [r for r in top if r.target.status in (NO_DATA, UNDECIDED)]
        failed = [r for r in top if misses_target(r)]
        verdict = f"对照{term.end}年目标值，{counted(target, '约束性指标')}。"
        if failed:
            verdict += (
                f"{names(failed, misses_target)}未达到{term.end}年目标值，"
                f"{term.name}目标尚未全面实现。"
            )
        elif missing:
            verdict += (
                f"{names(missing)}尚无可判定的数据，{term.name}目标是否全面实现待数据补齐后确定。"
            )
        else:
            verdict += (
                f"约束性指标全部达到{term.end}年目标值，{term.name}目标确定的指标要求已经实现。"
            )
        said.append(verdict)
        return f"{term.name}目标实现情况", said
    paced = [(r, row_pace(r)) for r in top]
    on = [r for r, p in paced if p == ON_PACE]
    behind = [r for r, p in paced if p == BEHIND]
    unknown = [r for r, p in paced if p is None and r.status.status != NOT_APPLICABLE]
    said = [
        f"{a.year}年是规划{term.name}（{span}{stage}）的第{a.year - term.start + 1}年。"
        f"按照由{plan.meta.base_year}年现状值到{term.end}年目标值均衡推进测算，"
        f"{len(top)}项约束性指标中，{len(on)}项达到序时进度，{len(behind)}项滞后于序时进度"
        + (f"，{len(unknown)}项尚不能判断" if unknown else "")
        + "。"
    ]
    if behind:
        said.append(f"滞后于序时进度的指标为{names(behind)}。")
    return "序时进度情况", said
