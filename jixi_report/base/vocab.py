"""The words, marks, colours and number formats every document shares: one place for each.

Templates, charts and writers take a status's label, mark, CSS class and colour from here, and
format every amount, decimal, percentage and Chinese numeral with the functions below, so the
table, the chart and the sentence about one figure cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .clock import build_date as build_date  # where the build date is decided
from .style import Fill, house_style

# ---- judgements (docs/assessment-rules.md §1) ----------------------------------------------

MET, NOT_MET, NO_DATA, NOT_APPLICABLE = "met", "not_met", "no_data", "not_applicable"
UNDECIDED = "undecided"  # the year's data is there; what it is compared with is not


@dataclass(frozen=True)
class Status:
    """One outcome of a judgement, as every output shows it."""

    code: str  # met, not_met, no_data, not_applicable (the JSON export's words)
    label: str  # 达标
    mark: str  # √: the mark keeps the meaning in a greyscale print

    @property
    def css(self) -> str:
        """The class of a table cell showing it (HTML subset): not-met."""
        return self.code.replace("_", "-")

    @property
    def marked(self) -> str:
        """Mark and label, as a table cell shows them: √ 达标."""
        return f"{self.mark} {self.label}"

    @property
    def colour(self) -> str:
        """Text colour in tables (PDF, Word and the HTML page), from templates/style.yaml."""
        return house_style().colours[self.code].text

    @property
    def fill(self) -> Fill:
        """Fill and hatching in charts, from templates/style.yaml."""
        return house_style().colours[self.code]


STATUSES: dict[str, Status] = {
    MET: Status(MET, "达标", "√"),
    NOT_MET: Status(NOT_MET, "未达标", "×"),
    UNDECIDED: Status(UNDECIDED, "无法判定", "△"),
    NO_DATA: Status(NO_DATA, "待填报", "○"),
    NOT_APPLICABLE: Status(NOT_APPLICABLE, "不涉及", "—"),
}
COUNTED = (MET, NOT_MET, UNDECIDED, NO_DATA)  # the statuses a count shows, in this order

PENDING = STATUSES[NO_DATA].label  # a value, project or text not yet reported
NOT_APPLICABLE_VALUE = STATUSES[NOT_APPLICABLE].label  # a year's value meaning "not applicable"

PROGRESS_LABELS = {
    "achieved": "已达到目标",
    "substantial": "进展显著",
    "moderate": "进展一般",
    "limited": "进展有限",
    "deterioration": "出现倒退",
}
BASIS_LABELS = {
    "threshold": "对照指标值",
    "improving": "较上一期改善",
    "stable": "保持稳定",
    "qualitative": "建设情况",
    "superior_task": "上级考核任务",
    "composite": "复合判定",
    "rollup": "分项汇总",
    "not_applicable": "不涉及",
}
KIND_LABELS = {"binding": "约束性指标", "reference": "参考性指标"}


def cited(label: str, text: str) -> str:
    """A row's number and its name as the text cites them (4.2 PM2.5浓度), joined by a
    no-break space: a line may not end on the number and leave the name to the next."""
    return f"{label}\u00a0{text}"


REFERENCE_MARK = "参"  # reference rows are numbered within their group, as Table 1 prints them
# A state that satisfies a weaker one (docs/assessment-rules.md §3): 完善 ⊇ 建立, 有效开展 ⊇ 开展.
STATE_SATISFIES = {"建立": ("建立", "完善"), "开展": ("开展", "有效开展")}


def states_meeting(state: str) -> tuple[str, ...]:
    """The reported states that meet a rule asking for `state`."""
    return STATE_SATISFIES.get(state, (state,))


# ---- projects and data -----------------------------------------------------------------------

PROJECT_STATUSES = ("未开工", "前期", "在建", "完工")  # as a year's monitoring file writes them
# A composite row's figures (27 生态环境损害赔偿), by their field and as the text names them
RATE_NAMES = {"start_rate": "案件线索启动率", "closure_rate": "案件结案率"}
RATE_SHORT = {"start_rate": "启动率", "closure_rate": "结案率"}  # in a table's cell
RATES = tuple(RATE_NAMES)
PROJECT_DONE = "完工"
OVERDUE = "逾期"  # past the project's last year and not 完工
CITY_LEVEL = "市级"  # a project with no county-level division
CITY_LEVEL_GROUP = "市级及跨区"  # the group of such projects in a chart
DATA_STATUSES = {"example": "示例数据", "provisional": "初步数据", "official": "正式数据"}
NO_MONITORING = "无监测数据"


def project_state(status: str | None, overdue: bool) -> str:
    """A project's 实施状态 in words, one wording for the tables and the timeline's legend:
    as reported, 逾期 added when it is past its last year, 待填报 when not reported."""
    if status is None:
        return PENDING
    return f"{status}（{OVERDUE}）" if overdue else status


# ---- numbers ---------------------------------------------------------------------------------


def decimal_text(value: Any) -> str:
    """A number as an office writes it, without exponent or trailing zeros: 91.8, 100, 0.35."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return "" if value is None else str(value)


def grouped(text: str) -> str:
    """A figure written with Python's "," grouping, in the house style's separator
    (templates/style.yaml `numbers`)."""
    return text.replace(",", house_style().numbers.thousands)


def value_text(value: Any) -> str:
    """A monitored value as shown (grouped: 3,120,000), or 待填报 when there is none."""
    if value is None:
        return PENDING
    if isinstance(value, Decimal):
        return grouped(f"{value.normalize():,f}")
    return str(value)


def decimal_places(*values: Decimal) -> int:
    """The most decimals any of the figures has as written (trailing zeros aside): 96.4 and
    95.8 → 1; 188060.06 and 784447 → 2; whole figures → 0."""
    return max([0, *(-v.normalize().as_tuple().exponent for v in values)])


def money(value: Decimal, places: int | None = None) -> str:
    """万元 with thousands separators: as printed (4,078.06, 784,447, 0), or with `places`
    decimals where figures stand in a column (4,078.10)."""
    if places is not None:
        return grouped(f"{value:,.{places}f}")
    return grouped(f"{value.normalize():,f}") if value else "0"


def hundred_millions(value: Decimal) -> str:
    """万元 as 亿元 to two places, as prose rounds it: 1004117.06 → 100.41."""
    return str((value / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP))


def percent(share: Decimal | None) -> str:
    """A share as a percentage to one place: 0.4123 → 41.2%; nothing when unknown."""
    return "" if share is None else f"{(share * 100).quantize(Decimal('0.1'))}%"


def hundredths(value: Decimal) -> Decimal:
    """A derived figure (a ratio, a path value) as it is shown: two places. Decisions are
    taken on the exact value."""
    return value.quantize(Decimal("0.01"))


def axis_number(value: float) -> str:
    """A chart axis tick: plain, with thousands separators, never 1e6 or an offset."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else grouped(text).replace("-", "\u2212")


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1…99 in Chinese numerals as in numbering: （二）, 十二."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + ("" if ones == 0 and tens else _DIGITS[ones])


def chinese_count(n: int) -> str:
    """1…99 in Chinese numerals before a measure word: 五大领域, 两大类, 十二项."""
    return "两" if n == 2 else chinese_numeral(n)


# ---- dates -----------------------------------------------------------------------------------


BLANK_DATE = "____年__月__日"  # a date the content does not give: left to be written in


def years(start: int, end: int) -> str:
    """A span of years as the report writes it, in text (2024—2030年) and in tables alike: the
    一字线 of GB/T 15834 for a range."""
    return f"{start}—{end}"


def date_text(iso: str | None) -> str:
    """A date the content gives ("2025-03-15" or the month "2025-03") as a document prints it
    (2025年3月15日, 2025年3月); none gives the blank a signer fills in by hand."""
    if not iso:
        return BLANK_DATE
    parts = [int(x) for x in iso.split("-")]
    return "".join(f"{n}{unit}" for n, unit in zip(parts, "年月日", strict=False))
