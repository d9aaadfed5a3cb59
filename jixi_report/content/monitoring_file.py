"""A year's monitoring data → content/monitoring/YYYY.yaml, as `import` writes it: validated
first, an existing file replaced only on request and kept as a backup, and the office's own
text in it (dates, progress of tasks and measures, problems, next steps) carried over."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..base.errors import ContentError, UsageError
from ..base.files import write_all
from .model import Plan
from .workbook_import import validate
from .workbook_template import check_year

# What the office writes by hand, not the workbook: kept when a re-import replaces the file.
# `funding` is not: it must add up to the new figures, so it is re-entered (the backup has it).
OFFICE_TEXT = ("date", "issuer", "tasks", "safeguards", "own_text", "problems", "next_steps")
SECTIONS = ("indicators", "projects", "tasks", "safeguards")


def carried_over(plan: Plan, year: int, data: dict[str, Any]) -> dict[str, Any]:
    """`data` with the office's own text of the file it replaces, where it gives none."""
    old = plan.monitoring.get(year)
    if old is None:
        return data
    kept = old.model_dump(include=set(OFFICE_TEXT), exclude_defaults=True)
    return {**data, **{k: v for k, v in kept.items() if not data.get(k)}}


def write_monitoring(plan: Plan, year: int, data: dict[str, Any], force: bool = False) -> Path:
    """Write `data` to content/monitoring/YYYY.yaml; an existing file only with `force`, and
    then only after copying it to YYYY.yaml.bak (or .bak.1, .bak.2 … when that exists)."""
    check_year(plan, year)
    target = plan.root / "monitoring" / f"{year}.yaml"
    data = carried_over(plan, year, data) if force else data
    problems = validate(plan, data)
    if problems:
        raise ContentError(problems)
    outputs = {target: monitoring_yaml(plan, data).encode("utf-8")}
    if target.exists():
        if not force:
            raise UsageError(f"{target} already exists; it was not overwritten (use --force)")
        outputs = {_backup(target): target.read_bytes(), **outputs}
    write_all(outputs)
    return target


def _backup(target: Path) -> Path:
    """A free backup name; never *.yaml, which the loader would read as a year."""
    backup, n = target.with_name(target.name + ".bak"), 0
    while backup.exists():
        n += 1
        backup = target.with_name(f"{target.name}.bak.{n}")
    return backup


# ---- the file's text ------------------------------------------------------------------------


def monitoring_yaml(plan: Plan, data: dict[str, Any]) -> str:
    """The data as a monitoring file the strict loader reads back to the same values."""
    year = data["year"]
    lines = [
        f"# {plan.meta.title}：{year}年监测数据，由 Excel 填报表导入（jixi-report import）。",
        f"year: {year}",
        f"data_status: {data['data_status']}",
        f"source: {_yaml(data.get('source'))}",
        *(f"{k}: {_yaml(data[k])}" for k in ("date", "issuer", "own_text") if data.get(k)),
    ]
    for section in SECTIONS:
        items = data.get(section) or {}
        lines.append(f"{section}:" if items else f"{section}: {{}}")
        for key, item in items.items():
            shown_key = key if isinstance(key, int) else _yaml(key)
            if isinstance(item, dict):
                inner = ", ".join(f"{k}: {_yaml(v)}" for k, v in item.items())
                lines.append(f"  {shown_key}: {{{inner}}}")
            else:
                lines.append(f"  {shown_key}: {_yaml(item)}")
    for section in ("problems", "next_steps"):
        items = data.get(section) or []
        lines.append(f"{section}:" if items else f"{section}: []")
        lines += [f"  - {_yaml(text)}" for text in items]
    return "\n".join([*lines, ""])


def _yaml(value: Any) -> str:
    """One scalar in YAML 1.2 core: text always quoted (JSON's escaping is valid YAML)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return json.dumps(str(value), ensure_ascii=False)
