"""The whole pipeline: load → assess → compose → render → write every format, then replace the
outputs. Each step is one package of jixi_report, in this order."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .base.errors import ContentError, Problem, UsageError
from .base.files import write_all
from .base.vocab import build_date
from .compose.plan import plan_context
from .content.load import load
from .render.parse import parse
from .render.templates import render
from .render.tree import Document

FORMATS = ("html", "pdf", "docx")


@dataclass
class Result:
    files: list[Path] = field(default_factory=list)
    parts: int = 0  # PDF parts
    laid_out: int = 0  # of which laid out now (the rest reused from the cache)
    warnings: list[str] = field(default_factory=list)


def parse_formats(text: str) -> tuple[str, ...]:
    wanted = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise UsageError(f"--format takes a comma list of {', '.join(FORMATS)}; got {text!r}")
    return wanted


def build_plan(
    content: Path, out: Path, formats: tuple[str, ...] = FORMATS, cache: bool = True
) -> Result:
    """Write OUT/plan/plan.{html,pdf,docx}."""
    with workers(formats) as pool:
        plan = load(content)
        doc = document("plan.html.j2", plan_context(plan))
        return write_outputs(doc, out / "plan" / "plan", formats, [plan.root], out, cache, pool)


def build_report(
    content: Path,
    out: Path,
    year: int,
    formats: tuple[str, ...] = FORMATS,
    cache: bool = True,
    strict: bool = False,
) -> Result:
    """Write OUT/YYYY/report.{html,pdf,docx}; a year without monitoring data builds as 待填报."""
    from .assess.engine import assess
    from .compose.charts.cache import draw_charts
    from .compose.report import report_context

    with workers(formats) as pool:
        plan = load(content)
        assessment = assess(plan, year)  # raises UsageError for a year outside the plan
        warnings = []
        if assessment.monitoring is None:
            missing = plan.root / "monitoring" / f"{year}.yaml"
            if strict:
                raise ContentError(
                    [
                        Problem(
                            missing, None, None, None, "no monitoring data for this year (--strict)"
                        )
                    ]
                )
            warnings.append(
                f"{missing}: no monitoring data for {year}: every value is shown as 待填报"
            )
        folder = out / str(year)
        charts = draw_charts(plan, assessment, folder / "charts", pool, cache)
        doc = document("report.html.j2", report_context(plan, assessment, charts))
        allowed = [plan.root, folder / "charts"]
        result = write_outputs(doc, folder / "report", formats, allowed, out, cache, pool)
        result.warnings = warnings
        return result


@contextmanager
def workers(formats: tuple[str, ...]) -> Iterator[Executor | None]:
    """Two worker processes (the machine's cores) where fork is available, else none."""
    if (
        not {"pdf", "docx"} & set(formats)
        or "fork" not in multiprocessing.get_all_start_methods()
        or os.environ.get("JIXI_SERIAL")
    ):
        yield None
        return
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool


def document(template: str, context: dict[str, Any]) -> Document:
    """The template rendered and parsed into the one tree every writer reads: a construct
    outside the subset fails every format, not only Word."""
    return parse(render(template, context), template)


def write_outputs(
    doc: Document,
    stem: Path,
    formats: tuple[str, ...],
    allowed: list[Path],
    out: Path,
    cache: bool,
    pool: Executor | None,
) -> Result:
    """Write the wanted formats of one rendered document; all files are replaced at the end."""
    from .writers import html as html_writer
    from .writers import pdf_parts
    from .writers.pdf_cache import Cache

    result = Result()
    outputs: dict[Path, bytes] = {}
    if "html" in formats:
        outputs[stem.with_suffix(".html")] = html_writer.write(doc)
    if "pdf" in formats or "docx" in formats:
        from .writers import docx

        store = Cache(out / ".cache" / "pdf" if cache else None)
        name = f"{stem.parent.name}-{stem.name}"  # plan-plan, 2025-report: one history each
        guess = store.last_pages(name)
        early = None
        if "docx" in formats and guess and pool is not None:  # Word beside the PDF
            early = pool.submit(docx.write, doc, guess, build_date())
        built = pdf_parts.build(doc, allowed, store, name, pool=pool)
        if "pdf" in formats:
            outputs[stem.with_suffix(".pdf")] = built.pdf
        if "docx" in formats:
            same = early is not None and guess == built.pages
            data = early.result() if same else docx.write(doc, built.pages, build_date())
            outputs[stem.with_suffix(".docx")] = data
        result.parts, result.laid_out = built.parts, built.laid_out
    write_all(outputs)
    result.files = list(outputs)
    return result
