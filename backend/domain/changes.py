"""The per-group change feed: gapless sequence numbers and long-poll wake-ups.

A change takes its number from the group's counter row inside the writing transaction
(``UPDATE ... RETURNING``), so numbers are committed in order: the row lock (PostgreSQL)
or the database write lock (SQLite, BEGIN IMMEDIATE) is held until commit.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from backend.models import Change, ClinicGroup

_PENDING_KEY = "petsapp_changed_groups"
PG_CHANNEL = "petsapp_changes"


def _pg_notify(session: Session) -> None:
    # NOTIFY inside the transaction is delivered by PostgreSQL only if it commits.
    for group_id in session.info.get(_PENDING_KEY, ()):
        session.execute(
            text("SELECT pg_notify(:channel, :group)"),
            {"channel": PG_CHANNEL, "group": str(group_id)},
        )


def record_change(session: Session, group_id: int, type_: str, data: dict[str, Any]) -> int:
    seq = session.execute(
        update(ClinicGroup)
        .where(ClinicGroup.id == group_id)
        .values(last_seq=ClinicGroup.last_seq + 1)
        .returning(ClinicGroup.last_seq)
    ).scalar_one()
    session.add(Change(group_id=group_id, seq=seq, type=type_, data=data))
    session.info.setdefault(_PENDING_KEY, set()).add(group_id)
    return seq


def changes_after(session: Session, group_id: int, cursor: int, limit: int) -> list[Change]:
    return list(
        session.scalars(
            select(Change)
            .where(Change.group_id == group_id, Change.seq > cursor)
            .order_by(Change.seq)
            .limit(limit)
        )
    )


class ChangeNotifier:
    """Wakes long-polls (threads or asyncio tasks) when a group's feed grows.

    Installed on the session factory: after each commit that recorded changes, the
    groups involved are announced. Waiters re-read the database themselves.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: dict[int, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}
        self._closed = False

    def close(self) -> None:
        """The server is stopping: answer every long-poll now instead of cancelling it."""
        with self._lock:
            self._closed = True
            waiters = [entry for entries in self._waiters.values() for entry in entries]
        for loop, wake in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(wake.set)

    def install(self, sessions: sessionmaker[Session], *, notify_database: bool = False) -> None:
        """Listen to the commits of ``sessions``. With ``notify_database`` (PostgreSQL), each
        commit also announces its groups with NOTIFY, so other processes wake too."""
        self._hooks: list[tuple[str, Any]] = [
            ("after_commit", self._after_commit),
            ("after_rollback", self._after_rollback),
        ]
        if notify_database:
            self._hooks.append(("before_commit", _pg_notify))
        self._sessions = sessions
        for name, hook in self._hooks:
            event.listen(sessions, name, hook)

    def uninstall(self) -> None:
        for name, hook in self._hooks:
            event.remove(self._sessions, name, hook)

    def notify_all(self) -> None:
        """Wake every long-poll (after a gap in cross-process notifications)."""
        with self._lock:
            groups = list(self._waiters)
        for group_id in groups:
            self.notify(group_id)

    def _after_commit(self, session: Session) -> None:
        for group_id in session.info.pop(_PENDING_KEY, ()):
            self.notify(group_id)

    def _after_rollback(self, session: Session) -> None:
        session.info.pop(_PENDING_KEY, None)

    def notify(self, group_id: int) -> None:
        with self._lock:
            waiters = list(self._waiters.get(group_id, ()))
        for loop, wake in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(wake.set)

    @contextmanager
    def subscribe(self, group_id: int) -> Iterator[asyncio.Event]:
        """An event set on the group's next change. Subscribe *before* reading the
        feed, so a change that commits between the read and the wait is not missed."""
        entry = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiters.setdefault(group_id, set()).add(entry)
            if self._closed:
                entry[1].set()
        try:
            yield entry[1]
        finally:
            with self._lock:
                self._waiters[group_id].discard(entry)
