"""Bad input and faults, as a hostile user or a bad day brings them: each is one clear line
naming file, line (or cell) and field, exit 1, no traceback, previous outputs intact, never a
mixed set, nothing left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import EPOCH, MINI, REPO, Broken, MiniBuild
from outputs import pdf_pages

from jixi_report.base import files
from jixi_report.base.errors import BuildError
from jixi_report.batch import build_all
from jixi_report.cli import main


def problems(broken: Broken, capsys) -> list[str]:
    code, lines = broken.check(capsys)
    assert code == 1, lines
    assert lines[-1].endswith("nothing was written.")
    return lines[:-1]


def only(broken: Broken, capsys, where: str, message: str) -> None:
    """Exactly one problem, at `where` (file:line or file, relative), saying `message`."""
    found = problems(broken, capsys)
    assert len(found) == 1, found
    assert where in found[0] and message in found[0], found[0]


# ---- content that would have passed or crashed ---------------------------------------------

CONTENT_CASES = [
    # (file, old, new, where (file:line), message)
    (
        "chapters/01-general.yaml",
        "'规划基准年为{{ base_year }}年，规划期为{{ period_start }}年至{{ period_end }}年。'",
        '"规划基准年为\\0{{ base_year }}年。"',
        "01-general.yaml:8:",
        "U+0000",
    ),
    (
        "projects.yaml",
        "name: 南山县50MW风电项目",
        'name: "南山县\\x0b风电"',
        "projects.yaml:17:",
        "U+000B",
    ),
    (
        "monitoring/2024.yaml",
        '"4": 完善',
        '"4": 已建立',
        "2024.yaml:9:",
        "expected one of 建立、完善",
    ),
    (
        "monitoring/2024.yaml",
        "invested: 12000,",
        "invested: 3000000,",
        "2024.yaml:13:",
        "3 times the estimate",
    ),
    (
        "projects.yaml",
        "investment: 30000",
        "investment: 1e300",
        "projects.yaml:20:",
        "implausibly large",
    ),
    (
        "projects.yaml",
        "investment: 30000",
        "investment: 200000000",
        "projects.yaml:20:",
        "for one project",
    ),
    ("monitoring/2024.yaml", '"2": 41.5', '"2": 1e15', "2024.yaml:7:", "implausibly large"),
]


@pytest.mark.parametrize(("file", "old", "new", "where", "message"), CONTENT_CASES)
def test_bad_content_is_one_located_problem(
    broken: Broken, capsys, file: str, old: str, new: str, where: str, message: str
) -> None:
    text = (broken.root / file).read_text(encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    assert where.endswith(f":{line}:")  # the case names the line the edit is on
    broken.replace(file, old, new)
    only(broken, capsys, where, message)


def test_sections_nested_too_deep(broken: Broken, capsys) -> None:
    """第一章 › 一、 › （一） › 1. is as deep as a 公文 goes; a fifth level is refused."""
    lines = ["  - section:", "      title: 深", "      body:"]
    for depth in range(1, 4):
        pad = "        " + "    " * (depth - 1)
        lines += [f"{pad}- section:", f"{pad}    title: 层{depth}", f"{pad}    body:"]
    lines.append("        " + "    " * 3 + "- 正文。")
    path = broken.root / "chapters" / "01-general.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    found = problems(broken, capsys)
    assert len(found) == 1 and "sections nest at most three levels" in found[0], found


def test_yaml_nested_hundreds_deep(broken: Broken, capsys) -> None:
    path = broken.root / "chapters" / "01-general.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "extra: " + "{a: " * 300 + "1" + "}" * 300 + "\n",
        encoding="utf-8",
    )
    found = problems(broken, capsys)
    assert len(found) == 1 and "01-general.yaml:" in found[0], found
    assert "nested" in found[0] or "nesting" in found[0], found


@pytest.mark.parametrize("damage", ["truncated", "text"])
def test_a_figure_that_is_no_image(broken: Broken, capsys, damage: str) -> None:
    image = broken.root / "figures" / "location.png"
    data = image.read_bytes()
    image.write_bytes(data[: len(data) // 3] if damage == "truncated" else "不是图片".encode())
    only(broken, capsys, "01-general.yaml:", "location.png is not a readable image")


def test_a_lost_chapter_file(broken: Broken, capsys) -> None:
    (broken.root / "chapters" / "01-general.yaml").unlink()
    found = problems(broken, capsys)
    assert any("02-annex.yaml" in f and "chapter 01 is missing" in f for f in found), found


@pytest.mark.parametrize("name", ["monitoring/2025.yml", "projects.yml"])
def test_a_yml_file_is_not_left_out_silently(broken: Broken, capsys, name: str) -> None:
    target = broken.root / name
    shutil.copy(
        broken.root / ("monitoring/2024.yaml" if "monitoring" in name else "projects.yaml"), target
    )
    only(broken, capsys, name, "content files end in .yaml")


# ---- outputs: all or none ----------------------------------------------------------------------


def test_write_all_puts_back_what_it_moved(tmp_path: Path, monkeypatch) -> None:
    """A move that fails half-way leaves every previous file as it was: never a mixed set."""
    a, b = tmp_path / "a.pdf", tmp_path / "b.docx"
    a.write_bytes(b"old a")
    b.write_bytes(b"old b")
    real = os.replace
    moved = []

    def failing(src, dst):  # the second output's move into place fails (disk full …)
        moved.append(Path(dst))
        if Path(dst) == b and "previous" not in Path(src).name:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(BuildError, match=r"b\.docx: the disk is full"):
        files.write_all({a: b"new a", b: b"new b"})
    monkeypatch.setattr(os, "replace", real)
    assert (a.read_bytes(), b.read_bytes()) == (b"old a", b"old b")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_a_folder_in_the_way_leaves_the_other_outputs(
    mini_built: MiniBuild, tmp_path: Path, capsys
) -> None:
    out = mini_built.copy_to(tmp_path / "out")
    before = {p.name: p.read_bytes() for p in (out / "plan").iterdir()}
    (out / "plan" / "plan.docx").unlink()
    (out / "plan" / "plan.docx").mkdir()
    assert main(["plan", "--content", str(MINI), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    in_the_way = out / "plan" / "plan.docx"
    assert err == [f"jixi-report: cannot write {in_the_way}: a folder of that name is in the way"]
    for name in ("plan.html", "plan.pdf"):
        assert (out / "plan" / name).read_bytes() == before[name]


def test_an_output_folder_that_is_a_file(tmp_path: Path, capsys) -> None:
    (tmp_path / "out").write_text("not a folder")
    assert (
        main(["plan", "--content", str(MINI), "--out", str(tmp_path / "out"), "--format", "html"])
        == 1
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"jixi-report: cannot write {tmp_path / 'out'}"), err


def test_temporary_files_of_a_killed_build_are_swept(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    gone, alive = int(dead.stdout), os.getpid()
    left = tmp_path / f".plan.pdf.{gone}.abc123.tmp"
    mine = tmp_path / f".plan.pdf.{alive}.def456.tmp"
    left.write_bytes(b"x" * 1000)
    mine.write_bytes(b"y")
    files.atomic_bytes(tmp_path / "plan.html", b"page")
    assert not left.exists() and mine.exists()


# ---- caches that lie ----------------------------------------------------------------------------


def _cached_parts(out: Path) -> list[Path]:
    return sorted((out / ".cache" / "pdf").glob("*.pdf"))


@pytest.mark.parametrize("damage", ["truncate", "swap", "pages", "records"])
def test_a_damaged_cache_is_noticed_and_rebuilt(
    mini_built: MiniBuild, tmp_path: Path, capsys, monkeypatch, damage: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # as mini_built was: its parts are found
    out = mini_built.copy_to(tmp_path / "out")
    parts = _cached_parts(out)
    first, second = parts[0], parts[-1]
    if damage == "truncate":
        first.write_bytes(first.read_bytes()[:500])
    elif damage == "swap":  # another valid PDF under this part's name
        first.write_bytes(second.read_bytes())
    elif damage == "pages":
        record = first.with_suffix(".json")
        record.write_text(record.read_text().replace('"pages": ', '"pages": 1'), encoding="utf-8")
    else:
        for name in ("plan-plan.pages.json", "plan-plan.settled.json", "plan-plan.keys.json"):
            (out / ".cache" / "pdf" / name).write_text("{garbage", encoding="utf-8")
    (out / "plan" / "plan.pdf").unlink()  # else the outputs are up to date: nothing is built
    assert main(["plan", "--content", str(MINI), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    if damage != "records":
        assert "a damaged cached PDF part: laid out anew" in err
    assert pdf_pages(out / "plan" / "plan.pdf") == pdf_pages(mini_built.plan / "plan.pdf")


def test_no_cache_is_not_stopped_by_a_broken_cache(mini_built: MiniBuild, tmp_path: Path) -> None:
    out = mini_built.copy_to(tmp_path / "out")
    for part in _cached_parts(out):
        part.write_bytes(b"%PDF-broken")
    (out / "2024" / "charts").mkdir(parents=True)
    (out / "2024" / "charts" / ".inputs.json").write_text("\x00garbage", encoding="utf-8")
    assert main(["plan", "--content", str(MINI), "--out", str(out), "--no-cache"]) == 0
    args = [
        "report",
        "--year",
        "2024",
        "--content",
        str(MINI),
        "--out",
        str(out),
        "--format",
        "html",
    ]
    assert main(args) == 0  # the chart record is unreadable: the charts are drawn anew
    assert main([*args, "--no-cache"]) == 0


def test_an_unwritable_cache_only_costs_speed(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".cache").write_text("a file where the cache folder would be")
    assert main(["plan", "--content", str(MINI), "--out", str(out), "--format", "pdf"]) == 0
    assert "the PDF part cache is not used" in capsys.readouterr().err
    assert (out / "plan" / "plan.pdf").is_file()


# ---- processes, locks, environment --------------------------------------------------------------


def test_two_builds_into_one_folder_take_turns(tmp_path: Path) -> None:
    out = tmp_path / "out"
    finished = []
    with files.locked(out):
        thread = threading.Thread(
            target=lambda: finished.append(
                main(["plan", "--content", str(MINI), "--out", str(out), "--format", "html"])
            )
        )
        thread.start()
        time.sleep(1.0)
        assert not finished  # waits for the lock this test holds
    thread.join(timeout=60)
    assert finished == [0]


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _running(pids: set[int]) -> list[int]:
    """Those still running (a zombie has ended; only its exit status waits to be read)."""
    alive = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(pid)
    return alive


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc")
def test_workers_end_with_a_killed_build(tmp_path: Path) -> None:
    build = subprocess.Popen(
        [sys.executable, "-m", "jixi_report.cli", "plan", "--content", str(MINI), "--out",
         str(tmp_path), "--no-cache"], cwd=REPO,
    )  # fmt: skip
    workers: set[int] = set()
    deadline = time.monotonic() + 30
    while len(workers) < 2 and time.monotonic() < deadline and build.poll() is None:
        workers |= _children(build.pid)
        time.sleep(0.05)
    build.kill()
    build.wait()
    assert workers, "the build ended before its workers could be seen"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _running(workers):
        time.sleep(0.1)
    assert not _running(workers)


def test_a_missing_font_is_named(monkeypatch, capsys, tmp_path: Path) -> None:
    from jixi_report.writers import pdf

    style = pdf.house_style()
    fake = style.roles["heading3"].font.model_copy(update={"pdf": "FZKai-Z03 Missing"})
    roles = {**style.roles, "heading3": replace(style.roles["heading3"], font=fake)}
    monkeypatch.setattr(pdf, "house_style", lambda: replace(style, roles=roles))
    pdf.check_fonts.cache_clear()
    try:
        assert (
            main(["plan", "--content", str(MINI), "--out", str(tmp_path), "--format", "pdf"]) == 1
        )
    finally:
        pdf.check_fonts.cache_clear()
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["jixi-report: PDF: font 'FZKai-Z03 Missing' (role heading3) is not installed"]


def test_an_internal_fault_is_one_line_unless_debugging(
    monkeypatch, capsys, tmp_path: Path
) -> None:
    def broken_render(*_args):
        raise RuntimeError("a bug")

    monkeypatch.setattr("jixi_report.build.render", broken_render)
    args = ["plan", "--content", str(MINI), "--out", str(tmp_path), "--format", "html"]
    assert main(args) == 70
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "internal error: RuntimeError: a bug" in err[0] and "--debug" in err[0]
    with pytest.raises(RuntimeError):
        main(["--debug", *args])


# ---- everything at once -------------------------------------------------------------------------


def test_build_all_skips_what_is_up_to_date(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    out = tmp_path / "out"
    first = build_all(content, out, ("html",))
    assert [(o.job, o.state) for o in first] == [
        ("plan", "built"),
        ("2024", "built"),
        ("2025", "built"),
    ]
    again = build_all(content, out, ("html",))
    assert {o.state for o in again} == {"skipped"}
    year = content / "monitoring" / "2025.yaml"
    year.write_text(
        year.read_text(encoding="utf-8").replace('"R2": 12600', '"R2": 12700'), encoding="utf-8"
    )
    third = build_all(content, out, ("html",))
    assert [(o.job, o.state) for o in third] == [
        ("plan", "skipped"),
        ("2024", "skipped"),
        ("2025", "built"),
    ]


def test_build_all_goes_on_past_a_failure(tmp_path: Path, monkeypatch, capsys) -> None:
    import jixi_report.batch as batch

    def failing(content, out, year, *args, **kw):
        if year == 2024:
            raise BuildError("chart status: something went wrong")
        return real(content, out, year, *args, **kw)

    real = batch.build_report
    monkeypatch.setattr(batch, "build_report", failing)
    args = ["build", "--all", "--content", str(MINI), "--out", str(tmp_path), "--format", "html"]
    assert main(args) == 1
    out = capsys.readouterr().out.splitlines()
    assert "failed 2024:" in out and "  chart status: something went wrong" in out
    assert out[-1] == "3 documents: 2 built, 0 skipped, 1 failed"
    assert (tmp_path / "2025" / "report.html").is_file()


def test_the_command_leaves_no_temporary_folder(tmp_path: Path) -> None:
    """The command ends its process without Python's teardown (cli.run) but still runs the
    exit handlers: a home without a writable cache gives matplotlib a temporary settings
    folder, removed when the build ends."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    unwritable = tmp_path / "a-file"
    unwritable.write_text("not a folder")
    env = {k: v for k, v in os.environ.items() if k != "MPLCONFIGDIR"}
    env |= {"XDG_CACHE_HOME": str(unwritable), "TMPDIR": str(scratch), "JIXI_SERVER": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "jixi_report.cli", "report", "--year", "2025", "--content",
         str(MINI), "--out", str(tmp_path / "out"), "--format", "html"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout  # flushed before the process ended
    assert (tmp_path / "out" / "2025" / "charts").is_dir()  # matplotlib was used
    assert not list(scratch.glob("jixi-report-mpl-*"))
