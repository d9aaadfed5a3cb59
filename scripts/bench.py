"""`make bench`: time our builds against LibreOffice converting the .docx we produce.

Everything runs in one process tree on this machine, in one run, on a scratch copy of the
content, so the ratios compare like with like. Timings are printed, never asserted.

  cold      no PDF part cache (a first build)
  warm      the same content again: parts come from the cache, Word and HTML are rewritten
  edit-1    one paragraph of the first chapter changed: that part is laid out again
  edit-3    one paragraph of the longest chapter changed
  soffice   LibreOffice converting the produced .docx to PDF (its profile already created)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JR = [sys.executable, "-m", "jixi_report.cli"]
RUNS = 3


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{done.stderr}")
    return elapsed


def best(cmd: list[str], before=None, env=None) -> float:
    times = []
    for _ in range(RUNS):
        if before:
            before()
        times.append(timed(cmd, env))
    return min(times)


def toggle(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(old, new, 1) if old in text else text.replace(new, old, 1), encoding="utf-8"
    )


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="jixi-bench-"))
    content, out = work / "content", work / "build"
    shutil.copytree(ROOT / "content", content)
    plan = [*JR, "plan", "--content", str(content), "--out", str(out)]
    rows: list[tuple[str, float]] = []
    rows.append(("plan cold", best(plan, before=lambda: shutil.rmtree(out, ignore_errors=True))))
    rows.append(("plan warm", best(plan)))
    first = sorted((content / "chapters").glob("01-*.yaml"))[0]
    longest = max((content / "chapters").glob("*.yaml"), key=lambda p: p.stat().st_size)
    rows.append(("plan edit-1", best(plan, before=lambda: toggle(first, "，", "、"))))
    rows.append(
        (f"plan edit-{longest.name[:2]}", best(plan, before=lambda: toggle(longest, "，", "、")))
    )
    years = sorted(p.stem for p in (content / "monitoring").glob("[0-9]*.yaml"))
    report_docx = None
    if years and "report" in subprocess.run([*JR, "--help"], capture_output=True, text=True).stdout:
        report = [*JR, "report", "--year", years[-1], "--content", str(content), "--out", str(out)]
        timed(report)
        rows.append((f"report {years[-1]} warm", best(report)))
        report_docx = out / years[-1] / "report.docx"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    lo: dict[str, float] = {}
    if soffice:
        profile = (work / "lo-profile").as_uri()
        env = {**os.environ, "HOME": str(work)}
        for name, docx in (("plan", out / "plan" / "plan.docx"), ("report", report_docx)):
            if docx is None or not docx.is_file():
                continue
            cmd = [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work / "lo"),
                str(docx),
            ]
            timed(cmd, env)  # creates the profile: not part of a conversion
            lo[name] = best(cmd, env=env)
    print(f"jixi-report bench on {os.cpu_count()} cores, best of {RUNS} runs each\n")
    for name, seconds in rows:
        base = lo.get("report" if name.startswith("report") else "plan")
        ratio = f"{seconds / base:5.2f} × LibreOffice" if base else ""
        print(f"  {name:<22} {seconds:6.2f} s   {ratio}")
    for name, seconds in lo.items():
        print(f"  {'soffice ' + name + '.docx→pdf':<22} {seconds:6.2f} s")
    if not soffice:
        print(
            "\n  LibreOffice is not installed (apt-get install libreoffice-writer-nogui): no ratio."
        )
    print(f"\n  median of the timed builds: {statistics.median(s for _, s in rows):.2f} s")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
