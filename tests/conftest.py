"""Shared fixtures: the real content, a small fictional plan, and a way to break a copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jixi_report.cli import main
from jixi_report.content.load import load
from jixi_report.content.model import Plan

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
MINI = REPO / "tests" / "fixtures" / "mini"
ORIGINAL = REPO / "tests" / "data" / "plan-original.txt"


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
