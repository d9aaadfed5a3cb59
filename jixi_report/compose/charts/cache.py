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
from concurrent.futures import Future
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

from ...assess.engine import Assessment
from ...base.dispatch import DRAWING, Dispatcher
from ...base.errors import BuildError
from ...base.files import read_record, write_all
from ...base.style import TEMPLATES
from ...content.model import Plan
from .specs import Chart, Spec, specs

RECORD = ".inputs.json"  # chart name → the key it was drawn for, in the charts' folder
# Every module of this package: a change to any of them may change a picture (the drawing,
# the SVG's tidying, how matplotlib writes and reads its faces), so it redraws every chart.
_CODE = tuple(sorted(p.name for p in Path(__file__).parent.glob("*.py")))


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
    plan: Plan, a: Assessment, folder: Path, pool: Dispatcher | None = None, cache: bool = True
) -> list[Chart]:
    """Every chart of the report in `folder`, in report order; reused when its key is unchanged
    (never with `cache` off), the rest drawn, on both cores when `pool` is given."""
    return start_charts(plan, a, folder, pool, cache).finish()


@dataclass
class Drawing:
    """The report's charts in report order, those being drawn on the workers still `pending`
    (by SVG file: each worker writes the files of the chart it draws). What they were drawn
    for is recorded once all are (`finish`): a build that fails meanwhile leaves no record of
    a chart it did not write."""

    charts: list[Chart]
    pending: dict[Path, Future[None]]
    record: dict[Path, bytes]

    def finish(self) -> list[Chart]:
        """Every chart drawn (a chart's failure is raised here) and the record written."""
        for future in self.pending.values():
            future.result()
        _write(self.record)
        return self.charts


def start_charts(
    plan: Plan, a: Assessment, folder: Path, pool: Dispatcher | None = None, cache: bool = True
) -> Drawing:
    """`draw_charts` without waiting: with a pool, the charts to draw are queued on it, the
    first of the report first, and the document can be made (it needs only their files'
    names) and its parts laid out while they are drawn."""
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
    record = {folder / RECORD: _keys(keys)}
    pending: dict[Path, Future[None]] = {}
    if stale:
        from .draw import render  # matplotlib, before the workers fork

        if pool is not None and len(stale) > 1:
            # Each worker writes the chart it draws: until all are, the record vouches only
            # for the charts kept, and a build failing meanwhile leaves none it did not finish.
            redrawn = {spec.name for spec, _ in stale}
            _write({folder / RECORD: _keys({n: k for n, k in keys.items() if n not in redrawn})})
            for n, (spec, chart) in enumerate(stale):
                urgency = (DRAWING, n)
                pending[chart.svg] = pool.queue(draw_into, spec, chart, urgency=urgency)
        else:  # here, all drawn before any is written: a chart that fails leaves none
            outputs: dict[Path, bytes] = {}
            for spec, chart in stale:
                outputs[chart.svg], outputs[chart.png] = render(spec)
            _write(outputs)
    return Drawing(charts, pending, record)


def draw_into(spec: Spec, chart: Chart) -> None:
    """Draw one chart into its files, on a worker process."""
    from .draw import render

    svg, png = render(spec)
    _write({chart.svg: svg, chart.png: png})


def _keys(keys: dict[str, str]) -> bytes:
    return json.dumps(keys, sort_keys=True).encode("utf-8")


def _record(folder: Path) -> dict[str, str]:
    """The keys the charts in `folder` were drawn for; nothing if the record is unreadable."""
    data = read_record(folder / RECORD)
    return data if isinstance(data, dict) else {}


def _write(outputs: dict[Path, bytes]) -> None:
    try:
        write_all(outputs)
    except OSError as exc:
        folder = next(iter(outputs)).parent
        raise BuildError(f"cannot write the charts to {folder}: {exc}") from exc
