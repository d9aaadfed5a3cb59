"""What the report drafts from the data for its reader to sign: the term's verdict, the
problems and the next steps (docs/assessment-rules.md §9). The office's own text, in the
monitoring file, follows these items or replaces them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..assess.engine import Assessment, ProjectRow, Row
from ..base.vocab import (
    MET,
    NO_DATA,
    NOT_MET,
    PROJECT_DONE,
    UNDECIDED,
    chinese_numeral,
    cited,
    money,
    percent,
    years,
)
from ..content.model import Cell, Indicator, Plan, Term
from .report_words import BEHIND, ON_PACE, figure, pace, rates_text


@dataclass
class Item:
    """One numbered item of 存在问题 or 下一步工作: its lead sentence (run in as a heading of its
    level: 楷体) and the detail."""

    lead: str
    text: str


def units(rows: list[Row]) -> str:
    """The leading units of `rows`, each once, in table order: 市生态环境局、市林草局."""
    return "、".join(dict.fromkeys(r.indicator.lead for r in rows if r.indicator.lead))


def _named(r: Row) -> str:
    return cited(r.indicator.label, r.indicator.name)


def names(rows: list[Row], pick: Callable[[Row], bool] | None = None) -> str:
    """Rows as the text names them; a parent with the sub-rows `pick` selects, which make its
    judgement: 6 城乡环境治理（6.5 声环境功能区夜间达标率）."""
    told = []
    for r in rows:
        inner = [c for c in r.children if pick and pick(c)]
        told.append(_named(r) + (f"（{'、'.join(_named(c) for c in inner)}）" if inner else ""))
    return "、".join(told)


def leaves(rows: list[Row], pick: Callable[[Row], bool]) -> list[Row]:
    """The rows with figures behind `rows`: each parent's sub-rows that `pick` selects."""
    return [c for r in rows for c in ([x for x in r.children if pick(x)] or [r])]


def _leaves(a: Assessment) -> list[Row]:
    """The rows that carry figures (sub-rows rather than their parents)."""
    return [r for r in a.rows if r.indicator.has_values]


def _top_binding(a: Assessment) -> list[Row]:
    return [r for r in a.rows if r.indicator.parent is None and r.indicator.kind == "binding"]


def failing(r: Row) -> bool:
    return r.status.status == NOT_MET


def short(r: Row) -> bool:
    return r.status.status == MET and r.target.status == NOT_MET


def misses_target(r: Row) -> bool:
    return r.target.status == NOT_MET


def not_met(a: Assessment) -> list[Row]:
    """Binding rows (as counted: parents rolled up) not meeting the standard (指标值)."""
    return [r for r in _top_binding(a) if failing(r)]


def short_of_target(a: Assessment) -> list[Row]:
    """Binding rows meeting the standard but not the governing milestone target."""
    return [r for r in _top_binding(a) if short(r)]


def without_data(a: Assessment) -> list[Row]:
    return [r for r in _leaves(a) if r.status.status == NO_DATA]


def undecided(a: Assessment) -> list[Row]:
    return [r for r in _leaves(a) if r.status.status == UNDECIDED]


def overdue(a: Assessment) -> list[ProjectRow]:
    return [r for r in a.projects if r.overdue]


def term_of(plan: Plan, year: int) -> Term:
    return next((t for t in plan.meta.terms if t.start <= year <= t.end), plan.meta.terms[-1])


def row_pace(row: Row) -> str | None:
    """A parent's pace from its sub-rows: behind if any is, on pace if every judged one is."""
    if not row.children:
        return pace(row)
    found = [p for p in (pace(c) for c in row.children) if p is not None]
    if BEHIND in found:
        return BEHIND
    return ON_PACE if found and len(found) == len(row.children) else None


# ---- investment pace -------------------------------------------------------------------------


def elapsed(r: ProjectRow, year: int) -> Decimal:
    """The share of a project's construction years that have passed by the end of `year`."""
    start, end = r.project.period.start, r.project.period.end
    done = min(max(year - start + 1, 0), end - start + 1)
    return Decimal(done) / Decimal(end - start + 1)


# A project is named as behind when its invested share trails the share of its construction
# years already passed by more than this (§9): a year's ordinary unevenness is not a finding.
PACE_GAP = Decimal("0.2")
PACE_GAP_POINTS = int(PACE_GAP * 100)


@dataclass
class Pace:
    expected: Decimal  # 万元 the projects' years so far call for, at an even pace
    invested: Decimal
    behind: list[ProjectRow]  # reported, not 完工, invested share PACE_GAP below elapsed share

    @property
    def share(self) -> Decimal | None:
        return self.invested / self.expected if self.expected else None


def investment_pace(a: Assessment) -> Pace:
    reported = [r for r in a.projects if r.invested is not None]
    expected = sum((r.project.investment * elapsed(r, a.year) for r in reported), Decimal(0))
    behind = [
        r
        for r in reported
        if r.status != PROJECT_DONE
        and r.share is not None
        and r.share < elapsed(r, a.year) - PACE_GAP
        and not r.overdue  # told apart, as overdue
    ]
    invested = sum((r.invested for r in reported if r.invested is not None), Decimal(0))
    return Pace(expected.quantize(Decimal("0.01")), invested, behind)


def _project(r: ProjectRow) -> str:
    return f"{r.project.no}号{r.project.name}"


# ---- the drafted items -----------------------------------------------------------------------


def problems(plan: Plan, a: Assessment) -> list[Item]:
    """存在问题 drafted from the data, most serious first."""
    items = []
    rows = not_met(a)
    if rows:
        told = _told(leaves(rows, failing), lambda i: f"指标值为{with_unit(i.standard, i)}")
        items.append(Item(f"{len(rows)}项约束性指标未达到指标值。", f"{told}。"))
    below = short_of_target(a)
    if below:
        m = below[0].milestone
        told = _told(
            leaves(below, misses_target), lambda i: f"{m}年目标值为{with_unit(i.targets[m], i)}"
        )
        items.append(Item(f"{len(below)}项约束性指标达到指标值但未达到{m}年目标值。", f"{told}。"))
    late = overdue(a)
    if late:
        same: dict[tuple[int, int, str | None], list[ProjectRow]] = {}
        for r in late:  # told once for projects of the same years and status
            same.setdefault((r.project.period.start, r.project.period.end, r.status), []).append(r)
        told = "；".join(
            "、".join(f"{_project(r)}（牵头部门：{r.project.lead}）" for r in rows)
            + f"建设年限{'均' if len(rows) > 1 else ''}为{years(start, end)}年，"
            f"截至{a.year}年底仍处于{status}阶段"
            for (start, end, status), rows in same.items()
        )
        items.append(Item(f"{len(late)}项重点工程逾期未完工。", f"{told}。"))
    p = investment_pace(a)
    if p.share is not None and p.invested < p.expected:
        told = (
            f"截至{a.year}年底，已报送项目累计完成投资{money(p.invested)}万元，按各项目建设年限"
            f"均衡推进应完成{money(p.expected, 0)}万元，实际完成投资为应完成额的{percent(p.share)}"
        )
        if p.behind:
            told += (
                f"；投资完成比例落后建设年限进度{PACE_GAP_POINTS}个百分点以上的项目有"
                + "、".join(f"{_project(r)}（{percent(r.share)}）" for r in p.behind)
            )
        items.append(Item("重点工程投资进度滞后于建设年限。", f"{told}。"))
    missing, open_ = without_data(a), undecided(a)
    if missing or open_:
        told = []
        if missing:
            told.append(f"{names(missing)}尚未报送{a.year}年数据" + _by(missing))
        lacking: dict[str, list[Row]] = {}
        for r in open_:
            lacking.setdefault("、".join(r.status.missing), []).append(r)
        told += [f"{names(rows)}缺少{what}，无法判定" for what, rows in lacking.items()]
        items.append(Item(f"{len(missing) + len(open_)}项指标数据不完整。", "；".join(told) + "。"))
    return items


_BARE_BOUND = re.compile(r"[≥≤＞＜><]?\d+(\.\d+)?")


def with_unit(cell: Cell | None, ind: Indicator) -> str:
    """A bound as the text quotes it: Table 1's cell, with the figures' unit where the cell is
    a bare number (100 → 100%, ≥70 → ≥70%)."""
    if cell is None:
        return ""
    bare = _BARE_BOUND.fullmatch(cell.text)
    return cell.text + ind.figure_unit if bare else cell.text


def _told(rows: list[Row], bound: Callable[[Indicator], str]) -> str:
    """Each row with its figure, the bound it misses and its 牵头单位: 22 绿色出行比例63.5%，
    指标值为≥70（牵头单位：市交通运输局）."""
    return "；".join(
        f"{_named(r)}{figure(r.indicator, r.value) or rates_text(r.inputs, r.indicator)}，"
        f"{bound(r.indicator)}" + (f"（牵头单位：{r.indicator.lead}）" if r.indicator.lead else "")
        for r in rows
    )


def _by(rows: list[Row]) -> str:
    who = units(rows)
    return f"（牵头单位：{who}）" if who else ""


def next_steps(plan: Plan, a: Assessment) -> list[Item]:
    """下一步工作 drafted from the same findings, one step for each kind of problem."""
    items = []
    rows = leaves(not_met(a), failing) + leaves(short_of_target(a), misses_target)
    if rows:
        items.append(
            Item(
                "推动未达标指标整改提升。",
                f"督促{units(rows) or '牵头单位'}针对{names(rows)}查找原因，制定整改措施，"
                "明确责任人和完成时限，逐项跟踪落实。",
            )
        )
    late = overdue(a)
    if late:
        leads = "、".join(dict.fromkeys(r.project.lead for r in late))
        items.append(
            Item(
                "加快逾期重点工程建设。",
                f"督促{leads}倒排工期，协调解决制约因素，推动"
                + "、".join(_project(r) for r in late)
                + "尽快完工。",
            )
        )
    p = investment_pace(a)
    if p.behind:
        leads = "、".join(dict.fromkeys(r.project.lead for r in p.behind))
        items.append(
            Item(
                "加快重点工程投资进度。",
                f"督促{leads}落实建设资金，推动"
                + "、".join(_project(r) for r in p.behind)
                + "按建设年限完成投资。",
            )
        )
    missing, open_ = without_data(a), undecided(a)
    if missing or open_:
        asked = []
        if missing:
            asked.append(f"补报{names(missing)}的{a.year}年数值和证明材料")
        if open_:
            asked.append(f"补齐{names(open_)}比较所需的数值")
        items.append(
            Item(
                "夯实监测统计基础。",
                f"督促{units(missing + open_) or '牵头单位'}{'，'.join(asked)}，"
                "健全指标数据按时报送机制。",
            )
        )
    term = term_of(plan, a.year)
    later = [t for t in plan.meta.terms if t.start > term.end]
    if a.year == term.end and later:
        nxt = later[0]
        items.append(
            Item(
                f"谋划{nxt.name}建设任务。",
                f"对照规划{nxt.end}年目标值，梳理{term.name}未达标指标和滞后工程，"
                f"明确{years(nxt.start, nxt.end)}年各项任务的责任单位和完成时限。",
            )
        )
    return items


def _own(text: str) -> Item:
    """The office's item, its first sentence set as the lead like the drafted ones."""
    lead, stop, rest = text.partition("。")
    return Item(lead + stop, rest) if stop and rest else Item("", text)


def numbered(items: list[Item], own: list[str], own_text: str) -> list[Item]:
    """The drafted items, then the office's own (or the office's own alone), numbered （一）…"""
    merged = ([] if own_text == "replaces" else items) + [_own(t) for t in own]
    return [Item(f"（{chinese_numeral(n)}）{i.lead}", i.text) for n, i in enumerate(merged, 1)]
