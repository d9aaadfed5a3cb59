"""`jixi-report import`: filled-in workbooks → a year's monitoring data → monitoring/YYYY.yaml.

Each department returns its own copy of the `xlsx-template` workbook; the figures they typed
must reach the YAML exactly (27.3 stays 27.3, an id "4.1" stays text) and nothing doubtful
may pass silently. So every cell is read against what its row takes, all problems are
collected with their file, sheet and cell (as the YAML loader gives file, line and column),
values two workbooks disagree on are errors naming both cells, and the result is validated
by the loader's own model and checks before anything is written.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..base.errors import ContentError, Problem, UsageError
from ..base.problems import Collector, shown
from ..base.strict_yaml import Path_, YamlDoc, format_loc
from ..base.vocab import PENDING, PROJECT_STATUSES, RATES
from .model import Indicator, Plan
from .monitoring_checks import check_monitoring
from .sources import Sources
from .workbook_template import (
    INDICATOR_SHEET,
    MARKER_KIND,
    MARKER_SHEET,
    NO,
    PROJECT_COLUMNS,
    PROJECT_SHEET,
    TEXT_FIELDS,
    YES,
    Column,
    check_year,
    indicator_columns,
    row_fields,
)
from .yearly import Monitoring

_INDICATOR_FIELDS = ("value", "superior_task_met", *RATES, *TEXT_FIELDS)
_PROJECT_FIELDS = ("status", "invested", "note")
_NUMBER = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_INPUTS = {*_INDICATOR_FIELDS, *_PROJECT_FIELDS}
_SHEETS = (INDICATOR_SHEET, PROJECT_SHEET)
T = TypeVar("T")


@dataclass(frozen=True)
class _At:
    """Where a value came from: file, sheet!cell, and the row and column it stands for."""

    path: Path
    cell: str
    label: str

    def problem(self, message: str) -> Problem:
        return Problem(self.path, None, None, self.label, message, self.cell)


class _Bad(Exception):
    """A cell's content is not what its column takes; the message says what was expected."""


MAX_WORKBOOK_BYTES = 20_000_000  # a filled-in template is a few hundred KB


def read_workbooks(plan: Plan, year: int, paths: list[Path]) -> dict[str, Any]:
    """The year's monitoring data from filled-in workbooks, as `monitoring/YYYY.yaml` holds it.

    Raises ContentError with one problem per cell when anything is wrong, UsageError for a
    year outside the plan period or no workbook at all.
    """
    check_year(plan, year)
    if not paths:
        raise UsageError("no workbook given")
    reader = _Reader(plan, year)
    for path in paths:
        reader.workbook(Path(path))
    data = reader.data()
    problems = reader.problems + validate(plan, data, reader.where)
    if problems:
        raise ContentError(sorted(problems, key=_cell_order))
    return data


# ---- reading --------------------------------------------------------------------------------


@dataclass
class _Reader:
    """Reads workbook after workbook into one set of values, each with the cell it came from."""

    plan: Plan
    year: int
    problems: list[Problem] = field(default_factory=list)
    values: dict[Path_, tuple[Any, _At]] = field(default_factory=dict)

    @property
    def where(self) -> dict[Path_, _At]:
        return {loc: at for loc, (_, at) in self.values.items()}

    def file_problem(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, None, None, None, message))

    def workbook(self, path: Path) -> None:
        wb = self._open(path)
        if wb is None or not self._belongs(path, wb):
            return
        missing = [name for name in _SHEETS if name not in wb.sheetnames]
        for name in missing:
            have = "、".join(s for s in wb.sheetnames if s != MARKER_SHEET)
            self.file_problem(
                path, f"sheet {name} is missing (sheets: {have}); do not rename sheets"
            )
        if INDICATOR_SHEET not in missing:
            milestone = self.plan.meta.milestone_for(self.year)
            self._indicators(path, wb[INDICATOR_SHEET], indicator_columns(milestone))
        if PROJECT_SHEET not in missing:
            self._projects(path, wb[PROJECT_SHEET])

    def _open(self, path: Path) -> Workbook | None:
        if not path.is_file():
            self.file_problem(path, "file not found")
            return None
        if path.stat().st_size > MAX_WORKBOOK_BYTES:  # before openpyxl unpacks it
            self.file_problem(path, f"larger than {MAX_WORKBOOK_BYTES // 1_000_000} MB: not ours")
            return None
        try:
            with warnings.catch_warnings():  # Excel's extensions openpyxl does not read
                warnings.simplefilter("ignore")
                return load_workbook(path, data_only=True)
        except Exception:  # openpyxl fails in many ways on what is not an .xlsx file
            self.file_problem(
                path, "not an Excel workbook (.xlsx): save it as Excel 工作簿 (*.xlsx)"
            )
            return None

    def _belongs(self, path: Path, wb: Workbook) -> bool:
        """The hidden marker names this plan and year."""
        rows = wb[MARKER_SHEET].iter_rows(values_only=True) if MARKER_SHEET in wb.sheetnames else []
        marker = {row[0]: row[1] for row in rows if len(row) >= 2}
        if marker.get("类型") != MARKER_KIND:
            self.file_problem(path, "not a workbook made by jixi-report xlsx-template")
            return False
        before = len(self.problems)
        for got, want in (
            (marker.get("规划"), self.plan.meta.title),
            (marker.get("年份"), self.year),
        ):
            if str(got) != str(want):
                self.file_problem(path, f"this workbook is for {got}, not {want}")
        return len(self.problems) == before

    def _rows(
        self, path: Path, ws: Worksheet, columns: list[Column], known: dict[str, T], what: str
    ) -> Iterator[tuple[T, dict[str, Cell]]]:
        """Each row's item and input cells; moved columns, added and repeated rows reported."""
        for i, column in enumerate(columns, start=1):
            if (cell := ws.cell(1, i)).value != column.header:
                at = _At(path, f"{ws.title}!{cell.coordinate}", "header")
                got = shown(cell.value)
                self.problems.append(at.problem(f"expected {column.header}, got {got}"))
                return
        seen: dict[str, int] = {}
        names = [c.key for c in columns]
        for cells in ws.iter_rows(min_row=2, max_col=len(columns)):
            key = _key_text(cells[0].value)
            inputs = {k: c for k, c in zip(names, cells, strict=True) if k in _INPUTS}
            at = _At(path, f"{ws.title}!{cells[0].coordinate}", columns[0].header)
            if key is None and any(not _blank(c.value) for c in (cells[1], *inputs.values())):
                self.problems.append(at.problem(f"a row without {at.label}: do not add rows"))
            elif key is not None and key in seen:
                self.problems.append(at.problem(f"{key!r} repeats row {seen[key]}"))
            elif key is not None and key not in known:
                self.problems.append(at.problem(f"unknown {what} {key!r}: do not add rows"))
            elif key is not None:
                seen[key] = cells[0].row
                yield known[key], inputs

    def _indicators(self, path: Path, ws: Worksheet, columns: list[Column]) -> None:
        headers = {c.key: c.header.split("（")[0] for c in columns}
        rows = {i.id: i for i in self.plan.rows}
        for ind, inputs in self._rows(path, ws, columns, rows, "indicator id"):
            for name, cell in inputs.items():
                label = f"{ind.id} {ind.name}" + ("" if name == "value" else f"（{headers[name]}）")
                at = _At(path, f"{ws.title}!{cell.coordinate}", label)
                self._take(("indicators", ind.id, name), cell, at, name in row_fields(ind), ind)

    def _projects(self, path: Path, ws: Worksheet) -> None:
        headers = {c.key: c.header.split("（")[0] for c in PROJECT_COLUMNS}
        known = {str(p.no): p for p in self.plan.projects}
        for p, inputs in self._rows(path, ws, PROJECT_COLUMNS, known, "project number"):
            for name, cell in inputs.items():
                label = f"项目{p.no} {p.name}（{headers[name]}）"
                at = _At(path, f"{ws.title}!{cell.coordinate}", label)
                self._take(("projects", p.no, name), cell, at, True, None)

    def _take(self, loc: Path_, cell: Cell, at: _At, asked: bool, ind: Indicator | None) -> None:
        """Read one input cell; keep its value unless it is blank or wrong."""
        if _blank(cell.value):
            return
        if not asked:
            self.problems.append(at.problem("not asked for this row: leave it blank"))
            return
        try:
            value = _cell_value(str(loc[-1]), cell, ind)
        except _Bad as bad:
            self.problems.append(at.problem(str(bad)))
            return
        if loc in self.values and self.values[loc][0] != value:
            first, other = self.values[loc]
            where = other.problem("").where
            self.problems.append(
                at.problem(
                    f"the workbooks disagree: {_shown(value)} here, {_shown(first)} in {where}"
                )
            )
            return
        self.values.setdefault(loc, (value, at))

    def data(self) -> dict[str, Any]:
        """The values read, in the plan's order, as the monitoring file's plain data."""
        indicators = {i.id: obs for i in self.plan.rows if (obs := self._read("indicators", i.id))}
        numbers = sorted(p.no for p in self.plan.projects)
        projects = {no: progress for no in numbers if (progress := self._read("projects", no))}
        sources = [o["source"] for o in indicators.values() if "source" in o]
        return {
            "year": self.year,
            "data_status": "provisional",
            "source": "、".join(dict.fromkeys(sources)) or None,
            "indicators": indicators,
            "projects": projects,
            "tasks": {},
            "problems": [],
            "next_steps": [],
        }

    def _read(self, section: str, key: str | int) -> dict[str, Any]:
        """One row's values, in the monitoring file's order of fields."""
        names = _INDICATOR_FIELDS if section == "indicators" else _PROJECT_FIELDS
        found = ((n, self.values.get((section, key, n))) for n in names)
        return {n: v[0] for n, v in found if v is not None}


# ---- one cell -------------------------------------------------------------------------------


def _cell_value(name: str, cell: Cell, ind: Indicator | None) -> Any:
    if name in TEXT_FIELDS:
        return _text(cell.value)
    if name == "superior_task_met":
        return _yes_no(cell.value)
    if name == "status":
        return _choice(cell.value, list(PROJECT_STATUSES))
    if name in ("invested", *RATES) or ind is None:
        return _number(cell)
    states = ind.states
    if ind.direction == "none" or ind.not_applicable:
        return _choice(cell.value, states)
    if isinstance(cell.value, str) and cell.value.strip() in states:
        return cell.value.strip()  # 不涉及 where a rule allows it
    return _number(cell)


def _number(cell: Cell) -> int | Decimal:
    """The number as typed: a float cell through its shortest repr (27.3, never
    27.300000000000001), whole numbers as ints, a cell formatted as % back to 0–100."""
    raw = cell.value
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise _Bad(f"expected a number, got {_shown(raw)}")
    if isinstance(raw, str):
        if not _NUMBER.match(raw.strip()):
            raise _Bad(f"expected a number, got {shown(raw.strip())}")
        return _plain(Decimal(raw.strip()))
    number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    if not number.is_finite():
        raise _Bad(f"expected a finite number, got {raw!r}")
    if "%" in (cell.number_format or ""):
        number = number.scaleb(2)  # 92.6% is stored as 0.926
    return _plain(number)


def _plain(number: Decimal) -> int | Decimal:
    return int(number) if number == number.to_integral_value() else number


def _choice(raw: Any, options: list[str]) -> str:
    text = raw.strip() if isinstance(raw, str) else None
    if text not in options:
        raise _Bad(f"expected one of {'、'.join(options)}, got {_shown(raw)}")
    return text


def _yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = raw.strip() if isinstance(raw, str) else None
    if text not in (YES, NO):
        raise _Bad(f"expected {YES} or {NO}, got {_shown(raw)}")
    return text == YES


def _text(raw: Any) -> str:
    if isinstance(raw, float):
        raw = _plain(Decimal(repr(raw)))
    text = str(raw).replace("\r\n", "\n").strip()
    bad = _CONTROL.search(text)
    if bad:
        raise _Bad(f"control character U+{ord(bad.group()):04X} not allowed")
    return text


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() in ("", PENDING))


def _key_text(raw: Any) -> str | None:
    """An id or project number as text, whichever type the cell holds."""
    if _blank(raw):
        return None
    return str(_plain(Decimal(repr(raw)))) if isinstance(raw, float) else str(raw).strip()


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    return shown(value)


def _cell_order(problem: Problem) -> tuple[str, int, int, int]:
    """Problems of one file in sheet order, then by row, then by column."""
    if problem.cell is None:
        return (str(problem.path), -1, 0, 0)
    sheet, _, coordinate = problem.cell.partition("!")
    column, row = coordinate_from_string(coordinate)
    order = _SHEETS.index(sheet) if sheet in _SHEETS else len(_SHEETS)
    return (str(problem.path), order, row, column_index_from_string(column))


# ---- validating as the loader does ----------------------------------------------------------


@dataclass
class _CellDoc(YamlDoc):
    """A monitoring file not yet written: problems point at the cells the values came from."""

    cells: dict[Path_, _At] = field(default_factory=dict)

    def problem(self, loc: Path_, message: str) -> Problem:
        for n in range(len(loc), 0, -1):
            if (at := self.cells.get(tuple(loc[:n]))) is not None:
                return at.problem(message)
        return Problem(self.path, None, None, format_loc(loc), message)


def validate(
    plan: Plan, data: dict[str, Any], cells: dict[Path_, _At] | None = None
) -> list[Problem]:
    """The problems the YAML loader would find in `data` (its model, then its checks), at
    the cells the values came from where known, else at the file it would be written to."""
    path = plan.root / "monitoring" / f"{data.get('year')}.yaml"
    doc = _CellDoc(path, data, cells=cells or {})
    c = Collector()
    monitoring = c.model(Monitoring, data, doc, ())
    if monitoring is not None:
        src = Sources(plan.root, meta=plan.meta, chapters=plan.chapters)
        src.indicators = list(plan.indicators)
        check_monitoring(c, src, doc, monitoring)
    return c.problems
