"""Tables of the desktop's local files (SQLAlchemy 2 typed models; Alembic migrations).

Two files, one connection: ``cache.db`` holds what the server can give again (chats,
messages, the sync cursor); ``outbox.db``, attached to it as the schema ``outbox``, holds
what only this PC has (the outbox, drafts, who they belong to). The big file is the one a
disk fault or a scanner is likely to damage; it is rebuilt from the server, while the
small one keeps every unsent word (``services/cache_repair.py``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, MetaData, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from desktop.services.records import Chat, Message

OUTBOX_SCHEMA = "outbox"


class CacheBase(DeclarativeBase):
    """``cache.db``: rebuilt from the server when it is damaged."""


class OutboxBase(DeclarativeBase):
    """``outbox.db``: what this PC must not lose."""

    metadata = MetaData(schema=OUTBOX_SCHEMA)


class CachedChat(CacheBase):
    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sort_key: Mapped[str] = mapped_column(String(40), index=True)
    """ISO time of the newest activity: the queue shows the newest first."""
    data: Mapped[Chat] = mapped_column(JSON)


class CachedMessage(CacheBase):
    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_chat_created", "chat_id", "created_at"),
        # The few pending rows, found without reading a million (``reconcile_pending``).
        Index("ix_messages_pending", "key", sqlite_where=text("pending")),
    )

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    """The sender's client id when there is one (so a pending message and the server's copy
    are one row), else ``s<server id>``."""
    server_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    chat_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(40))
    pending: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    data: Mapped[Message] = mapped_column(JSON)


class CachedDraft(OutboxBase):
    """What was typed in a chat's composer and not sent yet (kept across restarts)."""

    __tablename__ = "drafts"

    chat_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String(40))


class OutboxItem(OutboxBase):
    """Something the user did that the backend has not confirmed yet (see services/outbox).

    ``state``: "pending" (to send, at ``next_attempt_at``), "held" (the chat changed since it
    was written: the user decides), "failed" (refused, or 24 hours without reaching the
    server: the user retries or discards). ``seen`` is what the chat looked like when it was
    written, to tell whether it changed since.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_chat_id", "chat_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    chat_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # "message" | "handoff" | "details"
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[float] = mapped_column(Float)
    first_tried_at: Mapped[float | None] = mapped_column(Float)
    written_at: Mapped[float] = mapped_column(Float)
    seen: Mapped[dict[str, Any]] = mapped_column(JSON)


class CacheValue(CacheBase):
    """Small named values: the sync cursor, the clinics."""

    __tablename__ = "values"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)


class KeptValue(OutboxBase):
    """Small named values that must outlive a rebuilt cache: who is signed in (``me``,
    ``staff_id``), so the outbox is never sent under someone else's name, and what was read
    on this PC (``unread``), which the server does not know."""

    __tablename__ = "values"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)


KEPT_VALUES = frozenset({"me", "staff_id", "unread"})
