"""The sync engine: a worker thread long-polls the backend's change feed.

The worker does HTTP only: each answer goes to the cache lane, which stores the batch and
its cursor in one transaction, counts what is unread, and broadcasts what changed (one
``ChangeSet``). Losing the connection is normal on practice broadband: the engine reports
"offline", backs off, and catches up from its cursor.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Signal

from desktop.services.api import ApiClient, ApiError, OfflineError
from desktop.services.cache import Cache
from desktop.services.cache_errors import CacheDamagedError, DiskFullError
from desktop.services.cache_lane import CacheCalls
from desktop.services.changes import ChangeSet
from desktop.services.records import SyncChange, clients_messages
from desktop.services.unread import UnreadCounts
from petsapp_common.backoff import backoff_delay

log = logging.getLogger(__name__)

LONG_POLL_SECONDS = 25.0
MAX_BACKOFF_SECONDS = 15.0
BATCH = 500


class SyncEngine(QObject):
    """Signals (emitted from the worker thread, delivered queued on the GUI thread):
    sig_started(bool: the cache was empty, a first sync), sig_state(str: "syncing" | "disk_full" |
    "online" | "offline"), sig_offline_reason(str), sig_signed_out(str reason),
    sig_progress(int done, int total). What changed goes out on the lane's broadcast."""

    sig_started = Signal(bool)
    sig_state = Signal(str)
    sig_offline_reason = Signal(str)
    sig_signed_out = Signal(str)
    sig_progress = Signal(int, int)  # while catching up: changes applied, changes to apply

    def __init__(
        self,
        make_client: Callable[[], ApiClient],
        cache_calls: CacheCalls,
        wait: float = LONG_POLL_SECONDS,
        batch: int = BATCH,
        unread: UnreadCounts | None = None,
        open_chat: Callable[[], int | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        """``unread`` is counted on the lane with each batch, leaving out the chat
        ``open_chat()`` names (the one on screen). With a ``parent`` (the workspace), Qt
        deletes the engine with it on the GUI thread; a stopped engine's thread may still
        be ending, and must not be the one to delete it."""
        super().__init__(parent)
        self._make_client = make_client
        self._calls = cache_calls
        self._wait = wait
        self._batch = batch
        self._unread = unread
        self._open_chat = open_chat
        self._newest_in = 0  # the newest client message seen, so none is announced twice
        self._first_sync = False
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

    def stop(self) -> None:
        """No more requests, and an answer in flight is dropped (signing out wipes the
        cache; at quit the cursor has not moved, so the next start asks again). The thread
        is not waited for: it is a daemon and ends at its next step."""
        self._stop.set()
        self._kick.set()

    def join(self, timeout: float) -> None:
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
        try:
            self._calls.call(self._begin)
            cursor = self._calls.call(lambda cache: cache.cursor)
            catch_up_from = cursor
            self._first_sync = cursor == 0  # an empty cache: the group's history comes down
            self.sig_started.emit(cursor == 0)
            if cursor == 0:
                self._set_state("syncing")
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
                changes = answer["changes"]
                if changes:
                    # "online" before this answer: a live long-poll, not a catch-up.
                    live = self.state == "online"
                    new_cursor = int(answer["cursor"])
                    try:
                        self._calls.call(
                            partial(self._store, changes=changes, cursor=new_cursor, live=live)
                        )
                    except DiskFullError:
                        # Nothing of the batch was stored: the same answer is asked for
                        # again, until there is room.
                        failures += 1
                        self._set_state("disk_full")
                        self._pause(failures)
                        continue
                    cursor = new_cursor
                if answer.get("more"):
                    latest = max(int(answer.get("latest") or cursor), cursor)
                    self._set_state("syncing")
                    self.sig_progress.emit(cursor - catch_up_from, latest - catch_up_from)
                else:
                    catch_up_from = cursor
                    self._first_sync = False
                    self._set_state("online")
        except CacheDamagedError:
            pass  # the workspace rebuilds the cache and starts another engine
        except Exception:
            if not self._stop.is_set():  # stopping (the lane closed under it) is no news
                log.exception("sync engine stopped unexpectedly")
                self._set_state("offline")
        finally:
            client.close()

    def _begin(self, cache: Cache) -> ChangeSet:
        """On the lane, before the first request: the unread counts as they were (what the
        batches change comes after them, in order)."""
        return ChangeSet(unread=self._unread.counts(cache) if self._unread else {})

    def _store(self, cache: Cache, changes: list[SyncChange], cursor: int, live: bool) -> ChangeSet:
        """On the lane: the batch and its cursor stored, unread counted; what changed."""
        if self._stop.is_set():
            return ChangeSet()
        chats, messages = cache.apply_changes(changes, cursor)
        unread = (
            self._unread.take(cache, changes, self._open_chat(), catching_up=self._first_sync)
            if self._unread
            else {}
        )
        arrived = []
        for message, server_id in clients_messages(changes):
            if server_id > self._newest_in:
                self._newest_in = server_id
                arrived.append(message)
        return ChangeSet(
            chats=tuple(chats),
            messages=tuple(messages),
            unread=unread,
            inbound=tuple(arrived) if live else (),
        )

    def _pause(self, failures: int) -> None:
        """Exponential back-off with jitter, cut short by stop() or retry_now()."""
        self._kick.wait(backoff_delay(failures, 0.5, MAX_BACKOFF_SECONDS))
        self._kick.clear()
