"""The sync engine: a worker thread long-polls the backend's change feed.

Each batch and its cursor go into the cache in one transaction, then the changed records
are handed to the GUI thread through ``sig_changes``. Losing the connection is normal on
practice broadband: the engine reports "offline", backs off, and catches up from its cursor.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.services.api import ApiClient, ApiError, OfflineError
from desktop.services.backoff import backoff_delay
from desktop.services.cache import Cache

log = logging.getLogger(__name__)

LONG_POLL_SECONDS = 25.0
MAX_BACKOFF_SECONDS = 15.0
BATCH = 500


class SyncEngine(QObject):
    """Signals (emitted from the worker thread, delivered queued on the GUI thread):
    sig_changes(list of changes), sig_state(str: "syncing" | "online" | "offline"),
    sig_offline_reason(str), sig_signed_out(str reason), sig_progress(int done, int total)."""

    sig_changes = Signal(list)
    sig_state = Signal(str)
    sig_offline_reason = Signal(str)
    sig_signed_out = Signal(str)
    sig_progress = Signal(int, int)  # while catching up: changes applied, changes to apply

    def __init__(
        self,
        make_client: Callable[[], ApiClient],
        cache: Cache,
        wait: float = LONG_POLL_SECONDS,
        batch: int = BATCH,
        on_batch: Callable[[list[dict[str, Any]]], None] | None = None,
        on_start: Callable[[bool], None] | None = None,
    ) -> None:
        """``on_batch`` runs on the worker thread after each batch is in the cache;
        ``on_start`` on it before the first request, told whether the cache is empty (a
        first sync). Both run before anything they cause is signalled, so in order."""
        super().__init__()
        self._make_client = make_client
        self._cache = cache
        self._wait = wait
        self._batch = batch
        self._on_batch = on_batch
        self._on_start = on_start
        self._stop = threading.Event()
        self._kick = threading.Event()
        self._thread: threading.Thread | None = None
        self.state = "connecting"  # the first answer (or its absence) always reports

    def start(self) -> None:
        if self._thread is not None:
            return
        # A daemon thread: a long-poll in flight must never keep the app from quitting.
        self._thread = threading.Thread(target=self._run, name="sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        self._stop.set()
        self._kick.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def retry_now(self) -> None:
        """Skip the current back-off (e.g. the user pressed Send)."""
        self._kick.set()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.sig_state.emit(state)

    def _run(self) -> None:
        client = self._make_client()  # one requests.Session per thread
        failures = 0
        cursor = self._cache.cursor
        catch_up_from = cursor
        if self._on_start is not None:
            self._on_start(cursor == 0)
        if cursor == 0:
            self._set_state("syncing")
        try:
            while not self._stop.is_set():
                try:
                    wait = 0.0 if self.state != "online" else self._wait
                    answer = client.sync(cursor, wait=wait, limit=self._batch)
                except OfflineError as exc:
                    failures += 1
                    self._set_state("offline")
                    self.sig_offline_reason.emit(str(exc))
                    self._pause(failures)
                    continue
                except ApiError as exc:
                    if exc.is_auth:
                        self.sig_signed_out.emit(exc.message)
                        return
                    failures += 1
                    log.warning("sync refused: %s", exc.code)
                    self._pause(failures)
                    continue
                failures = 0
                changes: list[dict[str, Any]] = answer["changes"]
                if changes:
                    self._cache.apply_changes(changes, answer["cursor"])
                    cursor = answer["cursor"]
                    self.sig_changes.emit(changes)
                    if self._on_batch is not None:  # after: what it signals reads as newer
                        self._on_batch(changes)
                if answer.get("more"):
                    latest = max(int(answer.get("latest") or cursor), cursor)
                    self._set_state("syncing")
                    self.sig_progress.emit(cursor - catch_up_from, latest - catch_up_from)
                else:
                    catch_up_from = cursor
                    self._set_state("online")
        except Exception:
            log.exception("sync engine stopped unexpectedly")
            self._set_state("offline")
        finally:
            client.close()

    def _pause(self, failures: int) -> None:
        """Exponential back-off with jitter, cut short by stop() or retry_now()."""
        self._kick.wait(backoff_delay(failures, 0.5, MAX_BACKOFF_SECONDS))
        self._kick.clear()
