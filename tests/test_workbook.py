"""Excel data entry: the template a department fills in, and its import into monitoring/YYYY.yaml.

Every workbook here is written by `write_template`, filled in with openpyxl as a colleague would
in Excel, and read back from disk; each bad input is checked by its exact one-line message.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import MINI
from openpyxl.workbook.workbook import Workbook

from jixi_report.base.errors import ContentError, UsageError
from jixi_report.content.load import load
from jixi_report.content.model import Plan
from jixi_report.content.monitoring_file import write_monitoring
from jixi_report.content.workbook_import import read_workbooks
from jixi_report.content.workbook_template import write_template

YEAR = 2026  # the mini plan has data for 2024 and 2025 only
NAME = "monitoring-2026.xlsx"
# The mini plan's 指标 rows: 2 → 1.1 (μg/m3, 上级考核任务), 3 → 1.2 (不涉及), 4 → 2 (%),
# 5 → 3 (composite), 6 → 4 (qualitative), 7 → R1 (%), 8 → R2 (亩); 项目 rows: 2 → 1, 3 → 2.


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Plan:
    """The mini plan copied into tmp_path, which is also the working directory (messages
    name files relative to it)."""
    shutil.copytree(MINI, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return load(tmp_path / "content")


def workbook(data: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def fill(
    plan: Plan,
    cells: dict[str, Any],
    name: str = NAME,
    year: int = YEAR,
    edit: Callable[[Workbook], None] | None = None,
) -> Path:
    """A template filled in: {"指标!H4": 41.2, …}; `edit` changes anything else."""
    wb = workbook(write_template(plan, year))
    for where, value in cells.items():
        sheet, cell = where.split("!")
        wb[sheet][cell] = value
    if edit is not None:
        edit(wb)
    path = Path(name)
    wb.save(path)
    return path


def as_excel_writes(path: Path, numbers: dict[str, str]) -> None:
    """Numbers stored as Excel stores them: 17 significant digits (27.300000000000001),
    where openpyxl writes 15."""
    with zipfile.ZipFile(path) as src:
        parts = {info: src.read(info) for info in src.infolist()}
    found = set()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, body in parts.items():
            for short, full in numbers.items():
                old = f"<v>{short}</v>".encode()
                found |= {short} if old in body else set()
                body = body.replace(old, f"<v>{full}</v>".encode())
            dst.writestr(info, body)
    assert found == set(numbers)


def problems(plan: Plan, *paths: Path) -> list[str]:
    """The import's messages; nothing may have been written."""
    with pytest.raises(ContentError) as caught:
        read_workbooks(plan, YEAR, list(paths))
    assert not (plan.root / "monitoring" / f"{YEAR}.yaml").exists()
    return [str(p) for p in caught.value.problems]


# ---- the template ----------------------------------------------------------------------------


def test_template_layout_protection_and_text_ids(copy: Plan) -> None:
    wb = workbook(write_template(copy, YEAR))
    assert wb.sheetnames == ["说明", "指标", "项目", "_jixi"]
    assert wb["_jixi"].sheet_state == "veryHidden"
    assert wb.security is not None and wb.security.lockStructure
    ws = wb["指标"]
    assert [c.value for c in ws[1]] == (
        "编号 领域 指标名称 单位 指标值 2027年目标值 上年数值 本年数值 完成上级考核任务 "
        "案件线索启动率 案件结案率 数据来源 备注 证明材料 牵头单位"
    ).split()
    ids = [ws.cell(r, 1) for r in range(2, ws.max_row + 1)]
    assert [c.value for c in ids] == ["1.1", "1.2", "2", "3", "4", "R1", "R2"]
    assert all(c.data_type == "s" for c in ids)
    row = "2 绿色发展 森林覆盖率 % 保持稳定或持续改善 保持稳定 40.5（2025年）".split()
    assert [c.value for c in ws[4]][:7] == row
    assert ws.freeze_panes == "D2" and wb["项目"].freeze_panes == "C2"
    assert ws.protection.sheet and wb["项目"].protection.sheet and wb["说明"].protection.sheet
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
    assert unlocked == {
        "H2", "I2", "L2", "M2", "N2",  # 1.1: value, 上级考核任务; source, note, evidence
        "L3", "M3", "N3",  # 1.2 不涉及: prefilled and locked, only the text open
        "H4", "L4", "M4", "N4",
        "J5", "K5", "L5", "M5", "N5",  # composite: the two rates, no value
        "H6", "L6", "M6", "N6",
        "H7", "L7", "M7", "N7",
        "H8", "L8", "M8", "N8",
    }  # fmt: skip
    assert [ws[f"O{r}"].value for r in range(2, 9)] == [  # 牵头单位, a sub-row's its parent's
        "市生态环境局", "市生态环境局", "市林业和草原局", "市生态环境局", "市生态环境局",
        "市农业农村局", None,
    ]  # fmt: skip
    assert ws["H3"].value == "不涉及"
    projects = wb["项目"]
    row = [*"2 南山县50MW风电项目 市发展和改革委员会 南山县 2024-2026".split(), 30000]
    assert [c.value for c in projects[3]][:6] == row
    assert projects["A2"].data_type == "s"
    assert {c.coordinate for r in projects.iter_rows() for c in r if not c.protection.locked} == {
        f"{col}{row}" for col in "GHI" for row in (2, 3)
    }
    text = "\n".join(str(v) for row in wb["说明"].iter_rows(values_only=True) for v in row if v)
    assert "青川市绿色发展示范区规划：2026年监测数据填报表" in text and "待填报" in text


def test_template_drop_downs_and_number_checks(copy: Plan) -> None:
    wb = workbook(write_template(copy, YEAR))
    rules = {
        str(dv.sqref): (dv.type, dv.formula1, dv.formula2)
        for dv in wb["指标"].data_validations.dataValidation
    }
    assert rules == {
        "H2 H8": ("decimal", "-1E+15", "1E+15"),
        "I2": ("list", '"是,否"', None),
        "H4 H7 J5 K5": ("decimal", "0", "100"),
        "H6": ("list", '"建立,完善"', None),
    }
    projects = {
        str(dv.sqref): (dv.type, dv.formula1) for dv in wb["项目"].data_validations.dataValidation
    }
    assert projects == {"G2 G3": ("list", '"未开工,前期,在建,完工"'), "H2 H3": ("decimal", "0")}


def test_template_for_a_unit_keeps_its_projects_and_indicators(copy: Plan) -> None:
    wb = workbook(write_template(copy, YEAR, unit="市发展和改革委员会"))
    assert [r[0] for r in wb["项目"].iter_rows(min_row=2, values_only=True)] == ["2"]
    assert [r[0] for r in wb["指标"].iter_rows(min_row=2, values_only=True)] == ["3"]  # 配合
    help_text = "".join(str(v) for row in wb["说明"].iter_rows(values_only=True) for v in row if v)
    assert "填报单位：市发展和改革委员会" in help_text and "牵头或配合的指标" in help_text
    wb = workbook(write_template(copy, YEAR, unit="市生态环境局"))
    ids = [r[0] for r in wb["指标"].iter_rows(min_row=2, values_only=True)]
    assert ids == ["1.1", "1.2", "3", "4"]
    wb = workbook(write_template(copy, YEAR, unit="北湖区"))  # contained in 北湖区住房和城乡建设局
    assert [r[0] for r in wb["项目"].iter_rows(min_row=2, values_only=True)] == ["1"]


def test_template_of_the_real_plan(plan: Plan) -> None:
    wb = workbook(write_template(plan, 2026))
    ids = [c.value for c in wb["指标"]["A"][1:]]
    assert len(ids) == len(plan.rows) == 45 and ids[3] == "4.1" and ids[-1] == "R5"
    assert wb["指标"]["F1"].value == "2030年目标值"
    assert wb["项目"].max_row == 1 + len(plan.projects)
    with pytest.raises(UsageError, match="outside the plan period"):
        write_template(plan, 2031)


# ---- the round trip --------------------------------------------------------------------------


def test_round_trip_enters_exactly_what_was_typed(copy: Plan) -> None:
    path = fill(
        copy,
        {
            "指标!H2": 27.3,
            "指标!I2": "是",
            "指标!L2": "市生态环境局",
            "指标!M2": "城区站点均值",
            "指标!N2": "青环函〔2027〕3号",
            "指标!H4": 41,
            "指标!J5": 100,
            "指标!K5": 86.7,
            "指标!H6": "完善",
            "指标!H7": 92.6,
            "项目!G3": "在建",
            "项目!H3": 25000.5,
            "项目!I3": "8台机组完成吊装",
        },
    )
    as_excel_writes(path, {"27.3": "27.300000000000001", "86.7": "86.700000000000003"})
    data = read_workbooks(copy, YEAR, [path])
    assert data["source"] == "市生态环境局" and data["data_status"] == "provisional"
    assert write_monitoring(copy, YEAR, data) == copy.root / "monitoring" / "2026.yaml"
    year = load(copy.root).monitoring[YEAR]
    ind = year.indicators
    assert ind["1.1"].value == Decimal("27.3") and str(ind["1.1"].value) == "27.3"
    assert ind["1.1"].superior_task_met is True
    assert (ind["1.1"].source, ind["1.1"].note) == ("市生态环境局", "城区站点均值")
    assert ind["1.1"].evidence == "青环函〔2027〕3号"
    assert ind["1.2"].value == "不涉及"
    assert ind["2"].value == 41 and ind["2"].note is None and ind["2"].source is None
    assert (ind["3"].start_rate, ind["3"].closure_rate) == (100, Decimal("86.7"))
    assert ind["3"].value is None
    assert ind["4"].value == "完善"
    assert str(ind["R1"].value) == "92.6"
    assert "R2" not in ind  # left blank: 待填报
    assert year.projects[2].status == "在建" and str(year.projects[2].invested) == "25000.5"
    assert year.projects[2].note == "8台机组完成吊装"
    assert 1 not in year.projects
    assert (year.tasks, year.problems, year.next_steps) == ({}, [], [])


def test_percent_formatted_cells_numeric_text_and_two_agreeing_workbooks(copy: Plan) -> None:
    def percent(wb: Workbook) -> None:
        wb["指标"]["H7"].number_format = "0.0%"  # 92.6% typed in Excel is stored as 0.926

    first = fill(copy, {"指标!H7": 0.926, "指标!H4": "41.20"}, "a.xlsx", edit=percent)
    second = fill(copy, {"指标!H4": 41.2, "项目!G2": "完工"}, "b.xlsx")
    data = read_workbooks(copy, YEAR, [first, second])
    assert data["indicators"]["R1"] == {"value": Decimal("92.6")}
    assert data["indicators"]["2"] == {"value": Decimal("41.20")}
    assert data["projects"] == {1: {"status": "完工"}}


def test_an_existing_file_is_kept_unless_forced_and_then_backed_up(copy: Plan) -> None:
    data = read_workbooks(copy, YEAR, [fill(copy, {"指标!H4": 41})])
    target = write_monitoring(copy, YEAR, data)
    with pytest.raises(UsageError, match="already exists; it was not overwritten"):
        write_monitoring(copy, YEAR, data)
    before = target.read_bytes()
    write_monitoring(copy, YEAR, data, force=True)
    write_monitoring(copy, YEAR, data, force=True)
    assert (target.parent / "2026.yaml.bak").read_bytes() == before
    assert (target.parent / "2026.yaml.bak.1").exists()
    assert YEAR in load(copy.root).monitoring  # backups are not read as years


def test_a_forced_import_keeps_the_offices_own_text(copy: Plan) -> None:
    target = copy.root / "monitoring" / f"{YEAR}.yaml"
    target.write_text(
        f'year: {YEAR}\ndata_status: provisional\ndate: "2027-03-31"\n'
        "indicators: {}\nprojects: {2: {status: 在建, invested: 100}}\n"
        "tasks: {一、: 完成规划期限内的各项工作。}\nfunding: {中央资金: 100}\n"
        "own_text: replaces\nproblems: [资金到位较慢。]\n",
        encoding="utf-8",
    )
    plan = load(copy.root)  # as `import` reads the content: with the file it replaces
    data = read_workbooks(plan, YEAR, [fill(plan, {"指标!H4": 41, "项目!H3": 200})])
    write_monitoring(plan, YEAR, data, force=True)
    year = load(copy.root).monitoring[YEAR]
    assert (year.date, year.own_text, year.problems) == (
        "2027-03-31",
        "replaces",
        ["资金到位较慢。"],
    )
    assert year.tasks == {"一、": "完成规划期限内的各项工作。"}
    assert year.funding == {}  # it would no longer add up to the new figures: re-entered by hand
    assert year.projects[2].invested == 200


# ---- each bad input, by its message --------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"指标!H4": "二十七"}, "指标!H4: 2 森林覆盖率: expected a number, got '二十七'"),
        (
            {"指标!H6": "已建立"},
            "指标!H6: 4 生态环境分区管控体系: expected one of 建立、完善, got '已建立'",
        ),
        (
            {"指标!H7": 120},
            "指标!H7: R1 农村生活污水治理率: a percentage must lie within 0–100, got 120",
        ),
        (
            {"指标!K5": 100.5},
            "指标!K5: 3 生态环境损害赔偿（案件结案率）: a percentage must lie within 0–100, "
            "got 100.5",
        ),
        (
            {"指标!I2": "对"},
            "指标!I2: 1.1 细颗粒物浓度（完成上级考核任务）: expected 是 or 否, got '对'",
        ),
        ({"指标!H5": 90}, "指标!H5: 3 生态环境损害赔偿: not asked for this row: leave it blank"),
        (
            {"项目!H3": -5},
            "项目!H3: 项目2 南山县50MW风电项目（累计完成投资）: must not be negative, got -5",
        ),
        (
            {"项目!G3": "已完成"},
            "项目!G3: 项目2 南山县50MW风电项目（实施状态）: "
            "expected one of 未开工、前期、在建、完工, got '已完成'",
        ),
        (
            {"指标!A9": "9.9", "指标!H9": 1},
            "指标!A9: 编号: unknown indicator id '9.9': do not add rows",
        ),
        (
            {"项目!A4": 3, "项目!G4": "在建"},
            "项目!A4: 序号: unknown project number '3': do not add rows",
        ),
        ({"指标!H10": 5}, "指标!A10: 编号: a row without 编号: do not add rows"),
        ({"指标!A8": "2"}, "指标!A8: 编号: '2' repeats row 4"),
        ({"指标!H1": "数值"}, "指标!H1: header: expected 本年数值, got '数值'"),
    ],
)
def test_a_bad_cell_is_named_by_file_sheet_and_cell(
    copy: Plan, cells: dict[str, Any], message: str
) -> None:
    assert problems(copy, fill(copy, cells)) == [f"{NAME}!{message}"]


def test_every_bad_cell_is_reported_at_once_in_sheet_order(copy: Plan) -> None:
    path = fill(copy, {"项目!G3": "停工", "指标!H6": 1, "指标!H4": "约40"})
    assert [m.split(":")[0] for m in problems(copy, path)] == [
        f"{NAME}!指标!H4",
        f"{NAME}!指标!H6",
        f"{NAME}!项目!G3",
    ]


def test_a_renamed_sheet(copy: Plan) -> None:
    def rename(wb: Workbook) -> None:
        wb["项目"].title = "项目表"

    assert problems(copy, fill(copy, {}, edit=rename)) == [
        f"{NAME}: sheet 项目 is missing (sheets: 说明、指标、项目表); do not rename sheets"
    ]


def test_a_workbook_of_another_year(copy: Plan) -> None:
    path = fill(copy, {"指标!H4": 41}, name="monitoring-2025.xlsx", year=2025)
    assert problems(copy, path) == ["monitoring-2025.xlsx: this workbook is for 2025, not 2026"]


def test_a_workbook_of_another_plan(copy: Plan, plan: Plan) -> None:
    path = Path("jixi.xlsx")
    path.write_bytes(write_template(plan, YEAR))
    assert problems(copy, path) == [
        "jixi.xlsx: this workbook is for 鸡西市生态文明建设示范区规划, not 青川市绿色发展示范区规划"
    ]


def test_a_workbook_without_the_marker(copy: Plan) -> None:
    wb = openpyxl.Workbook()
    wb.save("other.xlsx")
    assert problems(copy, Path("other.xlsx")) == [
        "other.xlsx: not a workbook made by jixi-report xlsx-template"
    ]


@pytest.mark.parametrize("content", [b"year,value\n2026,41\n", b"PK\x03\x04broken", b""])
def test_a_file_that_is_not_an_xlsx(copy: Plan, content: bytes) -> None:
    Path(NAME).write_bytes(content)
    assert problems(copy, Path(NAME), Path("missing.xlsx")) == [
        "missing.xlsx: file not found",
        f"{NAME}: not an Excel workbook (.xlsx): save it as Excel 工作簿 (*.xlsx)",
    ]


def test_two_workbooks_that_disagree_name_both_cells(copy: Plan) -> None:
    first = fill(copy, {"指标!H4": 41.2, "指标!I2": "是", "项目!G3": "在建"}, "a.xlsx")
    second = fill(copy, {"指标!H4": 41.5, "指标!I2": "否", "项目!G3": "在建"}, "b.xlsx")
    assert problems(copy, first, second) == [
        "b.xlsx!指标!I2: 1.1 细颗粒物浓度（完成上级考核任务）: the workbooks disagree: 否 here, "
        "是 in a.xlsx!指标!I2",
        "b.xlsx!指标!H4: 2 森林覆盖率: the workbooks disagree: 41.5 here, 41.2 in a.xlsx!指标!H4",
    ]
