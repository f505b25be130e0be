"""The cache lane: the one thread that reads and writes the cache file.

The views ask it for what to show, the user's writes (drafts, the outbox) go through it,
and the sync and outbox workers, which do HTTP only, hand it what the backend answered.
An operation is a function of the ``Cache``; when it returns a ``ChangeSet`` the lane
broadcasts it once, so every model hears of every change by
one path and in the order the cache made them. Nothing touches SQLite on the GUI thread,
and no two threads ever contend for the file's lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from desktop.services.cache import Cache
from desktop.services.cache_errors import CacheDamagedError, DiskFullError, is_damage, is_disk_full
from desktop.services.changes import ChangeSet
from desktop.services.tasks import Callback, TaskRunner

T = TypeVar("T")
Operation = Callable[[Cache], T]
Opening = Callable[[], tuple[Cache, T]]  # the cache, and what was repaired to open it


class LaneClosedError(RuntimeError):
    """The app is quitting (or the workspace closed): the operation did not run."""


class CacheNotOpenError(RuntimeError):
    """An operation reached the lane before the cache was opened (or after it closed)."""


class CacheLane:
    def __init__(
        self,
        tasks: TaskRunner,
        broadcast: Callable[[ChangeSet], None],
        on_damaged: Callable[[], None] = lambda: None,
    ) -> None:
        """``broadcast`` is given every non-empty change set, on the lane's thread (a Qt
        signal's ``emit``: it reaches the GUI thread queued, in order). ``on_damaged`` is
        called there once when an operation finds the file damaged: every operation fails
        with ``CacheDamagedError`` from then until ``reopen``."""
        self._tasks = tasks
        self._broadcast = broadcast
        self._on_damaged = on_damaged
        self._cache: Cache | None = None  # set and read on the lane only
        self._damaged = False
        self.closed = threading.Event()  # no operation runs once it is set

    # ---- from the GUI thread: the result comes back on it ------------------------------------

    def run(
        self,
        operation: Operation[Any],
        on_done: Callback | None = None,
        on_error: Callback | None = None,
    ) -> None:
        self._tasks.run_in_order(lambda: self._apply(operation), on_done, on_error)

    # ---- from a worker thread (sync, outbox, a task): it waits for the result -------------------

    def call(self, operation: Operation[T]) -> T:
        return self._wait(lambda: self._apply(operation))

    def open(self, make: Opening[T], first: Callable[[Cache], ChangeSet] | None = None) -> T | None:
        """The cache this lane serves from now on, made on the lane (opening runs its
        migrations and any repair, whose account it returns), with ``first`` run on it
        before any other operation can see it (the send journal's replay: no draft is read
        before it). From a worker thread, which waits."""
        return self._wait(lambda: self._open(make, first))

    def reopen(
        self,
        make: Opening[T],
        first: Callable[[Cache], ChangeSet] | None,
        on_done: Callback,
        on_error: Callback | None = None,
    ) -> None:
        """From the GUI thread, after ``on_damaged``: the damaged cache is let go and
        ``make`` opens its replacement, in order after what was queued before."""
        self._tasks.run_in_order(lambda: self._reopen(make, first), on_done, on_error)

    def reopen_waiting(
        self, make: Opening[T], first: Callable[[Cache], ChangeSet] | None = None
    ) -> T | None:
        """``reopen`` from a worker thread, which waits (the opening found the damage)."""
        return self._wait(lambda: self._reopen(make, first))

    def _wait(self, work: Callable[[], T]) -> T:
        if self._tasks.on_lane():  # already on it (an operation made of operations)
            return work()
        if threading.current_thread() is threading.main_thread():
            raise RuntimeError("the GUI thread never waits for the cache")
        future = self._tasks.submit_in_order(work)
        if future is None:
            raise LaneClosedError("the cache lane has shut down")
        return cast(T, future.result())

    def close(self) -> None:
        """After what was queued before it: the file is released and no operation runs
        any more."""
        self._tasks.run_in_order(self._close)

    # ---- on the lane -------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._cache is not None and not self.closed.is_set()

    def _open(self, make: Opening[T], first: Callable[[Cache], ChangeSet] | None) -> T | None:
        if self.closed.is_set():
            raise LaneClosedError("the workspace has closed")
        if self._cache is not None:
            return None
        cache, repaired = make()
        changes = first(cache) if first is not None else None
        self._cache = cache  # only now is the cache open to the others
        if changes:
            self._broadcast(changes)
        return repaired

    def _reopen(self, make: Opening[T], first: Callable[[Cache], ChangeSet] | None) -> T | None:
        cache, self._cache = self._cache, None
        if cache is not None:
            cache.close()
        self._damaged = False
        return self._open(make, first)

    def _close(self) -> None:
        self.closed.set()
        cache, self._cache = self._cache, None
        if cache is not None:
            cache.close()

    def _apply(self, operation: Operation[T]) -> T:
        if self.closed.is_set():
            raise LaneClosedError("the workspace has closed")
        if self._cache is None:
            raise CacheNotOpenError("the cache is not open")
        if self._damaged:
            raise CacheDamagedError("the cache is being rebuilt")
        try:
            result = operation(self._cache)
        except Exception as error:
            if is_damage(error):
                self._damaged = True
                self._on_damaged()
                raise CacheDamagedError("the cache is damaged") from error
            if is_disk_full(error):
                raise DiskFullError() from error
            raise
        if isinstance(result, ChangeSet) and result:
            self._broadcast(result)
        return result


class CacheCalls(Protocol):
    """What the sync and outbox workers need: an operation run on the cache, waited for."""

    def call(self, operation: Operation[T]) -> T: ...


class LockedCache:
    """The cache for a program without the app's lane (the crash proof's worker, a test of
    one part): operations run on the calling thread, one at a time; change sets go to
    ``sink``."""

    def __init__(self, cache: Cache, sink: Callable[[ChangeSet], None] | None = None) -> None:
        self.cache = cache
        self._sink = sink
        self._lock = threading.RLock()

    def call(self, operation: Operation[T]) -> T:
        with self._lock:
            result = operation(self.cache)
        if isinstance(result, ChangeSet) and result and self._sink is not None:
            self._sink(result)
        return result
