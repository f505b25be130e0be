"""Work off the GUI thread, results back on it (the pattern of Anki's task manager).

A task runs on a worker pool; its result or exception comes back through a queued Qt
signal, so callbacks always run on the GUI thread and may touch widgets and models.
The cache has a lane of its own (``run_in_order``): one thread, first in first out,
finished before the app quits. It is the only thread that reads or writes the cache file
(``cache_lane.CacheLane``), so what the user sends reaches the outbox in the order sent, and
no two writers ever wait on each other's SQLite lock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from desktop.services.cache_errors import CacheDamagedError, DiskFullError
from desktop.services.notices import NoticeBridge

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
LANE_THREAD = "cache"


class TaskRunner(QObject):
    """Runs callables on worker threads; ``on_done``/``on_error`` run on the GUI thread.
    A task that fails with no ``on_error`` is logged and, with ``notices``, told to the
    user through the one notice path: never only in the log."""

    _finished = Signal(object, object)  # callback, value

    def __init__(
        self, workers: int = 4, parent: QObject | None = None, notices: NoticeBridge | None = None
    ) -> None:
        super().__init__(parent)
        self._notices = notices
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="task")
        self._in_order = ThreadPoolExecutor(max_workers=1, thread_name_prefix=LANE_THREAD)
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._closed = False

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: Callback | None = None,
    ) -> Future[Any] | None:
        return self._submit(self._pool, work, on_done, on_error)

    def run_in_order(
        self,
        work: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: Callback | None = None,
    ) -> Future[Any] | None:
        """Like ``run``, but each such task starts after the previous one finished: two
        messages sent quickly reach the outbox, and so the client, in the order sent."""
        return self._submit(self._in_order, work, on_done, on_error)

    def submit_in_order(self, work: Callable[[], Any]) -> Future[Any] | None:
        """On the lane, for a worker thread that waits for the result itself (nothing is
        delivered to the GUI thread). None once the runner has shut down."""
        if self._closed:
            return None
        try:
            return self._in_order.submit(work)
        except RuntimeError:  # shut down meanwhile, by the GUI thread
            return None

    @staticmethod
    def on_lane() -> bool:
        """Whether the calling thread is the lane's."""
        return threading.current_thread().name.startswith(LANE_THREAD)

    def _submit(
        self,
        pool: ThreadPoolExecutor,
        work: Callable[[], Any],
        on_done: Callback | None,
        on_error: Callback | None,
    ) -> Future[Any] | None:
        if self._closed:
            return None
        future = pool.submit(work)
        future.add_done_callback(lambda f: self._complete(f, on_done, on_error))
        return future

    def _complete(
        self, future: Future[Any], on_done: Callback | None, on_error: Callback | None
    ) -> None:
        if self._closed:
            return
        error = future.exception()
        if error is not None:
            self._finished.emit(on_error or self._unhandled, error)
        elif on_done is not None:
            self._finished.emit(on_done, future.result())

    def _deliver(self, callback: Callback, value: Any) -> None:
        callback(value)

    def shutdown(self, wait: bool = True) -> None:
        self._closed = True
        self._pool.shutdown(wait=wait, cancel_futures=True)
        # Never cancelled: each is something the user sent or decided, not yet written down.
        self._in_order.shutdown(wait=wait)

    def _unhandled(self, error: BaseException) -> None:
        if isinstance(error, CacheDamagedError):
            return  # the cache is being rebuilt: the workspace tells the user that, once
        if isinstance(error, DiskFullError):
            log.warning("a write failed: the disk is full")
            if self._notices is not None:
                self._notices.error(str(error))
            return
        log.error("background task failed", exc_info=error)
        if self._notices is not None:
            self._notices.error(
                QCoreApplication.translate(
                    "TaskRunner",
                    "Something went wrong in the background (%1). The details are in the log: "
                    "Help → Open log folder.",
                ).replace("%1", type(error).__name__)
            )
