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

This module is Qt-free: events go to a plain callback, which the workspace turns into
Qt signals.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from desktop.services.api import ApiClient, ApiError, OfflineError
from desktop.services.backoff import backoff_delay
from desktop.services.cache import Cache
from desktop.services.outbox_store import OutboxStore, pending_message
from desktop.services.send_journal import JournalEntry
from desktop.services.tr_marks import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

GIVE_UP_AFTER = 24 * 3600.0
HOLD_AFTER = 10.0  # an item sent within this long of being written cannot be stale
BASE_BACKOFF = 1.0
MAX_BACKOFF = 300.0
# Shown under the held message (translated when stored).
CHANGED = QT_TRANSLATE_NOOP("Outbox", "The chat changed since this was written.")
TRANSIENT_STATUSES = {408, 429}

Notify = Callable[[str, dict[str, Any]], None]


class Outbox:
    """Events passed to ``notify(kind, data)``: "message" (a message record changed),
    "chat" (a chat record), "discarded" ({"client_id", "chat_id"}), "pending"
    ({"count"}), "signed_out" ({"reason"}), "refused" (an item other than a message the
    backend refused: {"kind", "chat_id", "payload", "error"})."""

    def __init__(
        self,
        cache: Cache,
        make_client: Callable[[], ApiClient],
        me: int | None,
        notify: Notify = lambda _kind, _data: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = OutboxStore(cache)
        self._make_client = make_client
        self._me = me
        self._notify = notify
        self._clock = clock
        self._stop = threading.Event()
        self._kick = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- writing: any thread; touches only the cache ------------------------------------

    def write_message(
        self, chat_id: int, body: str, client_id: str | None = None
    ) -> dict[str, Any]:
        """The message, pending, with the chat's saved draft cleared in the same transaction
        (``client_id``: the one the send journal gave it at the click)."""
        client_id = client_id or str(uuid.uuid4())
        message = pending_message(chat_id, client_id, body, self._me)
        self._write("message", chat_id, {"body": body}, client_id, message, clear_draft=True)
        return dict(message, key=client_id, pending=True)

    def write_journalled(self, entry: JournalEntry) -> dict[str, Any] | None:
        """A message left in the send journal (Send was pressed, and the app stopped before
        or just after its outbox item was written): written now, as it was pressed, unless
        the outbox or the chat has it already (None then). The same ``client_id`` keeps it
        from being sent twice even if it did get through."""
        created_at = datetime.fromtimestamp(entry.written_at, UTC).isoformat()
        message = pending_message(
            entry.chat_id, entry.client_id, entry.body, self._me, created_at.replace("+00:00", "Z")
        )
        item = self._item(
            "message", entry.chat_id, {"body": entry.body}, entry.client_id, entry.written_at
        )
        if not self.store.add_journalled(item, message, entry.written_at):
            return None
        self._announce_count()
        self._kick.set()
        return dict(message, key=entry.client_id, pending=True)

    def write_handoff(self, chat_id: int, to_staff_id: int, note: str) -> None:
        self._write("handoff", chat_id, {"to_staff_id": to_staff_id, "note": note})

    def write_details(self, chat_id: int, owner_name: str, pet_name: str) -> None:
        self._write("details", chat_id, {"owner_name": owner_name, "pet_name": pet_name})

    def write_status(self, chat_id: int, status: str) -> None:
        """Close (``"closed"``) or reopen (``"open"``) the chat."""
        self._write("status", chat_id, {"status": status})

    def _write(
        self,
        kind: str,
        chat_id: int,
        payload: dict[str, Any],
        client_id: str | None = None,
        message: dict[str, Any] | None = None,
        clear_draft: bool = False,
    ) -> None:
        self.store.add(self._item(kind, chat_id, payload, client_id), message, clear_draft)
        self._announce_count()
        self._kick.set()

    def _item(
        self,
        kind: str,
        chat_id: int,
        payload: dict[str, Any],
        client_id: str | None = None,
        written_at: float | None = None,
    ) -> dict[str, Any]:
        now = self._clock()
        return {
            "client_id": client_id or str(uuid.uuid4()),
            "chat_id": chat_id,
            "kind": kind,
            "payload": payload,
            "state": "pending",
            "error": None,
            "attempts": 0,
            "next_attempt_at": now,
            "first_tried_at": None,
            "written_at": now if written_at is None else written_at,
            "seen": self.store.chat_seen(chat_id, self._me),
        }

    # ---- the user's decisions on failed or held items -------------------------------------

    def retry(self, client_id: str) -> None:
        """Send again (a failed item), or send anyway (a held one)."""
        item = self.store.get(client_id)
        if item is None:
            return
        self.store.update(
            client_id,
            message_state="pending",
            state="pending",
            error=None,
            attempts=0,
            first_tried_at=None,
            next_attempt_at=self._clock(),
            seen=self.store.chat_seen(item["chat_id"], self._me),  # what the user now accepted
        )
        self._notify_item(item)
        self._kick.set()

    def discard(self, client_id: str) -> None:
        item = self.store.get(client_id)
        self.store.discard(client_id)
        if item is not None:
            self._notify("discarded", {"client_id": client_id, "chat_id": item["chat_id"]})
        self._announce_count()

    # ---- sending: one worker thread -------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._kick.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def kick(self) -> None:
        """Try now (the connection came back, or the user pressed Send)."""
        self._kick.set()

    def _run(self) -> None:
        self.store.reset_schedule(self._clock())  # at start the outbox is tried at once
        client = self._make_client()  # one requests.Session per thread
        try:
            while not self._stop.is_set():
                self.drain(client)
                self._kick.wait(self._seconds_to_next())
                self._kick.clear()
        except Exception:
            log.exception("outbox worker stopped unexpectedly")
        finally:
            client.close()

    def _seconds_to_next(self) -> float:
        due = [i["next_attempt_at"] for i in self.store.next_per_chat() if i["state"] == "pending"]
        return max(0.0, min(due) - self._clock()) if due else 60.0

    def drain(self, client: ApiClient) -> int:
        """Send every item that is due, chat by chat in order. Returns how many went."""
        sent = 0
        while not self._stop.is_set():
            now = self._clock()
            due = [
                i
                for i in self.store.next_per_chat()
                if i["state"] == "pending" and i["next_attempt_at"] <= now
            ]
            if not due:
                return sent
            for item in due:
                outcome = self._send(client, item)
                if outcome == "sent":
                    sent += 1
                elif outcome in {"offline", "signed_out"}:
                    return sent  # the others would fail the same way now
        return sent

    def _send(self, client: ApiClient, item: dict[str, Any]) -> str:
        now = self._clock()
        if self._changed_since_written(item, now):
            self.store.update(
                item["client_id"],
                message_state="held",
                state="held",
                error=QCoreApplication.translate("Outbox", CHANGED),
            )
            self._notify_item(item)
            return "held"
        try:
            self._deliver(client, item)
        except OfflineError as exc:
            self._schedule_retry(item, str(exc), now)
            return "offline"
        except ApiError as exc:
            if exc.is_auth:
                # The session ended: this outbox stops (items stay); signing in again
                # starts a new one that takes them up.
                self._stop.set()
                self._notify("signed_out", {"reason": exc.message})
                return "signed_out"
            if exc.status in TRANSIENT_STATUSES:
                self._schedule_retry(item, exc.message, now)
                return "offline"
            if item["kind"] != "message":
                self.store.discard(item["client_id"])
                self._notify("refused", {**_summary(item), "error": exc.message})
                self._announce_count()
                return "failed"
            self.store.update(
                item["client_id"], message_state="failed", state="failed", error=exc.message
            )
            self._notify_item(item)
            return "failed"
        self._announce_count()
        return "sent"

    def _deliver(self, client: ApiClient, item: dict[str, Any]) -> None:
        payload, chat_id, client_id = item["payload"], item["chat_id"], item["client_id"]
        if item["kind"] == "message":
            message = client.send_message(chat_id, client_id, payload["body"])
            self.store.done(client_id, message=message)
            self._notify("message", dict(message, key=client_id, pending=False))
        else:
            if item["kind"] == "handoff":
                chat = client.hand_off(chat_id, payload["to_staff_id"], payload["note"], client_id)
            elif item["kind"] == "status":
                chat = client.set_status(chat_id, payload["status"])
            else:
                chat = client.update_details(chat_id, payload["owner_name"], payload["pet_name"])
            self.store.done(client_id, chat=chat)
            self._notify("chat", chat)

    def _changed_since_written(self, item: dict[str, Any], now: float) -> bool:
        # Only a message is held: it was written to what the chat said then. A hand-off, a
        # name or closing is what the user wants done whatever was said since.
        if item["kind"] != "message" or now - item["written_at"] < HOLD_AFTER:
            return False
        return bool(self.store.chat_seen(item["chat_id"], self._me) != item["seen"])

    def _schedule_retry(self, item: dict[str, Any], reason: str, now: float) -> None:
        first = item["first_tried_at"] or now
        if now - first >= GIVE_UP_AFTER:
            self.store.update(
                item["client_id"],
                message_state="failed",
                state="failed",
                error=QCoreApplication.translate(
                    "Outbox", "Not sent: the server could not be reached for 24 hours (%1)"
                ).replace("%1", reason),
            )
            self._notify_item(item)
            return
        attempts = item["attempts"] + 1
        self.store.update(
            item["client_id"],
            attempts=attempts,
            first_tried_at=first,
            next_attempt_at=now + backoff_delay(attempts, BASE_BACKOFF, MAX_BACKOFF),
            error=reason,
        )

    def _notify_item(self, item: dict[str, Any]) -> None:
        """An item changed state: its message row (if any) shows it."""
        if item["kind"] == "message":
            rows = [
                m
                for m in self.store.cache.messages(item["chat_id"], 500)
                if m["key"] == item["client_id"]
            ]
            if rows:
                self._notify("message", rows[0])
        self._announce_count()

    def _announce_count(self) -> None:
        self._notify("pending", {"count": self.store.count()})


def _summary(item: dict[str, Any]) -> dict[str, Any]:
    return {"kind": item["kind"], "chat_id": item["chat_id"], "payload": item["payload"]}
