"""`make bench`: time our builds against LibreOffice converting the .docx we produce.

Everything runs in one run on this machine, on a scratch copy of the content, and each of our
timings is paired with a LibreOffice conversion run right after it: the ratio is taken pair by
pair and its median printed, so a machine whose speed drifts (other work on the cores) moves
both sides of a pair alike. Timings are printed, never asserted.

  cold        a fresh output folder and a fresh process: nothing cached, nothing loaded,
              every part laid out, every chart drawn
  no change   the same content again (the outputs are found up to date)
  edit …      one paragraph of that chapter changed before the build, handed to the resident
              build server as the command line does (started by an untimed build first), and
              again with JIXI_SERVER=0: a process of its own
  server up   a fresh output folder, the build handed to the resident server
  soffice     LibreOffice converting the produced .docx to PDF (its profile made once), the
              example data's watermark taken out first and its charts made opaque (a real
              year's report has neither; with them LibreOffice takes a third longer)
  size        each PDF beside LibreOffice's PDF of the same document's .docx
"""

from __future__ import annotations

import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JR = [sys.executable, "-m", "jixi_report.cli"]
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{done.stderr}")
    return elapsed


class LibreOffice:
    """LibreOffice converting one .docx, with a profile of its own made before any timing."""

    def __init__(self, work: Path) -> None:
        self.exe = shutil.which("soffice") or shutil.which("libreoffice")
        self.work = work
        self.env = {**os.environ, "HOME": str(work)}
        self.ready: set[Path] = set()

    def cmd(self, docx: Path) -> list[str]:
        assert self.exe
        profile = (self.work / "lo-profile").as_uri()
        outdir = self.work / "lo" / docx.parent.name
        flags = ["--headless", "--convert-to", "pdf", "--outdir", str(outdir)]
        return [self.exe, f"-env:UserInstallation={profile}", *flags, str(docx)]

    def convert(self, docx: Path) -> float:
        copy = unmarked(docx, self.work / "lo-in" / docx.parent.name)
        if copy not in self.ready:
            timed(self.cmd(copy), self.env)  # makes the profile, warms the disk: not counted
            self.ready.add(copy)
        return timed(self.cmd(copy), self.env)

    def pdf(self, docx: Path) -> Path:
        return self.work / "lo" / docx.parent.name / docx.with_suffix(".pdf").name


_MARK = re.compile(rb"<w:r><w:pict>.*?</w:pict></w:r>", re.S)  # docx_watermark.py's run


def unmarked(docx: Path, folder: Path) -> Path:
    """A copy of `docx` as a real year's report is: without the example data's watermark,
    which LibreOffice draws as a shape on every page (a third slower: the report 2.7 s
    against 2.1 s), and with opaque charts (example data's let the watermark show through,
    and LibreOffice takes a twentieth longer over them); the ratio would flatter us."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / docx.name
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("word/header"):
                data = _MARK.sub(b"", data)
            elif item.filename.startswith("word/media/") and item.filename.endswith(".png"):
                data = _opaque(data)
            out.writestr(item, data)
    return copy


def _opaque(png: bytes) -> bytes:
    """The picture on white, fully opaque, as a chart of official data is drawn."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as picture:
        if picture.mode != "RGBA":
            return png
        ground = Image.new("RGBA", picture.size, "white")
        out = io.BytesIO()
        Image.alpha_composite(ground, picture).save(out, "PNG", compress_level=3)
        return out.getvalue()


def toggle(path: Path) -> None:
    """One paragraph changed: its first comma becomes a 顿号, or back."""
    text = path.read_text(encoding="utf-8")
    changed = text.replace("，", "、", 1) if "，" in text else text.replace("、", "，", 1)
    path.write_text(changed, encoding="utf-8")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="jixi-bench-"))
    content, out = work / "content", work / "build"
    shutil.copytree(ROOT / "content", content)
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1700000000")}
    lo = LibreOffice(work)
    years = sorted(p.stem for p in (content / "monitoring").glob("[0-9]*.yaml"))
    plan = [*JR, "plan", "--content", str(content), "--out", str(out)]
    report = [*JR, "report", "--year", years[-1], "--content", str(content), "--out", str(out)]
    docx = {"plan": out / "plan" / "plan.docx", "report": out / years[-1] / "report.docx"}
    chapters = sorted((content / "chapters").glob("*.yaml"))
    longest = max(chapters, key=lambda p: p.stat().st_size)

    def fresh(name: str) -> Callable[[], None]:
        def clear() -> None:
            shutil.rmtree(out / ("plan" if name == "plan" else years[-1]), ignore_errors=True)
            shutil.rmtree(out / ".cache", ignore_errors=True)

        return clear

    # A server of the bench's own (its own socket folder), ended when the bench ends.
    local = {**env, "JIXI_SERVER": "0"}
    served = {**env, "JIXI_SERVER": "1", "XDG_RUNTIME_DIR": str(work / "run")}
    (work / "run").mkdir(mode=0o700)
    first, third = chapters[0].stem, longest.stem
    Case = tuple[str, str, list[str], dict[str, str], Callable[[], None] | None]
    cases: list[Case] = [
        ("plan cold", "plan", plan, local, fresh("plan")),
        ("plan no change", "plan", plan, served, None),
        (f"plan edit {first}", "plan", plan, served, lambda: toggle(chapters[0])),
        (f"plan edit {third}", "plan", plan, served, lambda: toggle(longest)),
        (f"  no server: {first}", "plan", plan, local, lambda: toggle(chapters[0])),
        (f"  no server: {third}", "plan", plan, local, lambda: toggle(longest)),
        (f"report {years[-1]} cold", "report", report, local, fresh("report")),
        ("  server up", "report", report, served, fresh("report")),
        (f"report {years[-1]} no change", "report", report, served, None),
    ]
    load_before = os.getloadavg()
    timed(plan, local)
    timed(report, served)  # leaves the server behind, as a first build of the day does
    time.sleep(3)  # while it loads what a report needs besides WeasyPrint
    rows = []
    for label, doc, cmd, how, before in cases:
        ours, theirs, ratios = [], [], []
        for _ in range(RUNS):
            if before:
                before()
            ours.append(timed(cmd, how))
            if lo.exe:
                theirs.append(lo.convert(docx[doc]))
                ratios.append(ours[-1] / theirs[-1])
        rows.append((label, ours, theirs, ratios))
    load_after = os.getloadavg()

    print(f"jixi-report bench: {os.cpu_count()} cores, median of {RUNS} runs each, each run")
    print(f"paired with a LibreOffice conversion (load average {load_before[0]:.1f} before,")
    print(f"{load_after[0]:.1f} after: other work on the machine slows both sides of a pair)\n")
    print(f"  {'':<26} {'ours':>7} {'soffice':>8} {'ours/soffice':>13}")
    for label, ours, theirs, ratios in rows:
        lo_s = f"{statistics.median(theirs):7.2f} s" if theirs else "       —"
        ratio = f"{statistics.median(ratios):12.2f}×" if ratios else ""
        print(f"  {label:<26} {statistics.median(ours):5.2f} s {lo_s} {ratio}")
    print()
    for doc, path in docx.items():
        pdf = path.with_suffix(".pdf")
        mine = pdf.stat().st_size
        theirs = lo.pdf(path).stat().st_size if lo.exe and lo.pdf(path).is_file() else 0
        beside = f"LibreOffice {theirs / 1e6:.2f} MB, {mine / theirs:.2f}×" if theirs else ""
        print(f"  {doc + ' PDF size':<26} {mine / 1e6:5.2f} MB  {beside}")
    if not lo.exe:
        print(
            "\n  LibreOffice is not installed (apt-get install libreoffice-writer-nogui): no ratio."
        )
    os.environ.update(XDG_RUNTIME_DIR=served["XDG_RUNTIME_DIR"], JIXI_SERVER="1")
    sys.path.insert(0, str(ROOT))
    from jixi_report import resident

    resident.stop()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
