"""The workers' tasks handed out most urgent first, each once what it needs is done
(base/dispatch.py), and a report's charts drawn on them: a chapter with charts is laid out as
soon as they are, and a chart that fails leaves no record vouching for it."""

from __future__ import annotations

import json
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import MINI

from jixi_report.assess.engine import assess
from jixi_report.base.dispatch import DRAWING, HELD, LAYOUT, Dispatcher
from jixi_report.base.errors import BuildError
from jixi_report.build import workers
from jixi_report.compose.charts.cache import RECORD, start_charts
from jixi_report.content.load import load


def _held(tasks: Dispatcher) -> tuple[threading.Event, Future[None]]:
    """The one worker kept busy until the event is set: what is queued meanwhile waits."""
    go = threading.Event()
    return go, tasks.queue(go.wait, urgency=(HELD,))


def test_the_most_urgent_ready_task_goes_first() -> None:
    ran: list[str] = []
    with ThreadPoolExecutor(1) as pool:
        tasks = Dispatcher(pool, 1)
        go, first = _held(tasks)
        later = [
            tasks.submit(ran.append, "word"),  # queued first, the least urgent
            tasks.queue(ran.append, "short part", urgency=(LAYOUT, -10)),
            tasks.queue(ran.append, "chart 2", urgency=(DRAWING, 2)),
            tasks.queue(ran.append, "long part", urgency=(LAYOUT, -99)),
            tasks.queue(ran.append, "chart 1", urgency=(DRAWING, 1)),
        ]
        go.set()
        for future in [first, *later]:
            future.result(timeout=10)
    assert ran == ["chart 1", "chart 2", "long part", "short part", "word"]


def test_a_task_waits_for_what_it_needs_and_then_goes_first() -> None:
    ran: list[str] = []
    with ThreadPoolExecutor(1) as pool:
        tasks = Dispatcher(pool, 1)
        go, first = _held(tasks)
        chart = tasks.queue(ran.append, "chart", urgency=(DRAWING, 0))
        chapter = tasks.queue(ran.append, "chapter", urgency=(HELD, 0), after=[chart])
        other = tasks.queue(ran.append, "other chart", urgency=(DRAWING, 1))
        go.set()
        for future in (first, chart, chapter, other):
            future.result(timeout=10)
    assert ran == ["chart", "chapter", "other chart"]  # ahead of a chart queued before it


def test_a_task_whose_need_failed_fails_without_running() -> None:
    ran: list[str] = []
    with ThreadPoolExecutor(1) as pool:
        tasks = Dispatcher(pool, 1)
        broken = tasks.queue(int, "not a number", urgency=(DRAWING, 0))
        chapter = tasks.queue(ran.append, "chapter", urgency=(HELD, 0), after=[broken])
        with pytest.raises(ValueError, match="not a number"):
            chapter.result(timeout=10)
    assert ran == []


def test_a_cancelled_task_never_runs() -> None:
    ran: list[str] = []
    with ThreadPoolExecutor(1) as pool:
        tasks = Dispatcher(pool, 1)
        go, first = _held(tasks)
        word = tasks.submit(ran.append, "word")
        assert word.cancel()  # still waiting: it never reaches the pool
        go.set()
        first.result(timeout=10)
        tasks.shutdown()
    assert ran == [] and word.cancelled()


def test_charts_drawn_on_the_workers_and_a_failure_left_unrecorded(tmp_path: Path) -> None:
    plan = load(MINI)
    a = assess(plan, plan.meta.period.start)
    with workers(("pdf",), tmp_path) as pool:
        assert pool is not None
        drawing = start_charts(plan, a, tmp_path / "ok", pool, cache=False)
        assert drawing.pending  # queued, not drawn here
        charts = drawing.finish()
    assert all(c.svg.is_file() and c.png.is_file() for c in charts)
    assert set(json.loads((tmp_path / "ok" / RECORD).read_text())) == {c.name for c in charts}

    broken = plan.projects[0].model_copy(update={"name": "北湖区\U0002a6a5污水处理厂"})
    plan.projects[0] = broken
    folder = tmp_path / "broken"
    with pytest.raises(BuildError, match=r"chart timeline-1: Glyph 173733 .* missing"):
        with workers(("pdf",), tmp_path) as pool:
            start_charts(plan, assess(plan, plan.meta.period.start), folder, pool).finish()
    assert json.loads((folder / RECORD).read_text()) == {}  # no chart vouched for
