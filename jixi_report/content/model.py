"""Typed content: what a plan is made of, and the totals computed from it.

Single values are validated by the field types (`fields.py`); what each year adds is in
`yearly.py`. Checks across items and files live in `checks.py` and `monitoring_checks.py`;
`load.py` builds a `Plan` only from content that passed them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import PlainValidator
from pydantic_core import PydanticCustomError

from ..base.problems import shown
from ..base.vocab import NOT_APPLICABLE_VALUE, REFERENCE_MARK, states_meeting, years
from .fields import DocDate, Model, Num, Text, Value, Year, YearKey
from .yearly import Monitoring, Revision

# ---- plan.yaml -------------------------------------------------------------------------------


class Region(Model):
    name: Text
    province: Text | None = None
    zone: Text | None = None
    divisions: list[Text] = []


class Span(Model):
    start: Year
    end: Year


class Term(Model):
    name: Text
    start: Year
    end: Year
    stage: Text | None = None
    goal: Text | None = None  # the term's goal, quoted from the plan's text (checked there)


class PlanMeta(Model):
    title: Text
    region: Region
    base_year: Year
    period: Span
    terms: list[Term]
    issuer: Text | None = None  # 发布机关: the plan's cover and 落款
    compiler: Text | None = None  # 编制单位: the plan's cover; the assessment reports' 落款
    date: DocDate | None = None  # the plan's date (成文日期): its cover and 落款
    printer: Text | None = None  # 印发机关 of the 版记
    cc: list[Text] = []
    task_chapter: Text | None = None  # the chapter whose 一、二、… areas the report follows
    safeguard_chapter: Text | None = None  # the chapter of 保障措施 the report accounts for
    basis: list[Text] = []  # documents the assessment rests on besides the plan (评估依据)

    @property
    def full_title(self) -> str:
        """The plan's title with its period, as a document cites it: 鸡西市生态文明建设示范区规划
        （2024—2030年）."""
        return f"{self.title}（{years(self.period.start, self.period.end)}年）"

    @property
    def milestones(self) -> list[int]:
        """The years whose targets govern, one per term (its last year)."""
        return [t.end for t in self.terms]

    def milestone_for(self, year: int) -> int:
        """The milestone whose target governs `year` (2024–2025 → 2025, 2026–2030 → 2030)."""
        for term in self.terms:
            if year <= term.end:
                return term.end
        return self.terms[-1].end


# ---- chapters --------------------------------------------------------------------------------


class Paragraph(Model):
    text: str
    lead: Text | None = None


class Figure(Model):
    number: Text
    caption: Text
    image: Text | None = None


TableSource = Literal["indicators", "project_summary", "projects"]


class TableRef(Model):
    source: TableSource
    number: Text | None = None
    caption: Text | None = None


class Section(Model):
    number: Text | None = None
    title: Text
    level: int
    body: list[Block]


Block = Paragraph | Figure | TableRef | Section


class Chapter(Model):
    number: Text
    title: Text
    appendix: bool = False
    body: list[Block]
    source: Path


# ---- indicators.yaml -------------------------------------------------------------------------


class RegionRule(Model):
    regions: list[Text]
    rule: Rule


class Rule(Model):
    """What a 指标值 or 目标值 cell means; see docs/content-format.md."""

    superior_task: bool = False
    min: Num | None = None
    max: Num | None = None
    equals: Num | None = None
    above: Num | None = None
    improving: bool = False
    stable: bool = False
    state: Text | None = None
    components: dict[str, Rule] | None = None
    by_region: list[RegionRule] | None = None
    not_applicable: Text | None = None


class Cell(Model):
    text: Text
    rule: Rule


class Baseline(Model):
    text: Text
    value: Value | None = None
    superior_task_met: bool | None = None
    start_rate: Num | None = None
    closure_rate: Num | None = None


class Task(Model):
    number: Text
    name: Text


_CHANGE = re.compile(r"\A([△Δ][^≥≤＞＜><=＝]*?)\s*[≥≤＞＜><=＝]")  # △EQI＞-1: a change is judged


class Indicator(Model):
    id: Text
    number: Text | None = None
    parent: Text | None = None
    kind: Literal["binding", "reference"] | None = None
    domain: Text | None = None
    task: Task | None = None
    name: Text
    unit: Text | None = None
    value_unit: Text | None = None  # the reported figures' unit where Table 1 prints none (%)
    lead: Text | None = None  # 牵头单位
    partners: list[Text] = []  # 配合单位
    marked: bool = False
    direction: Literal["higher", "lower", "none"] | None = None
    tolerance: Num = Decimal(0)
    not_applicable: Text | None = None
    standard: Cell | None = None
    baseline: Baseline | None = None
    targets: dict[YearKey, Cell] = {}

    @property
    def has_values(self) -> bool:
        return self.standard is not None

    @property
    def label(self) -> str:
        """The row's one visible number in every report: 4, 4.1 (a sub-row), 参1 (reference)."""
        if self.parent:
            return self.id
        if self.kind == "reference":
            return f"{REFERENCE_MARK}{self.number or self.id}"
        return self.number or self.id

    @property
    def display_unit(self) -> str:
        return "" if self.unit in (None, "-") else self.unit

    @property
    def figure_unit(self) -> str:
        """The unit a reported figure is written with: Table 1's, or `value_unit` where Table 1
        prints none (森林覆盖率 is a percentage under the column's “-”)."""
        return self.value_unit or self.display_unit

    @property
    def report_unit(self) -> str:
        """The unit the report's tables print beside its figures: `figure_unit`, else the
        plan's own entry (its “-”)."""
        return self.figure_unit or self.unit or ""

    @property
    def measures_change(self) -> bool:
        """Whether the reported figures are a change the standard judges (△EQI＞-1), not the
        indicator's own level."""
        return bool(self.standard and _CHANGE.match(self.standard.text))

    @property
    def measured(self) -> str:
        """What the reported figures are: the indicator, or its change where the standard
        judges one: 生态质量指数（EQI）的变化值（△EQI）."""
        change = _CHANGE.match(self.standard.text) if self.standard else None
        return f"{self.name}的变化值（{change[1]}）" if change else self.name

    @property
    def states(self) -> list[str]:
        """What a qualitative row may report: the states its rules name, the stronger ones
        that meet them (完善 meets 建立), and 不涉及 where a rule or the row allows it."""
        if self.not_applicable:
            return [NOT_APPLICABLE_VALUE]
        rules = [c.rule for c in (self.standard, *self.targets.values()) if c is not None]
        nested = [r for rule in rules for r in _nested(rule)]
        states = [s for r in nested if r.state for s in states_meeting(r.state)]
        if any(r.not_applicable for r in nested):
            states.append(NOT_APPLICABLE_VALUE)
        return list(dict.fromkeys(states))


def _nested(rule: Rule) -> list[Rule]:
    """A rule and every rule inside it (by region, components)."""
    inner = [r.rule for r in rule.by_region or []] + list((rule.components or {}).values())
    return [rule, *(r for sub in inner for r in _nested(sub))]


# ---- projects.yaml ---------------------------------------------------------------------------

_PERIOD = re.compile(r"\s*(\d{4})\s*[-－—–~～至]\s*(\d{4})\s*\Z")


def _period(value: Any) -> Span:
    if isinstance(value, Span):
        return value
    match = _PERIOD.match(value) if isinstance(value, str) else None
    if not match:
        raise PydanticCustomError(
            "period",
            "expected start-end years such as 2024-2030, got {got}",
            {"got": shown(value)},
        )
    return Span(start=int(match[1]), end=int(match[2]))


class Category(Model):
    name: Text
    summary: Text | None = None


class Project(Model):
    no: int
    category: Text
    name: Text
    content: Text
    period: Annotated[Span, PlainValidator(_period)]
    investment: Num
    lead: Text
    division: Text | None = None


# ---- the whole plan --------------------------------------------------------------------------


def _present(record: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of an observation or baseline that hold a figure."""
    found = {n: getattr(record, n, None) for n in names} if record is not None else {}
    return {n: v for n, v in found.items() if v is not None and v != NOT_APPLICABLE_VALUE}


def task_areas(chapters: list[Chapter], task_chapter: str | None) -> dict[str, str]:
    """Area number (一、) → title of the sections of the chapter that `task_chapter` names."""
    chapter = next((c for c in chapters if c.number == task_chapter), None)
    if chapter is None:
        return {}
    return {b.number: b.title for b in chapter.body if isinstance(b, Section) and b.number}


@dataclass
class Plan:
    """Everything under one content directory, validated; built only when nothing was wrong.

    Sub-indicators carry their parent's kind, domain and task (filled in by `load`).
    """

    root: Path
    meta: PlanMeta
    chapters: list[Chapter]
    indicators: list[Indicator]
    categories: list[Category]
    projects: list[Project]
    monitoring: dict[int, Monitoring] = field(default_factory=dict)
    revision: Revision | None = None  # revision.yaml, when the content has one

    @property
    def rows(self) -> list[Indicator]:
        """Indicators that carry values (Table 1's rows with figures)."""
        return [i for i in self.indicators if i.has_values]

    def top_level(self, kind: str) -> list[Indicator]:
        return [i for i in self.indicators if i.parent is None and i.kind == kind]

    def children(self, parent_id: str) -> list[Indicator]:
        return [i for i in self.indicators if i.parent == parent_id]

    def previous(
        self, ind: Indicator, year: int, names: tuple[str, ...] = ("value",)
    ) -> tuple[dict[str, Any], int | None]:
        """The figures `names` of the nearest earlier year that reported any of them (不涉及 is
        no figure), else the baseline's, with that year (docs/assessment-rules.md §2): what a
        trend compares with, and what the report and the fill-in workbook show as last year's."""
        for y in sorted((y for y in self.monitoring if y < year), reverse=True):
            obs = self.monitoring[y].indicators.get(ind.id)
            found = _present(obs, names)
            if found:
                return found, y
        found = _present(ind.baseline, names)
        return (found, self.meta.base_year) if found else ({}, None)

    def task_areas(self) -> dict[str, str]:
        """The areas (一、二、…) of the task chapter, which the report's 重点任务进展 follows."""
        return task_areas(self.chapters, self.meta.task_chapter)

    def safeguards(self) -> dict[str, str]:
        """The measures (一、二、…) of the 保障措施 chapter, which the report accounts for."""
        return task_areas(self.chapters, self.meta.safeguard_chapter)

    def category_totals(self) -> list[tuple[Category, int, Decimal]]:
        """(category, project count, investment) in the plan's order."""
        return [
            (
                c,
                sum(1 for p in self.projects if p.category == c.name),
                sum((p.investment for p in self.projects if p.category == c.name), Decimal(0)),
            )
            for c in self.categories
        ]

    @property
    def total_investment(self) -> Decimal:
        return sum((p.investment for p in self.projects), Decimal(0))
