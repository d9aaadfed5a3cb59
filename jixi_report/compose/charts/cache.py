"""The report's charts, drawn only when what they show has changed.

Each chart is keyed on its spec (the data it plots, after the assessment has judged it), the
drawing code, the house style and matplotlib's version: a new value, a fixed judging rule or a
new colour redraws exactly the charts it changes. A warm rebuild draws nothing and imports no
matplotlib (a second by itself).
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import Executor
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path

from ...assess.engine import Assessment
from ...base.errors import BuildError
from ...base.files import read_record, write_all
from ...base.style import TEMPLATES
from ...content.model import Plan
from .specs import Chart, Spec, specs

RECORD = ".inputs.json"  # chart name → the key it was drawn for, in the charts' folder
_CODE = (
    "draw.py",
    "draw_trends.py",
    "draw_timeline.py",
    "layout.py",
    "shapes.py",
    "text.py",
    "output.py",
)


def key(spec: Spec, drawing: str) -> str:
    """Everything a chart's picture depends on: its spec and how it is drawn (`drawing`)."""
    data = json.dumps(asdict(spec), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(f"{drawing}\0{data}".encode()).hexdigest()


def drawing() -> str:
    """What every chart's picture depends on besides its data: the drawing code, the house
    style, matplotlib's version and the build date (SVG metadata)."""
    digest = hashlib.sha256()
    for text in (version("matplotlib"), os.environ.get("SOURCE_DATE_EPOCH") or ""):
        digest.update(text.encode("utf-8") + b"\0")
    for path in (*(Path(__file__).parent / n for n in _CODE), TEMPLATES / "style.yaml"):
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def draw_charts(
    plan: Plan, a: Assessment, folder: Path, pool: Executor | None = None, cache: bool = True
) -> list[Chart]:
    """Every chart of the report in `folder`, in report order; reused when its key is unchanged
    (never with `cache` off), the rest drawn, on both cores when `pool` is given."""
    wanted = specs(plan, a)
    how = drawing()
    keys = {s.name: key(s, how) for s in wanted}
    charts = [
        Chart(s.name, s.caption, folder / f"{s.name}.svg", folder / f"{s.name}.png") for s in wanted
    ]
    drawn = _record(folder) if cache else {}
    stale = [
        (spec, chart)
        for spec, chart in zip(wanted, charts, strict=True)
        if drawn.get(spec.name) != keys[spec.name]
        or not (chart.svg.is_file() and chart.png.is_file())
    ]
    if stale:
        _draw(stale, pool)
    record = json.dumps(keys, sort_keys=True).encode("utf-8")
    _write({folder / RECORD: record})
    return charts


def _record(folder: Path) -> dict[str, str]:
    """The keys the charts in `folder` were drawn for; nothing if the record is unreadable."""
    data = read_record(folder / RECORD)
    return data if isinstance(data, dict) else {}


def _draw(stale: list[tuple[Spec, Chart]], pool: Executor | None) -> None:
    from .draw import render  # matplotlib: only when something is to be drawn

    if pool is not None and len(stale) > 1:
        futures = [pool.submit(render, spec) for spec, _ in stale]
        rendered = [f.result() for f in futures]
    else:
        rendered = [render(spec) for spec, _ in stale]
    outputs: dict[Path, bytes] = {}
    for (_, chart), (svg, png) in zip(stale, rendered, strict=True):
        outputs[chart.svg], outputs[chart.png] = svg, png
    _write(outputs)


def _write(outputs: dict[Path, bytes]) -> None:
    try:
        write_all(outputs)
    except OSError as exc:
        folder = next(iter(outputs)).parent
        raise BuildError(f"cannot write the charts to {folder}: {exc}") from exc
