"""Prepared blocks → the closed HTML subset, through the Jinja templates (the one source of
wording and placement)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from ..base import superscripts
from ..base.errors import BuildError
from ..base.style import TEMPLATES
from ..base.vocab import chinese_numeral


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # select_autoescape() would not cover *.html.j2
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn"] = chinese_numeral  # 3 → 三: section numbers that depend on the content
    return env


def render(template: str, context: dict[str, Any]) -> str:
    """The template's output; a template error names the template and line."""
    try:
        output = environment().get_template(template).render(**context)
    except TemplateError as exc:
        where = f"{getattr(exc, 'filename', None) or template}"
        line = getattr(exc, "lineno", None)
        raise BuildError(f"template {where}{f':{line}' if line else ''}: {exc}") from exc
    return superscripts.in_html(output)  # wherever content text went, its ^{…} is raised
