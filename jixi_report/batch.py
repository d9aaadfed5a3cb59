"""`jixi-report build --all`: the plan and every year's report, side by side, skipping what is
up to date.

A document is rebuilt only when something it is made from changed since it was last built:
its content files (a report also reads the years before it; the plan no monitoring data), the
templates and house style, the code, the formats asked for. The builds run in parallel, one per
core, while this process holds the output folder's lock; a failed document does not stop the
others, and the summary says what was built, skipped and failed.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .base.errors import JixiError
from .base.files import locked
from .build import FORMATS, build_plan, build_report
from .content.load import load
from .outputs import files_of, fingerprint, remember, up_to_date


@dataclass
class Job:
    name: str  # plan, 2025
    year: int | None  # None: the plan
    outputs: list[Path]
    fingerprint: str = ""


@dataclass
class Outcome:
    job: str
    state: str  # built, skipped, failed
    seconds: float = 0.0
    message: str = ""  # why it failed, in one or more lines
    warnings: list[str] = field(default_factory=list)


def jobs(content: Path, out: Path, formats: tuple[str, ...]) -> list[Job]:
    """The plan and the report of every year with monitoring data; ContentError if the
    content itself does not load (then nothing can be built)."""
    plan = load(content)
    found = [Job("plan", None, files_of(out, None, formats))]
    for year in sorted(plan.monitoring):
        found.append(Job(str(year), year, files_of(out, year, formats)))
    for job in found:
        job.fingerprint = fingerprint(content, job.year, formats)
    return found


def build_all(
    content: Path,
    out: Path,
    formats: tuple[str, ...] = FORMATS,
    cache: bool = True,
    progress: Callable[[Outcome, int, int], None] | None = None,
) -> list[Outcome]:
    """Build every document that is not up to date; `progress(outcome, done, total)` is called
    as each ends."""
    with locked(out):
        todo = jobs(content, out, formats)
        outcomes: list[Outcome] = []
        stale = []
        for job in todo:
            if cache and up_to_date(out, job.name, job.fingerprint, job.outputs):
                outcomes.append(Outcome(job.name, "skipped"))
                _tell(progress, outcomes[-1], len(outcomes), len(todo))
            else:
                stale.append(job)
        for outcome in _run(stale, content, out, formats, cache):
            outcomes.append(outcome)
            if outcome.state == "built":
                job = next(j for j in stale if j.name == outcome.job)
                remember(out, job.name, job.fingerprint, job.outputs)
            _tell(progress, outcome, len(outcomes), len(todo))
        order = [j.name for j in todo]
        return sorted(outcomes, key=lambda o: order.index(o.job))


def _tell(progress: Callable[[Outcome, int, int], None] | None, o: Outcome, n: int, t: int) -> None:
    if progress is not None:
        progress(o, n, t)


def _run(stale: list[Job], content: Path, out: Path, formats: tuple[str, ...], cache: bool):
    """Each stale job in a process of its own, as many at once as there are cores."""
    if not stale:
        return
    cores = min(len(stale), os.cpu_count() or 1)
    if cores == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for job in stale:
            yield _one(job.year, content, out, formats, cache)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=cores, mp_context=context) as pool:
        futures: dict[Future[Outcome], Job] = {
            pool.submit(_one, job.year, content, out, formats, cache): job for job in stale
        }
        for future in as_completed(futures):
            yield future.result()


def _one(year: int | None, content: Path, out: Path, formats: tuple[str, ...], cache: bool):
    """One document; a problem of its own is its outcome, not the batch's end."""
    name = "plan" if year is None else str(year)
    start = time.monotonic()
    try:
        if year is None:
            result = build_plan(content, out, formats, cache, batch=True)
        else:
            result = build_report(content, out, year, formats, cache, batch=True)
    except JixiError as exc:
        lines = [str(p) for p in getattr(exc, "problems", [])] or [str(exc)]
        return Outcome(name, "failed", time.monotonic() - start, "\n".join(lines))
    return Outcome(name, "built", time.monotonic() - start, warnings=result.warnings)
