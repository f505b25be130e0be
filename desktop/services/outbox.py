"""The outbox: nothing typed is ever lost or sent twice, offline or crashed.

Everything the user does (messages, hand-offs, detail edits, closing and reopening chats) is
written to the cache first
and shown at once as pending; a worker thread sends it when the backend is reachable, in
order per chat, with the item's ``client_id`` as the backend's idempotency key, so a resend
after a crash or a lost answer is recognised rather than repeated.

- Transient faults (no route, timeouts, 5xx, 429) retry with exponential back-off and
  jitter, for up to 24 hours; then the item fails with the reason.
- Refusals (opted out, invalid...) fail at once with the backend's reason.
- A message that waited and whose chat changed meanwhile (a new message from the client or
  a colleague, or a hand-off; not a delivery status) is held for the user to send or discard.
- Failed and held messages stop the items after them in that chat until the user decides.
- A refused hand-off, detail edit or close/reopen is taken out of the way (it has no bubble
  to decide on) and reported with its reason and what the user wrote, so nothing is lost
  silently and nothing behind it waits.

Writing runs on the cache lane: each write is a function of the cache that returns what it
changed (a ``ChangeSet``, which the lane broadcasts). Sending runs on one worker thread of
its own that does HTTP only and hands every answer to the lane (``CacheCalls``).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.services.api import ApiClient, ApiError, OfflineError
from desktop.services.cache import Cache, iso_at
from desktop.services.cache_errors import CacheDamagedError, DiskFullError
from desktop.services.cache_lane import CacheCalls, Operation
from desktop.services.changes import NO_CHANGES, ChangeSet, Refusal
from desktop.services.outbox_store import OutboxStore, QueuedItem, pending_message
from desktop.services.records import Chat, Message, as_shown
from desktop.services.send_journal import JournalEntry
from desktop.services.tr_marks import QT_TRANSLATE_NOOP
from petsapp_common.backoff import backoff_delay

log = logging.getLogger(__name__)

GIVE_UP_AFTER = 24 * 3600.0
HOLD_AFTER = 10.0  # an item sent within this long of being written cannot be stale
BASE_BACKOFF = 1.0
MAX_BACKOFF = 300.0
# Shown under the held message (translated when stored).
CHANGED = QT_TRANSLATE_NOOP("Outbox", "The chat changed since this was written.")
TRANSIENT_STATUSES = {408, 429}


class Outbox:
    def __init__(
        self,
        cache_calls: CacheCalls,
        make_client: Callable[[], ApiClient],
        me: int | None,
        on_signed_out: Callable[[str], None] = lambda _reason: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._calls = cache_calls
        self._make_client = make_client
        self._me = me
        self._on_signed_out = on_signed_out
        self._clock = clock
        self._stop = threading.Event()  # no more sending (the app quits, the session ended)
        self._abandoned = threading.Event()  # and no more writing: signed out, cache wiped
        self._kick = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- writing: on the cache lane, given the cache ------------------------------------------

    def write_message(
        self, cache: Cache, chat_id: int, body: str, client_id: str | None = None
    ) -> ChangeSet:
        """The message, pending, with the chat's saved draft cleared in the same transaction
        (``client_id``: the one the send journal gave it at the click)."""
        client_id = client_id or str(uuid.uuid4())
        message = pending_message(chat_id, client_id, body, self._me)
        store = OutboxStore(cache)
        item = self._item(store, "message", chat_id, {"body": body}, client_id)
        store.add(item, message, clear_draft=True)
        return self._written(store, as_shown(message, client_id, True))

    def write_journalled(self, cache: Cache, entry: JournalEntry) -> ChangeSet | None:
        """A message left in the send journal (Send was pressed, and the app stopped before
        or just after its outbox item was written): written now, as it was pressed, unless
        the outbox or the chat has it already (None then). The same ``client_id`` keeps it
        from being sent twice even if it did get through."""
        message = pending_message(
            entry.chat_id, entry.client_id, entry.body, self._me, iso_at(entry.written_at)
        )
        store = OutboxStore(cache)
        item = self._item(
            store, "message", entry.chat_id, {"body": entry.body}, entry.client_id, entry.written_at
        )
        if not store.add_journalled(item, message, entry.written_at):
            return None
        return self._written(store, as_shown(message, entry.client_id, True))

    def write_handoff(self, cache: Cache, chat_id: int, to_staff_id: int, note: str) -> ChangeSet:
        return self._write(cache, "handoff", chat_id, {"to_staff_id": to_staff_id, "note": note})

    def write_details(
        self, cache: Cache, chat_id: int, owner_name: str, pet_name: str
    ) -> ChangeSet:
        return self._write(
            cache, "details", chat_id, {"owner_name": owner_name, "pet_name": pet_name}
        )

    def write_status(self, cache: Cache, chat_id: int, status: str) -> ChangeSet:
        """Close (``"closed"``) or reopen (``"open"``) the chat."""
        return self._write(cache, "status", chat_id, {"status": status})

    def _write(self, cache: Cache, kind: str, chat_id: int, payload: dict[str, Any]) -> ChangeSet:
        store = OutboxStore(cache)
        store.add(self._item(store, kind, chat_id, payload), None)
        return self._written(store)

    def _written(self, store: OutboxStore, message: Message | None = None) -> ChangeSet:
        self._kick.set()
        return ChangeSet(messages=(message,) if message else (), pending=store.count())

    def _item(
        self,
        store: OutboxStore,
        kind: str,
        chat_id: int,
        payload: dict[str, Any],
        client_id: str | None = None,
        written_at: float | None = None,
    ) -> QueuedItem:
        now = self._clock()
        return QueuedItem(
            client_id=client_id or str(uuid.uuid4()),
            chat_id=chat_id,
            kind=kind,
            payload=payload,
            state="pending",
            error=None,
            attempts=0,
            next_attempt_at=now,
            first_tried_at=None,
            written_at=now if written_at is None else written_at,
            seen=store.chat_seen(chat_id, self._me),
        )

    # ---- the user's decisions on failed or held items (on the lane) ---------------------------

    def retry(self, cache: Cache, client_id: str) -> ChangeSet:
        """Send again (a failed item), or send anyway (a held one)."""
        store = OutboxStore(cache)
        item = store.get(client_id)
        if item is None:
            return NO_CHANGES
        store.update(
            client_id,
            message_state="pending",
            state="pending",
            error=None,
            attempts=0,
            first_tried_at=None,
            next_attempt_at=self._clock(),
            seen=store.chat_seen(item["chat_id"], self._me),  # what the user now accepted
        )
        self._kick.set()
        return _item_changed(store, item)

    def discard(self, cache: Cache, client_id: str) -> ChangeSet:
        store = OutboxStore(cache)
        store.discard(client_id)
        return ChangeSet(removed_messages=(client_id,), pending=store.count())

    # ---- sending: one worker thread, HTTP only ------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """No more sending. An answer in flight is still written down (the thread is not
        waited for: it is a daemon, and ends at its next step)."""
        self._stop.set()
        self._kick.set()

    def abandon(self) -> None:
        """Signing out: stop, and an answer in flight is dropped (the cache is being wiped;
        the backend knows the item by its key if it is ever sent again)."""
        self._abandoned.set()
        self.stop()

    def join(self, timeout: float) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def kick(self) -> None:
        """Try now (the connection came back, or the user pressed Send)."""
        self._kick.set()

    def _run(self) -> None:
        client = self._make_client()  # one requests.Session per thread
        full = 0  # writes refused in a row for lack of disk space
        scheduled = False
        try:
            while not self._stop.is_set():
                try:
                    if not scheduled:
                        # At start the outbox is tried at once: no back-off carried over.
                        self._lane(lambda cache: OutboxStore(cache).reset_schedule(self._clock()))
                        scheduled = True
                    self.drain(client)
                    wait = self._seconds_to_next()
                    full = 0
                except DiskFullError:
                    # An answer could not be written down: the item stays and goes again
                    # (the backend knows it by its key) once there is room.
                    full += 1
                    wait = backoff_delay(full, BASE_BACKOFF, MAX_BACKOFF)
                self._kick.wait(wait)
                self._kick.clear()
        except CacheDamagedError:
            pass  # the workspace rebuilds the cache and starts another outbox
        except Exception:
            if not self._stop.is_set():  # stopping (the lane closed under it) is no news
                log.exception("outbox worker stopped unexpectedly")
        finally:
            client.close()

    def _lane(self, operation: Operation[Any]) -> Any:
        """``operation`` on the cache, unless signed out meanwhile (it would write the last
        person's data into the wiped cache)."""
        return self._calls.call(
            lambda cache: None if self._abandoned.is_set() else operation(cache)
        )

    def _due(self) -> list[QueuedItem]:
        firsts = self._lane(lambda cache: OutboxStore(cache).next_per_chat()) or []
        return [i for i in firsts if i["state"] == "pending"]

    def _seconds_to_next(self) -> float:
        due = [i["next_attempt_at"] for i in self._due()]
        return max(0.0, min(due) - self._clock()) if due else 60.0

    def drain(self, client: ApiClient) -> int:
        """Send every item that is due, chat by chat in order. Returns how many went."""
        sent = 0
        while not self._stop.is_set():
            now = self._clock()
            due = [i for i in self._due() if i["next_attempt_at"] <= now]
            if not due:
                return sent
            for item in due:
                outcome = self._send(client, item)
                if outcome == "sent":
                    sent += 1
                elif outcome in {"offline", "signed_out"}:
                    return sent  # the others would fail the same way now
        return sent

    def _send(self, client: ApiClient, item: QueuedItem) -> str:
        now = self._clock()
        if self._lane(lambda cache: self._hold_if_changed(cache, item, now)):
            return "held"
        try:
            confirmed = self._deliver(client, item)
        except OfflineError as exc:
            reason = str(exc)
            self._lane(lambda cache: self._schedule_retry(cache, item, reason, now))
            return "offline"
        except ApiError as exc:
            if exc.is_auth:
                # The session ended: this outbox stops (items stay); signing in again
                # starts a new one that takes them up.
                self._stop.set()
                self._on_signed_out(exc.message)
                return "signed_out"
            reason = exc.message
            if exc.status in TRANSIENT_STATUSES:
                self._lane(lambda cache: self._schedule_retry(cache, item, reason, now))
                return "offline"
            self._lane(lambda cache: _refused(cache, item, reason))
            return "failed"
        self._lane(confirmed)
        return "sent"

    def _deliver(self, client: ApiClient, item: QueuedItem) -> Operation[ChangeSet]:
        """The item to the backend; what to write down of its answer (on the lane)."""
        payload, chat_id, client_id = item["payload"], item["chat_id"], item["client_id"]
        if item["kind"] == "message":
            message = client.send_message(chat_id, client_id, payload["body"])
            return lambda cache: _confirmed(cache, item, message=message)
        if item["kind"] == "handoff":
            chat = client.hand_off(chat_id, payload["to_staff_id"], payload["note"], client_id)
        elif item["kind"] == "status":
            chat = client.set_status(chat_id, payload["status"])
        else:
            chat = client.update_details(chat_id, payload["owner_name"], payload["pet_name"])
        return lambda cache: _confirmed(cache, item, chat=chat)

    def _hold_if_changed(self, cache: Cache, item: QueuedItem, now: float) -> ChangeSet | None:
        # Only a message is held: it was written to what the chat said then. A hand-off, a
        # name or closing is what the user wants done whatever was said since.
        if item["kind"] != "message" or now - item["written_at"] < HOLD_AFTER:
            return None
        store = OutboxStore(cache)
        if cache.chat(item["chat_id"]) is None:
            return None  # a rebuilt cache that has not got the chat back yet: nothing to compare
        if store.chat_seen(item["chat_id"], self._me) == item["seen"]:
            return None
        error = QCoreApplication.translate("Outbox", CHANGED)
        store.update(item["client_id"], message_state="held", state="held", error=error)
        return _item_changed(store, item, not_sent=error)

    def _schedule_retry(self, cache: Cache, item: QueuedItem, reason: str, now: float) -> ChangeSet:
        store = OutboxStore(cache)
        first = item["first_tried_at"] or now
        if now - first >= GIVE_UP_AFTER:
            error = QCoreApplication.translate(
                "Outbox", "Not sent: the server could not be reached for 24 hours (%1)"
            ).replace("%1", reason)
            store.update(item["client_id"], message_state="failed", state="failed", error=error)
            return _item_changed(store, item, not_sent=error)
        attempts = item["attempts"] + 1
        store.update(
            item["client_id"],
            attempts=attempts,
            first_tried_at=first,
            next_attempt_at=now + backoff_delay(attempts, BASE_BACKOFF, MAX_BACKOFF),
            error=reason,
        )
        return NO_CHANGES


def _confirmed(
    cache: Cache, item: QueuedItem, message: Message | None = None, chat: Chat | None = None
) -> ChangeSet:
    """The backend has the item: it leaves the outbox, and what the backend answered lands."""
    store = OutboxStore(cache)
    chats, messages = store.done(item["client_id"], message=message, chat=chat)
    return ChangeSet(chats=tuple(chats), messages=tuple(messages), pending=store.count())


def _refused(cache: Cache, item: QueuedItem, error: str) -> ChangeSet:
    """A message fails for the user to decide on; anything else is taken out of the way and
    told with what the user wrote (it has no bubble to decide on)."""
    store = OutboxStore(cache)
    if item["kind"] == "message":
        store.update(item["client_id"], message_state="failed", state="failed", error=error)
        return _item_changed(store, item, not_sent=error)
    store.discard(item["client_id"])
    refusal = Refusal(item["kind"], item["chat_id"], item["payload"], error)
    return ChangeSet(refused=(refusal,), pending=store.count())


def _item_changed(store: OutboxStore, item: QueuedItem, not_sent: str = "") -> ChangeSet:
    """An item changed state: its message row (if any) shows it."""
    row = store.cache.message(item["client_id"]) if item["kind"] == "message" else None
    return ChangeSet(
        messages=(row,) if row else (),
        pending=store.count(),
        not_sent=(not_sent,) if not_sent else (),
    )
