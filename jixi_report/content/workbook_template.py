"""`jixi-report xlsx-template`: a workbook that department staff fill in with a year's data.

Offices collect figures in Excel, not YAML. The workbook lists every row and project of the
plan with what the row means (指标值, the governing target, last value), and leaves only the
cells a year's monitoring file takes open: drop-downs where the answer is one of a few words,
number checks where it is a number, everything else locked so ids and headers reach
`workbook_import.py` unchanged. The layout defined here is the one the importer reads back.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..base.errors import UsageError
from ..base.superscripts import plain
from ..base.vocab import (
    CITY_LEVEL,
    KIND_LABELS,
    NOT_APPLICABLE_VALUE,
    PENDING,
    PROJECT_STATUSES,
    RATE_NAMES,
    RATES,
    build_date,
    decimal_text,
)
from .model import Indicator, Plan, Project

INDICATOR_SHEET, PROJECT_SHEET, HELP_SHEET = "指标", "项目", "说明"
MARKER_SHEET = "_jixi"  # very hidden: which plan and year the workbook belongs to
MARKER_KIND = "jixi-report 监测数据填报表"
YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    key: str  # the monitoring file's field for inputs; a name for read-only columns
    header: str
    width: int
    explain: str  # for the 说明 sheet


def indicator_columns(milestone: int) -> list[Column]:
    """The 指标 sheet's columns, in order; the target column is named after its milestone."""
    return [
        Column("id", "编号", 7, "指标编号，不可修改"),
        Column("domain", "领域", 11, "指标所属领域（参考性指标不分领域）"),
        Column("name", "指标名称", 30, "指标名称"),
        Column("unit", "单位", 9, "填报数值所用的单位"),
        Column("standard", "指标值", 24, "规划表1中的指标值"),
        Column("target", f"{milestone}年目标值", 24, f"本年度对照的{milestone}年目标值"),
        Column("previous", "上年数值", 16, "最近已填报年度的数值，无则为现状值；括号内为年份"),
        Column("value", "本年数值", 14, "本年度的数值，或定性指标达到的状态"),
        Column("superior_task_met", "完成上级考核任务", 12, "是否完成上级规定的考核任务"),
        *(Column(key, name, 12, f"复合指标：{name}（%）") for key, name in RATE_NAMES.items()),
        Column("source", "数据来源", 20, "提供数据的单位或统计资料"),
        Column("note", "备注", 30, "需要说明的情况"),
        Column("evidence", "证明材料", 20, "证明材料：文件、报告名称或文号"),
        Column("lead", "牵头单位", 14, "负责该指标的牵头单位（供参考，不可修改）"),
    ]


PROJECT_COLUMNS = [
    Column("no", "序号", 6, "项目序号，不可修改"),
    Column("name", "项目名称", 34, "规划附件中的项目名称"),
    Column("lead", "牵头部门", 22, "牵头部门"),
    Column("division", "所在县区", 12, "项目所在县（市）区"),
    Column("period", "建设年限", 11, "规划的建设年限"),
    Column("investment", "估算总投资（万元）", 14, "规划估算的总投资"),
    Column("status", "实施状态", 10, "从下拉列表选择：" + "、".join(PROJECT_STATUSES)),
    Column("invested", "累计完成投资（万元）", 14, "截至本年底累计完成的投资，不小于0"),
    Column("note", "进展说明", 40, "本年度进展"),
]

_HEAD = PatternFill("solid", fgColor="D9E1F2")
_INPUT = PatternFill("solid", fgColor="FFF2CC")  # yellow: fill in
_NOT_ASKED = PatternFill("solid", fgColor="D9D9D9")  # grey: this row takes nothing here
_OPEN = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")


def check_year(plan: Plan, year: int) -> None:
    period = plan.meta.period
    if not period.start <= year <= period.end:
        raise UsageError(f"year {year} is outside the plan period {period.start}–{period.end}")


TEXT_FIELDS = ("source", "note", "evidence")  # free text a row may carry besides its figures


def row_fields(ind: Indicator) -> tuple[str, ...]:
    """The monitoring fields a row takes, as `new-year`'s skeleton asks for them."""
    assert ind.standard is not None
    rule = ind.standard.rule
    if ind.not_applicable:
        return ("value", *TEXT_FIELDS)  # value: 不涉及, prefilled
    if rule.components:
        return (*(k for k in RATES if k in rule.components), *TEXT_FIELDS)
    return ("value", *(["superior_task_met"] if rule.superior_task else []), *TEXT_FIELDS)


def previous_text(plan: Plan, ind: Indicator, year: int) -> str:
    """上年数值: last year's figures as the report shows them (`Plan.previous`), with the year."""
    names = tuple(k for k in RATES if k in row_fields(ind)) or ("value",)
    found, when = plan.previous(ind, year, names)
    labels = {"start_rate": "启动率", "closure_rate": "结案率"}
    text = "，".join(labels.get(n, "") + decimal_text(v) for n, v in found.items())
    return f"{text}（{when}年）" if found else ""


def unit_projects(plan: Plan, unit: str | None) -> list[Project]:
    """The projects a unit leads (its name equals or appears in 牵头部门); all without one."""
    projects = sorted(plan.projects, key=lambda p: p.no)
    return [p for p in projects if unit is None or unit in p.lead]


def unit_indicators(plan: Plan, unit: str | None) -> list[Indicator]:
    """The rows a unit leads or supports (配合); all without one."""
    return [
        i
        for i in plan.rows
        if unit is None or unit in (i.lead or "") or any(unit in p for p in i.partners)
    ]


def write_template(plan: Plan, year: int, unit: str | None = None) -> bytes:
    """The .xlsx to fill in for `year`; with `unit`, only the rows and projects it leads or
    supports."""
    check_year(plan, year)
    wb = Workbook()
    help_sheet = wb.active
    assert help_sheet is not None
    help_sheet.title = HELP_SHEET
    _indicator_sheet(wb.create_sheet(INDICATOR_SHEET), plan, year, unit_indicators(plan, unit))
    _project_sheet(wb.create_sheet(PROJECT_SHEET), unit_projects(plan, unit))
    _help_sheet(help_sheet, plan, year, unit)
    marker = wb.create_sheet(MARKER_SHEET)
    for row in (("类型", MARKER_KIND), ("年份", year), ("规划", plan.meta.title)):
        marker.append(row)
    marker.sheet_state = "veryHidden"
    marker.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)  # sheets cannot be renamed or added
    wb.properties.creator = "jixi-report"
    out = io.BytesIO()
    wb.save(out)
    return _stable(out.getvalue(), build_date().isoformat())


def _indicator_sheet(ws: Worksheet, plan: Plan, year: int, rows: list[Indicator]) -> None:
    milestone = plan.meta.milestone_for(year)
    columns = indicator_columns(milestone)
    col = {c.key: i + 1 for i, c in enumerate(columns)}
    _header(ws, columns, "D2")
    checks = _Checks(ws)
    for r, ind in enumerate(rows, start=2):
        assert ind.standard is not None
        target = ind.targets.get(milestone)
        shown = {
            "id": ind.id,
            "domain": ind.domain or KIND_LABELS.get(ind.kind or "", ""),
            "name": ind.name,
            "lead": ind.lead or "",
            "unit": plain(ind.display_unit) or "-",
            "standard": ind.standard.text,
            "target": target.text if target else "",
            "previous": previous_text(plan, ind, year),
        }
        for key, text in shown.items():
            _text_cell(ws, r, col[key], text)
        fields = row_fields(ind)
        for key in ("value", "superior_task_met", *RATES, *TEXT_FIELDS):
            cell = ws.cell(r, col[key])
            if key not in fields:
                cell.fill = _NOT_ASKED
                continue
            if key == "value" and ind.not_applicable:
                cell.value = NOT_APPLICABLE_VALUE  # prefilled, locked
                continue
            cell.protection, cell.fill, cell.alignment = _OPEN, _INPUT, _WRAP
            if key in TEXT_FIELDS:
                cell.number_format = "@"
            elif key == "superior_task_met":
                checks.choice([YES, NO]).add(cell)
            elif ind.direction == "none" and key == "value":
                checks.choice(ind.states).add(cell)
            elif key in RATES or ind.unit == "%":
                checks.percent().add(cell)
            else:
                checks.number().add(cell)


def _project_sheet(ws: Worksheet, projects: list[Project]) -> None:
    _header(ws, PROJECT_COLUMNS, "C2")
    checks = _Checks(ws)
    for r, p in enumerate(projects, start=2):
        shown = [str(p.no), p.name, p.lead, p.division or CITY_LEVEL]
        for c, text in enumerate([*shown, f"{p.period.start}-{p.period.end}"], start=1):
            _text_cell(ws, r, c, text)
        ws.cell(r, 6, p.investment).number_format = "#,##0.00"
        for c in (7, 8, 9):
            cell = ws.cell(r, c)
            cell.protection, cell.fill, cell.alignment = _OPEN, _INPUT, _WRAP
        checks.choice(list(PROJECT_STATUSES)).add(ws.cell(r, 7))
        checks.number(minimum=Decimal(0)).add(ws.cell(r, 8))
        ws.cell(r, 9).number_format = "@"


def _help_sheet(ws: Worksheet, plan: Plan, year: int, unit: str | None) -> None:
    milestone = plan.meta.milestone_for(year)
    scope = (
        f"填报单位：{unit}。指标表只列出“{unit}”牵头或配合的指标，项目表只列出牵头部门为（或包含）"
        f"“{unit}”的项目；配合单位只填本单位掌握数据的单元格，其余保持空白。"
        if unit
        else "填报单位：全部（项目表列出全部项目）。"
    )
    lines: list[tuple[str, str]] = [
        (f"{plan.meta.title}：{year}年监测数据填报表", ""),
        ("填报年度", f"{year}年（对照{milestone}年目标值）"),
        ("填报范围", scope),
        ("", ""),
        ("填写方法", "只填写黄色单元格；灰色单元格表示该行不需要填写；其他单元格已锁定。"),
        ("待填报", f"暂无数据的单元格保持空白，即为“{PENDING}”。不要填“无”“暂无”“-”等文字。"),
        (
            "数字",
            "数值必须填数字（如 27.3），不带单位、汉字或空格，单位以“单位”列为准；单位为%的填"
            "百分数的数值（92.6% 填 92.6，也可直接输入 92.6%），应在0–100之间。",
        ),
        (
            "定性指标",
            "从下拉列表选择达到的状态；尚未达到列出的状态时保持空白，并在备注中说明进展。",
        ),
        ("不涉及", f"不涉及的指标已预填“{NOT_APPLICABLE_VALUE}”并锁定。"),
        ("是/否", "“完成上级考核任务”只在指标值含“完成上级规定的考核任务”的行填写，选是或否。"),
        ("不要修改", "不要修改编号、序号、表头和工作表名称，不要插入、删除或移动行和列。"),
        (
            "导入",
            f"各单位的表格可一并导入：jixi-report import --year {year} 文件1.xlsx 文件2.xlsx；"
            "同一单元格在两份表格中数值不同时，导入报错并指出两个单元格。",
        ),
        ("", ""),
        (f"“{INDICATOR_SHEET}”表各列", ""),
        *((c.header, c.explain) for c in indicator_columns(milestone)),
        ("", ""),
        (f"“{PROJECT_SHEET}”表各列", ""),
        *((c.header, c.explain) for c in PROJECT_COLUMNS),
    ]
    for r, (head, text) in enumerate(lines, start=1):
        _text_cell(ws, r, 1, head).font = Font(bold=True, size=14 if r == 1 else 11)
        _text_cell(ws, r, 2, text)
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 90
    ws.protection.sheet = True


def _header(ws: Worksheet, columns: list[Column], freeze: str) -> None:
    for c, column in enumerate(columns, start=1):
        cell = _text_cell(ws, 1, c, column.header)
        cell.font, cell.fill = Font(bold=True), _HEAD
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        ws.column_dimensions[cell.column_letter].width = column.width
    ws.freeze_panes = freeze  # the header row, and the columns naming the row
    ws.protection.sheet = True  # no password: it guards against slips, not people
    ws.protection.formatColumns = ws.protection.formatRows = False  # widths may change


def _text_cell(ws: Worksheet, row: int, column: int, text: str) -> Cell:
    """A text cell, formatted as text: "4.1" and "2" stay text, never numbers."""
    cell: Cell = ws.cell(row, column, text)
    cell.data_type, cell.number_format, cell.alignment = "s", "@", _WRAP
    return cell


class _Checks:
    """The sheet's data validations, one per distinct rule (the cells share it)."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.made: dict[str, DataValidation] = {}

    def _get(self, key: str, error: str, **kw: str) -> DataValidation:
        if key not in self.made:
            dv = DataValidation(
                **kw, allow_blank=True, showErrorMessage=True, errorTitle="输入有误", error=error
            )
            self.ws.add_data_validation(dv)
            self.made[key] = dv
        return self.made[key]

    def choice(self, options: list[str]) -> DataValidation:
        listed = '"' + ",".join(o.replace('"', "") for o in options) + '"'
        return self._get(listed, "请从下拉列表中选择", type="list", formula1=listed)

    def percent(self) -> DataValidation:
        kw = {"type": "decimal", "operator": "between", "formula1": "0", "formula2": "100"}
        return self._get("percent", "请填0–100之间的数字（百分数的数值）", **kw)

    def number(self, minimum: Decimal | None = None) -> DataValidation:
        low = "-1E+15" if minimum is None else str(minimum)
        kw = {"type": "decimal", "operator": "between", "formula1": low, "formula2": "1E+15"}
        error = "请填数字，不带单位和文字" + ("，不小于0" if minimum is not None else "")
        return self._get(f"number{low}", error, **kw)


def _stable(data: bytes, day: str) -> bytes:
    """The same workbook bytes for the same plan, year and build date: zip entries dated
    1980-01-01 and the document's dates set to the build date (SOURCE_DATE_EPOCH)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                stamp = rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*"
                body = re.sub(stamp, rb"\g<1>" + day.encode() + b"T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()
