"""The whole pipeline: load → render → lay out → write every format, then replace the outputs."""

from __future__ import annotations

from pathlib import Path

from .atomic import write_all
from .document import parse
from .errors import UsageError
from .load import load
from .render import build_date, plan_context, render

FORMATS = ("html", "pdf", "docx")


def parse_formats(text: str) -> tuple[str, ...]:
    wanted = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise UsageError(f"--format takes a comma list of {', '.join(FORMATS)}; got {text!r}")
    return wanted


def build_plan(content: Path, out: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write OUT/plan/plan.{html,pdf,docx}; returns the files written."""
    plan = load(content)
    template = "plan.html.j2"
    html = render(template, plan_context(plan))
    return _write(html, template, out / "plan" / "plan", formats, [plan.root])


def _write(
    html: str, template: str, stem: Path, formats: tuple[str, ...], allowed: list[Path]
) -> list[Path]:
    document = parse(html, template)  # always: a tag outside the subset fails every format
    outputs: dict[Path, bytes] = {}
    if "html" in formats:
        from .writers import html as html_writer

        outputs[stem.with_suffix(".html")] = html_writer.write(html)
    if "pdf" in formats or "docx" in formats:
        from .writers import pdf

        laid_out = pdf.layout(html, allowed)  # the Word TOC takes its page numbers from here
        if "pdf" in formats:
            outputs[stem.with_suffix(".pdf")] = pdf.write(laid_out)
        if "docx" in formats:
            from .writers import docx

            outputs[stem.with_suffix(".docx")] = docx.write(
                document, pdf.anchor_pages(laid_out), build_date()
            )
    write_all(outputs)
    return list(outputs)
