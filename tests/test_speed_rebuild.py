"""A rebuild does only what changed (issue 12): nothing when nothing changed, one part when one
chapter changed; whatever was changed or removed by hand is written again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EPOCH, MINI, MiniBuild
from outputs import pdf_text

from jixi_report.cli import main


@pytest.fixture
def built(mini_built: MiniBuild, tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """A copy of the fictional plan's content and of its built outputs (cache included)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # as mini_built was built
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    out = mini_built.copy_to(tmp_path / "out")
    return content, out


def _plan(content: Path, out: Path, *extra: str) -> int:
    return main(["plan", "--content", str(content), "--out", str(out), *extra])


def test_nothing_changed_nothing_is_written(built, capsys) -> None:
    content, out = built
    files = sorted((out / "plan").iterdir())
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files}
    assert _plan(content, out) == 0
    said = capsys.readouterr().out.splitlines()
    assert said == [f"up to date: {out / 'plan' / f'plan.{f}'}" for f in ("html", "pdf", "docx")]
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files} == before


@pytest.mark.parametrize("change", ["content", "output edited", "output removed", "format"])
def test_any_change_builds_again(built, capsys, change: str) -> None:
    content, out = built
    pdf = out / "plan" / "plan.pdf"
    args: tuple[str, ...] = ()
    if change == "content":
        chapter = content / "chapters" / "01-general.yaml"
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(text.replace("指标体系。", "指标体系修订。"), encoding="utf-8")
    elif change == "output edited":
        pdf.write_bytes(pdf.read_bytes() + b"\n% touched by hand\n")
    elif change == "output removed":
        (out / "plan" / "plan.docx").unlink()
    else:
        args = ("--format", "pdf")
    assert _plan(content, out, *args) == 0
    said = capsys.readouterr().out
    assert "up to date" not in said and f"wrote {pdf}" in said
    assert pdf.read_bytes().endswith(b"%%EOF\n")
    if change == "content":
        assert "指标体系修订。" in pdf_text(pdf)
        # the edited part, and the part with the figure: its image lies in this copy now
        assert "PDF: 4 parts, 2 laid out, 2 reused" in said


def test_no_cache_always_builds(built, capsys) -> None:
    content, out = built
    assert _plan(content, out, "--no-cache") == 0
    assert "wrote" in capsys.readouterr().out
