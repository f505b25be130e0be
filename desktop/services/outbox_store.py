"""The outbox's rows in the cache: written together with what they show, removed together
with what the backend confirmed, so a crash at any point leaves a consistent cache."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from desktop.services.cache import Cache, now_iso, upsert_chats, upsert_messages
from desktop.services.cache_models import CachedDraft, CachedMessage, OutboxItem

ITEM_FIELDS = (
    "client_id",
    "chat_id",
    "kind",
    "payload",
    "state",
    "error",
    "attempts",
    "next_attempt_at",
    "first_tried_at",
    "written_at",
    "seen",
)


def _as_dict(row: OutboxItem) -> dict[str, Any]:
    return {name: getattr(row, name) for name in ("id", *ITEM_FIELDS)}


class OutboxStore:
    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def add(
        self,
        item: dict[str, Any],
        pending_message: dict[str, Any] | None,
        clear_draft: bool = False,
    ) -> None:
        """The item, and for a message its pending row in the chat, in one transaction;
        with ``clear_draft`` the chat's saved draft goes in it too (it was this message, or
        an earlier version of it), so a crash never leaves the message both sent and back
        in the composer."""
        with self.cache.sessions.begin() as session:
            _add(session, item, pending_message)
            if clear_draft:
                session.execute(delete(CachedDraft).where(CachedDraft.chat_id == item["chat_id"]))

    def add_journalled(
        self, item: dict[str, Any], pending_message: dict[str, Any], pressed_at: float
    ) -> bool:
        """A message Send was pressed for (the send journal), unless the outbox or the chat
        already has it: False then. Its chat's draft goes too when it is this text or was
        saved before Send was pressed; a draft saved after it is newer typing and stays.
        Checked and written in one transaction."""
        client_id = item["client_id"]
        with self.cache.sessions.begin() as session:
            known = (
                session.scalar(select(OutboxItem.id).where(OutboxItem.client_id == client_id))
                is not None
                or session.get(CachedMessage, client_id) is not None
            )
            if known:
                return False
            _add(session, item, pending_message)
            draft = session.get(CachedDraft, item["chat_id"])
            if draft is not None and (
                draft.text.strip() == pending_message["body"].strip()
                or _timestamp(draft.updated_at) <= pressed_at
            ):
                session.delete(draft)
            return True

    def items(self) -> list[dict[str, Any]]:
        with self.cache.sessions() as session:
            return [
                _as_dict(row) for row in session.scalars(select(OutboxItem).order_by(OutboxItem.id))
            ]

    def get(self, client_id: str) -> dict[str, Any] | None:
        with self.cache.sessions() as session:
            row = session.scalar(select(OutboxItem).where(OutboxItem.client_id == client_id))
            return _as_dict(row) if row else None

    def count(self) -> int:
        with self.cache.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(OutboxItem)) or 0)

    def next_per_chat(self) -> list[dict[str, Any]]:
        """The oldest item of every chat: items of one chat go strictly in order."""
        firsts: dict[int, dict[str, Any]] = {}
        for item in self.items():
            firsts.setdefault(item["chat_id"], item)
        return list(firsts.values())

    def update(self, client_id: str, message_state: str | None = None, **fields: Any) -> None:
        """Change an item; ``message_state`` also shows on its message row ("pending",
        "held", "failed") with the item's error."""
        with self.cache.sessions.begin() as session:
            session.execute(
                update(OutboxItem).where(OutboxItem.client_id == client_id).values(**fields)
            )
            if message_state is not None:
                row = session.get(CachedMessage, client_id)
                if row is not None and row.pending:
                    row.data = dict(row.data, status=message_state, error=fields.get("error"))

    def reset_schedule(self, now: float) -> None:
        """At start the outbox is tried at once: no back-off carried over from the last run."""
        with self.cache.sessions.begin() as session:
            session.execute(
                update(OutboxItem).where(OutboxItem.state == "pending").values(next_attempt_at=now)
            )

    def done(
        self,
        client_id: str,
        message: dict[str, Any] | None = None,
        chat: dict[str, Any] | None = None,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The backend confirmed the item: it goes, and its confirmed record lands, together.
        Returns the chats and messages that changed."""
        with self.cache.sessions.begin() as session:
            session.execute(delete(OutboxItem).where(OutboxItem.client_id == client_id))
            messages = upsert_messages(session, {client_id: message}) if message else []
            chats = upsert_chats(session, [chat]) if chat else []
        return chats, messages

    def discard(self, client_id: str) -> None:
        """The user threw the item away: it and its pending message row go."""
        with self.cache.sessions.begin() as session:
            session.execute(delete(OutboxItem).where(OutboxItem.client_id == client_id))
            session.execute(
                delete(CachedMessage).where(
                    CachedMessage.key == client_id, CachedMessage.pending.is_(True)
                )
            )

    def chat_seen(self, chat_id: int, me: int | None) -> dict[str, Any]:
        """What a person writing in the chat had seen: the newest message from someone else
        (the client or a colleague) and who the chat was assigned to."""
        with self.cache.sessions() as session:
            newest_other = session.execute(
                text(
                    "SELECT MAX(server_id) FROM messages WHERE chat_id = :chat AND ("
                    "json_extract(data, '$.direction') = 'in' OR "
                    "(json_extract(data, '$.sender_id') IS NOT NULL AND "
                    " json_extract(data, '$.sender_id') != :me))"
                ),
                {"chat": chat_id, "me": me if me is not None else -1},
            ).scalar()
            chat = self.cache.chat(chat_id, session)
        return {"others": newest_other, "assignee": (chat or {}).get("assignee_id")}


def _add(session: Session, item: dict[str, Any], pending_message: dict[str, Any] | None) -> None:
    session.add(OutboxItem(**item))
    if pending_message is not None:
        session.add(
            CachedMessage(
                key=item["client_id"],
                server_id=None,
                chat_id=item["chat_id"],
                created_at=pending_message["created_at"],
                pending=True,
                body=pending_message["body"],
                data=pending_message,
            )
        )


def _timestamp(iso: str) -> float:
    """A cache time (``now_iso``) in seconds since the epoch; an unreadable one counts as
    old."""
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def pending_message(
    chat_id: int, client_id: str, body: str, me: int | None, created_at: str | None = None
) -> dict[str, Any]:
    return {
        "id": None,
        "client_id": client_id,
        "chat_id": chat_id,
        "direction": "out",
        "body": body,
        "status": "pending",
        "error_code": None,
        "sender_id": me,
        "created_at": created_at or now_iso(),
    }
