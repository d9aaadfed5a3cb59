"""The whole pipeline: load → render → lay out → write every format, then replace the outputs."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import write_all
from .document import parse
from .errors import ContentError, Problem, UsageError
from .load import load
from .render import build_date, plan_context, render

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
        template = "plan.html.j2"
        html = render(template, plan_context(plan))
        stem = out / "plan" / "plan"
        return write_outputs(html, template, stem, formats, [plan.root], out, cache, pool)


def build_report(
    content: Path,
    out: Path,
    year: int,
    formats: tuple[str, ...] = FORMATS,
    cache: bool = True,
    strict: bool = False,
) -> Result:
    """Write OUT/YYYY/report.{html,pdf,docx}; a year without monitoring data builds as 待填报."""
    from .assess import assess
    from .chart_cache import draw_cached
    from .report import report_context

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
        charts = draw_cached(plan, assessment, folder / "charts", pool)
        template = "report.html.j2"
        html = render(template, report_context(plan, assessment, charts))
        allowed = [plan.root, folder / "charts"]
        result = write_outputs(
            html, template, folder / "report", formats, allowed, out, cache, pool
        )
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


def write_outputs(
    html: str,
    template: str,
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

    document = parse(html, template)  # always: a tag outside the subset fails every format
    result = Result()
    outputs: dict[Path, bytes] = {}
    if "html" in formats:
        outputs[stem.with_suffix(".html")] = html_writer.write(html)
    if "pdf" in formats or "docx" in formats:
        from .writers import docx

        store = pdf_parts.Cache(out / ".cache" / "pdf" if cache else None)
        name = f"{stem.parent.name}-{stem.name}"  # plan-plan, 2025-report: one history each
        guess = store.last_pages(name)
        early = None
        if "docx" in formats and guess and pool is not None:  # Word beside the PDF
            early = pool.submit(docx.write, document, guess, build_date())
        built = pdf_parts.build(html, allowed, store, name, pool=pool)
        if "pdf" in formats:
            outputs[stem.with_suffix(".pdf")] = built.pdf
        if "docx" in formats:
            same = early is not None and guess == built.pages
            data = early.result() if same else docx.write(document, built.pages, build_date())
            outputs[stem.with_suffix(".docx")] = data
        result.parts, result.laid_out = built.parts, built.laid_out
    write_all(outputs)
    result.files = list(outputs)
    return result
