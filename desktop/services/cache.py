"""The desktop's local cache: what was last seen of chats and messages, on disk.

SQLite in WAL mode, the files readable by their user only (shared practice PCs). Two
files on one connection (``cache_models.py``): ``cache.db``, which the server can fill
again, and ``outbox.db`` attached to it, which holds what only this PC has. Each has its
own migrations. Opened off the GUI thread: migrations and SQLAlchemy imports cost hundreds
of milliseconds. How the files are opened and migrated is ``cache_files.py``; opening a
damaged file is ``cache_repair.open_cache``'s business.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import Row, delete, func, select, text, tuple_
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session, sessionmaker

from desktop.services.cache_files import CacheTooNewError, open_engine
from desktop.services.cache_models import (
    KEPT_VALUES,
    CacheBase,
    CachedChat,
    CachedDraft,
    CachedMessage,
    CacheValue,
    KeptValue,
    OutboxItem,
)
from desktop.services.cache_paths import CACHE_FILE, OUTBOX_FILE
from desktop.services.chat_filter import TextQuery
from desktop.services.records import Chat, Message, SyncChange, as_shown, message_key

Key = TypeVar("Key", int, str)
Record = TypeVar("Record", Chat, Message)


def now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def iso_at(seconds: float) -> str:
    """A time in seconds since the epoch as the cache writes times (``now_iso``'s form)."""
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


class Cache:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / CACHE_FILE
        self.outbox_path = data_dir / OUTBOX_FILE
        self.engine = open_engine(self.path, self.outbox_path)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    # ---- small values ---------------------------------------------------------------------

    def get(self, name: str, default: Any = None) -> Any:
        with self.sessions() as session:
            row = (
                session.get(KeptValue, name)
                if name in KEPT_VALUES
                else session.get(CacheValue, name)
            )
            return default if row is None else row.value

    def put(self, name: str, value: Any) -> None:
        with self.sessions.begin() as session:
            _put(session, name, value)

    @property
    def cursor(self) -> int:
        return int(self.get("cursor", 0))

    # ---- sync ----------------------------------------------------------------------------

    def apply_changes(
        self, changes: list[SyncChange], cursor: int
    ) -> tuple[list[Chat], list[Message]]:
        """A batch from the sync feed and its new cursor, in one transaction. Returns the
        chats and messages that changed (a record the cache already had, the same or newer,
        is not news: a confirmed message the outbox stored comes back in the feed)."""
        chats: dict[int, Chat] = {}
        messages: dict[str, Message] = {}
        for change in changes:
            if change["type"] == "chat":
                chats[change["data"]["id"]] = change["data"]
            elif change["type"] == "message":
                messages[message_key(change["data"])] = change["data"]
        with self.sessions.begin() as session:
            changed_chats = upsert_chats(session, list(chats.values()))
            changed_messages = upsert_messages(session, messages)
            _put(session, "cursor", cursor)
        return changed_chats, changed_messages

    def store_chat(self, chat: Chat) -> bool:
        """A chat from a REST answer (kept unless the feed already brought a newer one).
        Returns whether it changed the cache."""
        with self.sessions.begin() as session:
            return bool(upsert_chats(session, [chat]))

    # ---- reading ---------------------------------------------------------------------------

    def chats(self, limit: int = 100_000) -> list[Chat]:
        with self.sessions() as session:
            rows: Iterable[Chat] = session.scalars(
                select(CachedChat.data).order_by(CachedChat.sort_key.desc()).limit(limit)
            )
            return list(rows)

    def chat(self, chat_id: int, session: Session | None = None) -> Chat | None:
        if session is None:
            with self.sessions() as own:
                return self.chat(chat_id, own)
        row = session.get(CachedChat, chat_id)
        return row.data.copy() if row else None

    def messages(
        self, chat_id: int, limit: int = 200, before: tuple[str, str] | None = None
    ) -> list[Message]:
        """The newest ``limit`` messages of a chat, oldest first; with ``before`` (the
        ``(created_at, key)`` of the oldest shown), the ones just older (keyset paging)."""
        query = select(CachedMessage.key, CachedMessage.pending, CachedMessage.data).where(
            CachedMessage.chat_id == chat_id
        )
        if before is not None:
            query = query.where(
                tuple_(CachedMessage.created_at, CachedMessage.key) < tuple_(*before)
            )
        with self.sessions() as session:
            rows = session.execute(
                query.order_by(CachedMessage.created_at.desc(), CachedMessage.key.desc()).limit(
                    limit
                )
            ).all()
        return [as_shown(row.data, row.key, row.pending) for row in reversed(rows)]

    def message(self, key: str) -> Message | None:
        """One message as the views show it (with ``key`` and ``pending``)."""
        with self.sessions() as session:
            row = session.get(CachedMessage, key)
            return as_shown(row.data, row.key, row.pending) if row else None

    def store_history(self, messages: list[Message]) -> None:
        """Older messages fetched from the backend (the sync cursor is not involved)."""
        with self.sessions.begin() as session:
            upsert_messages(session, {message_key(m): m for m in messages})

    # ---- the user's own writes -------------------------------------------------------------

    def wipe(self) -> None:
        """Signing out on a shared PC: nothing of the group stays behind, and nothing
        unsent either (the user was asked): it would go out under the next person's name."""
        with self.sessions.begin() as session:
            for table in (
                OutboxItem,
                CachedMessage,
                CachedChat,
                CachedDraft,
                CacheValue,
                KeptValue,
            ):
                session.execute(delete(table))
            session.execute(text("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')"))

    # ---- drafts --------------------------------------------------------------------------

    def draft(self, chat_id: int) -> str:
        with self.sessions() as session:
            row = session.get(CachedDraft, chat_id)
            return row.text if row else ""

    def save_draft(self, chat_id: int, text_: str) -> None:
        with self.sessions.begin() as session:
            if not text_.strip():
                session.execute(delete(CachedDraft).where(CachedDraft.chat_id == chat_id))
                return
            stmt = insert(CachedDraft).values(chat_id=chat_id, text=text_, updated_at=now_iso())
            session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["chat_id"],
                    set_={"text": stmt.excluded.text, "updated_at": stmt.excluded.updated_at},
                )
            )

    # ---- search ----------------------------------------------------------------------------

    def search_messages(self, query: str, limit: int = 50) -> list[Message]:
        """Messages whose text matches every word of ``query`` (the last as a prefix),
        newest first. Works offline: it reads the cache's full-text index."""
        rows = self._newest_matches("m.key, m.pending, m.data", query, limit)
        return [as_shown(_json(row[2]), row[0], bool(row[1])) for row in rows]

    def search_chats(self, query: str, limit: int = 50) -> list[Chat]:
        """Chats whose names or number contain ``query`` (digits match numbers however typed;
        the rule is the queue's own, ``services/chat_filter.py``)."""
        wanted = TextQuery.parse(query)
        if not wanted:
            return []
        found = []
        for chat in self.chats(limit=100_000):
            if wanted.matches(chat):
                found.append(chat)
                if len(found) == limit:
                    break
        return found

    def search_message_chats(self, query: str, scan: int = 10_000) -> list[int]:
        """The chats with a message matching ``query`` (as ``search_messages``), those with
        the newest match first. Looks at the newest ``scan`` matching messages: a word in
        nearly every message still answers in milliseconds."""
        rows = self._newest_matches("m.chat_id", query, scan)
        return list(dict.fromkeys(int(row[0]) for row in rows))

    def _newest_matches(
        self, columns: str, query: str, limit: int
    ) -> Sequence[Row[*tuple[Any, ...]]]:
        """``columns`` of the messages table (as ``m``) for the newest ``limit`` messages
        matching ``query``, newest first; none for a query without words."""
        match = fts_query(query)
        if not match:
            return []
        with self.sessions() as session:
            return session.execute(
                # The newest matches come straight off the index (FTS5 walks rowids
                # backwards); the join only fetches those few rows.
                text(
                    f"SELECT {columns} FROM ("
                    " SELECT rowid FROM messages_fts WHERE messages_fts MATCH :match"
                    " ORDER BY rowid DESC LIMIT :limit"
                    ") AS hit JOIN messages AS m ON m.rowid = hit.rowid ORDER BY m.rowid DESC"
                ),
                {"match": match, "limit": limit},
            ).all()


def fts_query(user_text: str) -> str:
    """An FTS5 query from what a person typed: every word must appear, the last one as a
    prefix (so results come while typing); quotes keep FTS5 syntax out of their words."""
    words = [w.replace('"', '""') for w in user_text.split() if w.strip('"')]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _json(value: Any) -> Message:
    return cast(Message, json.loads(value) if isinstance(value, str) else dict(value))


def _newer_or_same(table: Any, excluded: Any) -> Any:
    """Upsert guard: a record replaces the stored one unless the stored one is newer (a REST
    answer and a sync batch can land in either order). Pending rows have no version."""
    stored = func.coalesce(func.json_extract(table.data, "$.updated_at"), "")
    return stored <= func.coalesce(func.json_extract(excluded.data, "$.updated_at"), "")


def _news(
    session: Session, key_column: Any, data_column: Any, records: dict[Key, Record]
) -> dict[Key, Record]:
    """The records that will change the cache: new ones, and those that differ from a stored
    version no newer than them (the upsert guard's rule)."""
    stored: dict[Any, Any] = {}
    keys = list(records)
    for start in range(0, len(keys), 500):
        rows = session.execute(
            select(key_column, data_column).where(key_column.in_(keys[start : start + 500]))
        )
        stored.update((row[0], row[1]) for row in rows)
    news = {}
    for key, record in records.items():
        old = stored.get(key)
        if old is None or (
            old != record
            and str(old.get("updated_at") or "") <= str(record.get("updated_at") or "")
        ):
            news[key] = record
    return news


def upsert_chats(session: Session, chats: list[Chat]) -> list[Chat]:
    """Returns the chats that changed the cache."""
    if not chats:
        return []
    news = _news(session, CachedChat.id, CachedChat.data, {c["id"]: c for c in chats})
    if not news:
        return []
    stmt = insert(CachedChat).values(
        [
            {"id": c["id"], "sort_key": c.get("last_message_at") or c["created_at"], "data": c}
            for c in news.values()
        ]
    )
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["id"],
            set_={"sort_key": stmt.excluded.sort_key, "data": stmt.excluded.data},
            where=_newer_or_same(CachedChat, stmt.excluded),
        )
    )
    return list(news.values())


def upsert_messages(session: Session, messages: dict[str, Message]) -> list[Message]:
    """Returns the messages that changed the cache, as the views show them (with ``key``
    and ``pending``)."""
    if not messages:
        return []
    news = _news(session, CachedMessage.key, CachedMessage.data, messages)
    if not news:
        return []
    stmt = insert(CachedMessage)
    upsert = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "server_id": stmt.excluded.server_id,
            "pending": False,
            "data": stmt.excluded.data,
            "body": stmt.excluded.body,
        },
        where=_newer_or_same(CachedMessage, stmt.excluded),
    )
    # One statement, many parameter sets: SQLAlchemy hands them to the driver's
    # executemany, which is what makes a 500-message batch cheap.
    session.execute(
        upsert,
        [
            {
                "key": key,
                "server_id": m["id"],
                "chat_id": m["chat_id"],
                "created_at": m["created_at"],
                "pending": False,
                "body": m["body"],
                "data": m,
            }
            for key, m in news.items()
        ],
    )
    return [as_shown(m, key, False) for key, m in news.items()]


def _put(session: Session, name: str, value: Any) -> None:
    stmt = insert(KeptValue if name in KEPT_VALUES else CacheValue).values(name=name, value=value)
    session.execute(stmt.on_conflict_do_update(index_elements=["name"], set_={"value": value}))


__all__ = ["Cache", "CacheBase", "CacheTooNewError"]
