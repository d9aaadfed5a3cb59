"""Work handed to the build's worker processes one task per free worker, the most urgent ready
task first.

A process pool runs its tasks in the order they were submitted. A report's build submits its
charts first, and a chapter with charts can only be laid out once they are drawn: submitted
then, it would wait behind every chart and part queued meanwhile, and the longest chapter,
the one the build waits for, would start last. So tasks wait here, with an urgency and the
tasks they need done first (`after`), and each time a worker comes free it is given the most
urgent task whose needs are met: the chapter as soon as its charts are drawn, ahead of other
charts and of chapters that need none.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from typing import Any

# Urgencies, most urgent first (a task's urgency is one of these, then its own order).
HELD = 0  # a task that waited for others: it goes as soon as they are done
DRAWING = 1  # a chart, in report order
LAYOUT = 2  # a part that needs nothing drawn, the longest first
AFTER = 3  # the rest (Word), in the order queued


class Dispatcher(Executor):
    """The pool's tasks in order of urgency, as many at a time as it has workers."""

    def __init__(self, pool: Executor, workers: int) -> None:
        self.pool, self.workers = pool, workers
        self._lock = threading.RLock()
        self._waiting: list[tuple[tuple[Any, ...], int, _Task]] = []
        self._order = itertools.count()
        self._running = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """After the layouts and every task queued before it so."""
        return self.queue(fn, *args, urgency=(AFTER,), **kwargs)

    def queue(
        self,
        fn: Callable[..., Any],
        *args: Any,
        urgency: tuple[Any, ...],
        after: Iterable[Future[Any]] = (),
        **kwargs: Any,
    ) -> Future[Any]:
        """`fn(*args, **kwargs)` on a worker once the tasks `after` are done; of the tasks
        ready when a worker comes free, the lowest `urgency` goes first."""
        task = _Task(fn, args, kwargs, list(after), Future())
        for needed in task.after:
            needed.add_done_callback(lambda _: self._dispatch())
        with self._lock:
            self._waiting.append((urgency, next(self._order), task))
        self._dispatch()
        return task.future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures:
            with self._lock:
                for _, _, task in self._waiting:
                    task.future.cancel()
                self._waiting.clear()
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def _dispatch(self) -> None:
        """Give each free worker the most urgent ready task (a task whose needs failed fails)."""
        with self._lock:
            while self._running < self.workers:
                task = self._take()
                if task is None:
                    return
                if not task.future.set_running_or_notify_cancel():
                    continue  # cancelled while it waited
                failed = next((f for f in task.after if f.cancelled() or f.exception()), None)
                if failed is not None:
                    task.future.set_exception(
                        failed.exception() if not failed.cancelled() else RuntimeError("cancelled")
                    )
                    continue
                self._running += 1
                inner = self.pool.submit(task.fn, *task.args, **task.kwargs)
                inner.add_done_callback(lambda done, task=task: self._finished(task, done))

    def _take(self) -> _Task | None:
        """The most urgent task whose needs are done, taken from those waiting; None if none
        is (a build queues tens of tasks: a look at each is nothing beside a task)."""
        ready = [entry for entry in self._waiting if all(f.done() for f in entry[2].after)]
        if not ready:
            return None
        first = min(ready, key=lambda entry: entry[:2])
        self._waiting.remove(first)
        return first[2]

    def _finished(self, task: _Task, done: Future[Any]) -> None:
        with self._lock:
            self._running -= 1
        error = done.exception() if not done.cancelled() else RuntimeError("cancelled")
        if error is not None:
            task.future.set_exception(error)
        else:
            task.future.set_result(done.result())
        self._dispatch()


class _Task:
    __slots__ = ("after", "args", "fn", "future", "kwargs")

    def __init__(
        self,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        after: list[Future[Any]],
        future: Future[Any],
    ) -> None:
        self.fn, self.args, self.kwargs, self.after, self.future = fn, args, kwargs, after, future
