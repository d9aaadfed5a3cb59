"""Shared fixtures: the real content, a small fictional plan, and a way to break a copy of it.

The expensive builds are made once per run and shared (read-only) by every test that reads
them; a test that edits starts from a copy of one.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from outputs import libreoffice

from jixi_report.assess.engine import assess
from jixi_report.build import Result, build_plan
from jixi_report.cli import main
from jixi_report.compose.charts.cache import draw_charts
from jixi_report.compose.charts.specs import Chart
from jixi_report.content.load import load
from jixi_report.content.model import Plan

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
MINI = REPO / "tests" / "fixtures" / "mini"
ORIGINAL = REPO / "tests" / "data" / "plan-original.txt"
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH of the shared builds: repeatable, comparable bytes
# Commands the tests start build in their own process: a resident server (resident.py) left
# by one would outlive the run. test_resident.py turns it on for itself.
os.environ["JIXI_SERVER"] = "0"


@contextmanager
def epoch(value: str = EPOCH) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set for a session-wide build (monkeypatch is per test)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = value
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the small fictional plan to edit."""
    shutil.copytree(MINI, tmp_path / "content")
    return tmp_path / "content"


@pytest.fixture(scope="session")
def plan() -> Plan:
    return load(CONTENT)


@pytest.fixture(scope="session")
def mini() -> Plan:
    return load(MINI)


class Broken:
    """A copy of a content tree to edit, and the CLI run on it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def replace(self, file: str, old: str, new: str) -> int:
        """Replace the one occurrence of `old`; return the 1-based line where `new` starts."""
        path = self.root / file
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
        start = text.index(old)
        path.write_text(text.replace(old, new), encoding="utf-8")
        return text.count("\n", 0, start) + 1

    def check(self, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
        code = main(["check", "--content", str(self.root)])
        err = capsys.readouterr().err
        return code, [line for line in err.splitlines() if line.strip()]


@pytest.fixture
def broken(tmp_path: Path) -> Broken:
    root = tmp_path / "content"
    shutil.copytree(MINI, root)
    return Broken(root)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`jixi-report plan` of the real content: its output folder."""
    out = tmp_path_factory.mktemp("build")
    assert main(["plan", "--content", str(CONTENT), "--out", str(out)]) == 0
    return out / "plan"


@dataclass
class MiniBuild:
    """The fictional plan built once: its output folder (with the PDF part cache) and result."""

    out: Path
    result: Result

    @property
    def plan(self) -> Path:
        return self.out / "plan"

    def copy_to(self, target: Path) -> Path:
        """A copy of the output folder, cache included: a build into it starts warm."""
        shutil.copytree(self.out, target)
        return target


@pytest.fixture(scope="session")
def mini_built(tmp_path_factory: pytest.TempPathFactory) -> MiniBuild:
    out = tmp_path_factory.mktemp("mini-build")
    with epoch():
        result = build_plan(MINI, out)
    return MiniBuild(out, result)


@dataclass
class RealCharts:
    """The 2025 report's charts of the real plan, drawn in this process with warnings kept."""

    out: Path  # the output folder: the charts are in out/2025/charts
    plan: Plan
    charts: list[Chart]
    warnings: list[warnings.WarningMessage]


@pytest.fixture(scope="session")
def real_charts(tmp_path_factory: pytest.TempPathFactory, plan: Plan) -> RealCharts:
    out = tmp_path_factory.mktemp("report")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts = draw_charts(plan, assess(plan, 2025), out / "2025" / "charts", cache=False)
    return RealCharts(out, plan, charts, list(caught))


@pytest.fixture(scope="session")
def report(real_charts: RealCharts) -> Path:
    """`jixi-report report --year 2025` of the real content; its charts are those drawn above
    (the chart cache finds them unchanged), so they are drawn once per run."""
    args = ["report", "--year", "2025", "--content", str(CONTENT), "--out", str(real_charts.out)]
    assert main(args) == 0
    return real_charts.out / "2025"


@pytest.fixture(scope="session")
def through_libreoffice(
    tmp_path_factory: pytest.TempPathFactory, built: Path, report: Path, mini_built: MiniBuild
) -> dict[str, Path]:
    """The plan's, the report's and the fictional plan's .docx as LibreOffice lays them out,
    converted to PDF with blank pages kept (as Word prints them: a page left blank before an
    even one counts)."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("libreoffice")
    mini = out / "mini.docx"  # plan.docx too: named apart from the real plan's
    shutil.copyfile(mini_built.plan / "plan.docx", mini)
    docs = {"plan": built / "plan.docx", "report": report / "report.docx", "mini": mini}
    keep_blank = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    libreoffice(keep_blank, out, *docs.values())
    return {name: out / f"{path.stem}.pdf" for name, path in docs.items()}
