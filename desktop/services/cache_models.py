"""Tables of the desktop's local cache (SQLAlchemy 2 typed models; Alembic migrations)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from desktop.services.records import Chat, Message


class CacheBase(DeclarativeBase):
    pass


class CachedChat(CacheBase):
    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sort_key: Mapped[str] = mapped_column(String(40), index=True)
    """ISO time of the newest activity: the queue shows the newest first."""
    data: Mapped[Chat] = mapped_column(JSON)


class CachedMessage(CacheBase):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_chat_created", "chat_id", "created_at"),)

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    """The sender's client id when there is one (so a pending message and the server's copy
    are one row), else ``s<server id>``."""
    server_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    chat_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[str] = mapped_column(String(40))
    pending: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    data: Mapped[Message] = mapped_column(JSON)


class CachedDraft(CacheBase):
    """What was typed in a chat's composer and not sent yet (kept across restarts)."""

    __tablename__ = "drafts"

    chat_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String(40))


class OutboxItem(CacheBase):
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
    """Small named values: the sync cursor, who is signed in, the clinics."""

    __tablename__ = "values"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
