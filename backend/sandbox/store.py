"""In-memory, thread-safe state of one sandbox: messages, numbers, opt-outs.

Nothing is persisted on purpose: the sandbox must start with zero setup and a restart is
a clean slate. Records are frozen; updates swap in a new record under the lock, so a
record handed out can be rendered without holding the lock.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """One message, outbound (``outbound-api``) or inbound."""

    sid: str
    account_sid: str
    to: str
    from_: str | None
    body: str
    direction: str
    status: str
    num_segments: int
    num_media: int
    messaging_service_sid: str | None
    status_callback: str | None
    date_created: datetime
    date_updated: datetime
    date_sent: datetime | None
    error_code: int | None = None
    error_message: str | None = None
    # Insertion order: the list endpoint sorts on it (newest first) and page tokens use it.
    seq: int = 0


@dataclass(frozen=True, slots=True)
class PhoneNumberRecord:
    """A number registered through IncomingPhoneNumbers, with its inbound webhook."""

    sid: str
    account_sid: str
    phone_number: str
    friendly_name: str
    sms_url: str | None
    sms_method: str
    date_created: datetime
    date_updated: datetime


class SandboxStore:
    """All mutable sandbox state, guarded by one lock (operations are tiny)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: dict[str, MessageRecord] = {}
        self._numbers: dict[str, PhoneNumberRecord] = {}
        # (sender, recipient) pairs where the recipient texted STOP to that sender.
        self._opt_outs: set[tuple[str, str]] = set()
        self._attempts: set[Hashable] = set()
        self._seq = itertools.count(1)

    # -- messages -----------------------------------------------------------------------

    def add_message(self, record: MessageRecord) -> MessageRecord:
        """Store ``record``, stamping its insertion sequence number."""
        with self._lock:
            stored = replace(record, seq=next(self._seq))
            self._messages[stored.sid] = stored
            return stored

    def get_message(self, sid: str) -> MessageRecord | None:
        with self._lock:
            return self._messages.get(sid)

    def update_message(self, sid: str, **changes: Any) -> MessageRecord | None:
        """Apply ``changes``; None when the message is gone (e.g. after a reset)."""
        with self._lock:
            current = self._messages.get(sid)
            if current is None:
                return None
            updated = replace(current, **changes)
            self._messages[sid] = updated
            return updated

    def messages_newest_first(
        self, predicate: Callable[[MessageRecord], bool] | None = None
    ) -> list[MessageRecord]:
        """A snapshot of matching messages, newest first."""
        with self._lock:
            records = list(self._messages.values())
        if predicate is not None:
            records = [r for r in records if predicate(r)]
        records.sort(key=lambda r: r.seq, reverse=True)
        return records

    # -- phone numbers ------------------------------------------------------------------

    def put_number(self, record: PhoneNumberRecord) -> PhoneNumberRecord:
        """Register or re-register a number; a re-registration keeps the first sid."""
        with self._lock:
            existing = self._numbers.get(record.phone_number)
            if existing is not None:
                record = replace(record, sid=existing.sid, date_created=existing.date_created)
            self._numbers[record.phone_number] = record
            return record

    def get_number(self, phone_number: str) -> PhoneNumberRecord | None:
        with self._lock:
            return self._numbers.get(phone_number)

    # -- opt-outs -----------------------------------------------------------------------

    def set_opted_out(self, sender: str, recipient: str, opted_out: bool) -> None:
        with self._lock:
            if opted_out:
                self._opt_outs.add((sender, recipient))
            else:
                self._opt_outs.discard((sender, recipient))

    def is_opted_out(self, sender: str | None, recipient: str) -> bool:
        """Whether ``recipient`` opted out of ``sender``.

        With no sender (a Messaging Service send) the sandbox cannot tell which numbers
        are in the service, so an opt-out from any number blocks it: the safe side.
        """
        with self._lock:
            if sender is not None:
                return (sender, recipient) in self._opt_outs
            return any(r == recipient for _, r in self._opt_outs)

    # -- misc ---------------------------------------------------------------------------

    def first_attempt(self, key: Hashable) -> bool:
        """True the first time ``key`` is seen (drives the fail-once magic numbers)."""
        with self._lock:
            if key in self._attempts:
                return False
            self._attempts.add(key)
            return True

    def reset(self) -> None:
        """Forget everything (sequence numbers keep growing so old page tokens stay stale)."""
        with self._lock:
            self._messages.clear()
            self._numbers.clear()
            self._opt_outs.clear()
            self._attempts.clear()
