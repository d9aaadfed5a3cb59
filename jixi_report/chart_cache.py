"""Reuse the report's charts while nothing they are drawn from has changed.

Drawing them costs seconds and importing matplotlib alone a second; a warm rebuild (after an
edit of the report's text, or none) should pay neither.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import tempfile
from concurrent.futures import Executor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import write_all

if TYPE_CHECKING:
    from .assess import Assessment
    from .model import Plan

DATA_FILES = ("plan.yaml", "indicators.yaml", "projects.yaml")


@dataclass
class Chart:
    name: str  # file stem, e.g. "status", "trends-1"
    caption: str  # Chinese caption without number
    svg: Path
    png: Path


def matplotlib_config_dir() -> str:
    """A lasting place for matplotlib's font cache (rebuilding it costs 0.3 s a run); a
    temporary one when the user cache cannot be written, so a read-only home still builds."""
    lasting = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jixi-report"
    try:
        (lasting / "matplotlib").mkdir(parents=True, exist_ok=True)
        return str(lasting / "matplotlib")
    except OSError:
        temporary = tempfile.mkdtemp(prefix="jixi-report-mpl-")
        atexit.register(shutil.rmtree, temporary, ignore_errors=True)
        return temporary


def inputs_key(plan: Plan, year: int) -> str:
    """The data files, the year, the drawing code and matplotlib's version."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    digest = hashlib.sha256(f"{year}|{version('matplotlib')}|{epoch}".encode())
    digest.update((Path(__file__).parent / "charts.py").read_bytes())
    files = [plan.root / n for n in DATA_FILES] + sorted((plan.root / "monitoring").glob("*.yaml"))
    for path in files:
        digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()


def draw_cached(
    plan: Plan, assessment: Assessment, folder: Path, pool: Executor | None = None
) -> list[Chart]:
    """The charts in `folder` if they were drawn from the same inputs, else drawn anew."""
    key = inputs_key(plan, assessment.year)
    stamp = folder / ".inputs.json"
    if stamp.is_file():
        saved = json.loads(stamp.read_text(encoding="utf-8"))
        charts = [Chart(n, c, folder / f"{n}.svg", folder / f"{n}.png") for n, c in saved["charts"]]
        if saved["key"] == key and all(c.svg.is_file() and c.png.is_file() for c in charts):
            return charts
    from .charts import draw_all

    charts = draw_all(plan, assessment, folder, pool)
    record = {"key": key, "charts": [[c.name, c.caption] for c in charts]}
    write_all({stamp: json.dumps(record, ensure_ascii=False).encode("utf-8")})
    return charts
