"""The whole pipeline: load → assess → compose → render → write every format, then replace the
outputs. Each step is one package of jixi_report, in this order."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .base.dispatch import AFTER, Dispatcher
from .base.errors import ContentError, Problem
from .base.files import locked, write_all
from .base.vocab import BLANK_DATE, build_date
from .compose.charts.cache import Drawing
from .compose.plan import plan_context, plan_particulars
from .content.load import load
from .content.model import Plan
from .outputs import FORMATS, files_of, fingerprint, remember
from .render.parse import parse
from .render.templates import render
from .render.tree import Document
from .writers.office_fonts import folder_for
from .writers.settled import Settled


@dataclass
class Result:
    files: list[Path] = field(default_factory=list)
    parts: int = 0  # PDF parts
    laid_out: int = 0  # of which laid out now (the rest reused from the cache)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Writing:
    """How this build writes: where, which formats, with the caches or not, on which workers."""

    out: Path
    formats: tuple[str, ...]
    cache: bool
    pool: Dispatcher | None
    fonts: Path | None = None  # the office's font folder beside the content (office_fonts)
    drawing: Drawing | None = None  # the report's charts, some perhaps still being drawn


def build_plan(
    content: Path,
    out: Path,
    formats: tuple[str, ...] = FORMATS,
    cache: bool = True,
    *,
    batch: bool = False,
    strict: bool = False,
) -> Result:
    """Write OUT/plan/plan.{html,pdf,docx}. `batch`: one of several builds run side by side
    (batch.py), which holds the folder's lock and gives each build one core. A missing date
    or issuer is a warning, with `strict` an error."""
    made_from = fingerprint(content, None, formats)  # before reading: an edit meanwhile counts
    with workers(formats, out, batch) as pool:
        doc, allowed, warnings = plan_document(content, strict)
        writing = Writing(out, formats, cache, pool, folder_for(content))
        result = write_outputs(doc, out / "plan" / "plan", allowed, writing)
        result.warnings = warnings + result.warnings
        if cache and not batch:  # a batch keeps its own record, one writer at a time
            remember(out, "plan", made_from, files_of(out, None, formats))
        return result


def build_draft(
    content: Path,
    out: Path,
    stage: str,
    base: Path | None = None,
    formats: tuple[str, ...] = FORMATS,
    cache: bool = True,
    show_changes: bool = False,
) -> Result:
    """A revised draft: OUT/plan/plan.* marked with its stage and date, and with a base, its
    differences as Word revisions (and as marked text in the PDF and HTML with
    `show_changes`) and the 修编说明 OUT/plan/changes.{html,pdf,docx}. All files or none."""
    from .compose.changes import changes_context, revision_date_text
    from .compose.revise import mark_revisions

    with workers(formats, out) as pool:
        plan = load(content)
        old = _load_base(base) if base is not None else None
        warnings = []
        date = revision_date_text(plan)
        if date is None:
            where = plan.root / "revision.yaml"
            warnings.append(f"{where}: no date for the draft: the cover and header leave it blank")
        context = plan_context(plan, draft_info(plan, stage, date))
        doc = document("plan.html.j2", context)
        stem, allowed = out / "plan" / "plan", [plan.root]
        writing = Writing(out, formats, cache, pool, folder_for(content))
        outputs: dict[Path, bytes] = {}
        if old is None:
            result = render_outputs(outputs, doc, stem, allowed, writing)
        else:
            chapters = mark_revisions(plan_context(old)["chapters"], context["chapters"])
            marked = document("plan.html.j2", {**context, "chapters": chapters})
            shown = marked if show_changes else doc
            result = render_outputs(outputs, shown, stem, allowed, writing, marked)
            summary = changes_context(old, plan, chapters, stage, "修订前文本")
            if summary["sections"]:
                notes = document("changes.html.j2", summary)
                stem = out / "plan" / "changes"
                made = render_outputs(outputs, notes, stem, allowed, writing)
                warnings += made.warnings
            else:
                warnings.append(f"{base}: no difference from the base: no 修编说明 was made")
        write_all(outputs)
        result.files, result.warnings = list(outputs), warnings + result.warnings
        return result


def _load_base(base: Path) -> Plan:
    """The base of a revised draft; its problems are labelled as the base's."""
    try:
        return load(base)
    except ContentError as exc:
        raise ContentError(exc.problems, label="base") from exc


def draft_info(plan: Plan, stage: str, date: str | None) -> dict[str, str | None]:
    """What the plan template shows of a draft: its stage and date (cover, header of every
    page), and who revised it and when (Word's tracked changes)."""
    revision = plan.revision
    return {
        "stage": stage,
        "date_text": date or BLANK_DATE,
        "revision_date": revision.date if revision else None,
        "author": (revision.author if revision else None)
        or plan.meta.issuer
        or plan.meta.region.name,
    }


def build_report(
    content: Path,
    out: Path,
    year: int,
    formats: tuple[str, ...] = FORMATS,
    cache: bool = True,
    strict: bool = False,
    *,
    batch: bool = False,
) -> Result:
    """Write OUT/YYYY/report.{html,pdf,docx}; a year without monitoring data builds as 待填报."""
    made_from = fingerprint(content, year, formats)
    with workers(formats, out, batch) as pool:
        doc, allowed, warnings, charts = _report(content, out, year, pool, cache, strict)
        writing = Writing(out, formats, cache, pool, folder_for(content), charts)
        result = write_outputs(doc, out / str(year) / "report", allowed, writing)
        result.warnings = warnings + result.warnings
        if cache and not batch:
            remember(out, str(year), made_from, files_of(out, year, formats))
        return result


def plan_document(content: Path, strict: bool = False) -> tuple[Document, list[Path], list[str]]:
    """The plan's document tree, the folders its images may come from, and warnings (a
    missing date or issuer; with `strict` an error)."""
    plan = load(content)
    particulars = plan_particulars(plan)
    if strict and particulars:
        raise ContentError(particulars)
    doc = document("plan.html.j2", plan_context(plan))
    return doc, [plan.root], [str(p) for p in particulars]


def report_document(
    content: Path,
    out: Path,
    year: int,
    pool: Dispatcher | None = None,
    cache: bool = True,
    strict: bool = False,
) -> tuple[Document, list[Path], list[str]]:
    """A year's report as a document tree (its charts drawn into OUT/YYYY/charts), the folders
    its images may come from, and warnings."""
    doc, allowed, warnings, charts = _report(content, out, year, pool, cache, strict)
    charts.finish()
    return doc, allowed, warnings


def _report(
    content: Path, out: Path, year: int, pool: Dispatcher | None, cache: bool, strict: bool
) -> tuple[Document, list[Path], list[str], Drawing]:
    """`report_document`, its charts perhaps still being drawn on the workers."""
    from .assess.engine import assess
    from .compose.charts.cache import start_charts
    from .compose.report import missing_particulars, report_context

    plan = load(content)
    assessment = assess(plan, year)  # raises UsageError for a year outside the plan
    warnings = []
    if assessment.monitoring is None:
        missing = plan.root / "monitoring" / f"{year}.yaml"
        if strict:
            problem = Problem(
                missing, None, None, None, "no monitoring data for this year (--strict)"
            )
            raise ContentError([problem])
        warnings.append(f"{missing}: no monitoring data for {year}: every value is shown as 待填报")
    particulars = missing_particulars(plan, assessment)
    if strict and particulars:
        raise ContentError(particulars)
    warnings += [str(p) for p in particulars]
    folder = out / str(year)
    charts = start_charts(plan, assessment, folder / "charts", pool, cache)
    doc = document("report.html.j2", report_context(plan, assessment, charts.charts))
    return doc, [plan.root, folder / "charts"], warnings, charts


@contextmanager
def workers(
    formats: tuple[str, ...], out: Path, batch: bool = False
) -> Iterator[Dispatcher | None]:
    """Two worker processes (the machine's cores) where fork is available, else none, given
    their tasks most urgent first (base/dispatch.py); and the output folder locked for this
    build. Workers end with the build, however it ends.
    WeasyPrint is loaded here first: the workers, forked later, start with it (once, not in
    each worker), and a rebuild lays out its one or two parts here."""
    if batch:  # the batch holds the lock and already keeps every core busy
        with quiet_collector():
            yield None
        return
    with locked(out):
        if (
            not {"pdf", "docx"} & set(formats)
            or "fork" not in multiprocessing.get_all_start_methods()
            or os.environ.get("JIXI_SERIAL")
        ):
            with quiet_collector():
                yield None
            return
        from .writers.pdf import warm

        warm()  # before the first fork (a pool forks its workers on its first tasks)
        with quiet_collector():
            context = multiprocessing.get_context("fork")
            pool = ProcessPoolExecutor(2, mp_context=context, initializer=_die_with_parent)
            tasks = Dispatcher(pool, 2)
            try:
                yield tasks
            except BaseException:
                for process in list(getattr(pool, "_processes", {}).values()):
                    process.terminate()  # an error or Ctrl-C: no worker lays out for nothing
                tasks.shutdown(wait=False, cancel_futures=True)
                raise
            tasks.shutdown()


ONE_BUILD = ("plan", "report")  # the commands that build one document and end


def ends_with_its_command(command: str) -> None:
    """This process ends when its one command does (the command line's own, a resident
    server's child's): a build of one document then leaves the cycle collector off.
    `quiet_collector` would put it back, and the first collection after a build walks every
    object the build made (40 ms after a cold report) for a process about to end. The
    preview, which builds again and again, and `build --all`, whose workers build several
    documents each, collect as usual."""
    if command in ONE_BUILD:
        gc.disable()


@contextmanager
def quiet_collector() -> Iterator[None]:
    """Python's cycle collector out of the build's way. Laying pages out makes and drops
    millions of small objects (WeasyPrint's boxes), freed by their reference counts; the
    collector would still walk them every few hundred allocations, and the whole heap of
    loaded modules, fonts and styles at each full pass (a sixth of a rebuild's time at its
    default pace; at a hundredth of that pace, still 2 % of a cold report). So what is loaded
    now is frozen out of its passes (and forked workers leave those pages shared), and it
    makes none during the build: the few cycles a build leaves (a report's: 30 MB at most)
    wait for its end, when a process that lives on (the preview) collects again."""
    gc.freeze()
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _die_with_parent() -> None:
    """Linux: a worker is ended when the build that started it is killed."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def document(template: str, context: dict[str, Any]) -> Document:
    """The template rendered and parsed into the one tree every writer reads: a construct
    outside the subset fails every format, not only Word."""
    return parse(render(template, context), template)


def write_outputs(doc: Document, stem: Path, allowed: list[Path], writing: Writing) -> Result:
    """Write the wanted formats of one rendered document; all files are replaced at the end."""
    outputs: dict[Path, bytes] = {}
    result = render_outputs(outputs, doc, stem, allowed, writing)
    write_all(outputs)
    result.files = list(outputs)
    return result


def write_word(document: Document, settled: Settled, when: date) -> bytes:
    """The Word file (writers/docx.py), python-docx loaded where it is written: on a worker,
    not in this process, which only waits meanwhile (a build's cores are busy then)."""
    from .writers import docx

    return docx.write(document, settled, when)


def render_outputs(
    outputs: dict[Path, bytes],
    doc: Document,
    stem: Path,
    allowed: list[Path],
    writing: Writing,
    word: Document | None = None,
) -> Result:
    """Add the wanted formats of `doc` to `outputs` (nothing is written yet). The Word file is
    made from `word` when given: a revised draft's tracked changes."""
    from .writers import html as html_writer
    from .writers import pdf_parts
    from .writers.pdf_cache import Cache

    word = word or doc
    formats, pool = writing.formats, writing.pool
    charts = writing.drawing
    drawn = charts.pending if charts is not None else {}
    pictures = list(drawn.values())  # Word shows every chart: it waits for them all
    result = Result()
    made: dict[str, bytes] = {}
    word_file: Future[bytes] | None = None  # the Word file, written on a worker
    if "pdf" in formats or "docx" in formats:
        store = Cache(writing.out / ".cache" / "pdf" if writing.cache else None, writing.fonts)
        name = f"{stem.parent.name}-{stem.name}"  # plan-plan, 2025-report: one history each
        guess = store.last_settled(name)  # the last build's pages, cuts and lead-ins
        if "docx" in formats and guess and pool is not None:  # Word beside the PDF
            word_file = pool.queue(
                write_word, word, guess, build_date(), urgency=(AFTER,), after=pictures
            )

        def meanwhile(settled: Settled) -> None:
            """Word, once the parts are laid out, if the guess missed: on a worker while this
            process merges the PDF, or here."""
            nonlocal word_file
            if "docx" not in formats or (word_file is not None and guess == settled):
                return
            if pool is None:
                made["docx"] = write_word(word, settled, build_date())
                return
            if word_file is not None:
                word_file.cancel()  # if still queued; else its result is not used
            word_file = pool.queue(
                write_word, word, settled, build_date(), urgency=(AFTER,), after=pictures
            )

        built = pdf_parts.build(doc, allowed, store, name, pool, meanwhile, drawn)
        if "pdf" in formats:
            made["pdf"] = built.pdf
        result.parts, result.laid_out = built.parts, built.laid_out
        result.warnings += store.warnings
    if charts is not None:
        charts.finish()  # every chart drawn (a chart's failure is raised here) and recorded
    if "html" in formats:  # every chart inside it; while a worker may still write Word
        made["html"] = html_writer.write(doc)
    if "docx" in formats and word_file is not None:
        made["docx"] = word_file.result()
    outputs.update((stem.with_suffix(f".{f}"), made[f]) for f in FORMATS if f in made)
    return result
