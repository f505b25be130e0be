"""The outbox's rows in the cache: written together with what they show, removed together
with what the backend confirmed, so a crash at any point leaves a consistent cache."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NotRequired, TypedDict, cast

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from desktop.services.cache import Cache, now_iso, upsert_chats, upsert_messages
from desktop.services.cache_models import CachedDraft, CachedMessage, OutboxItem
from desktop.services.records import Chat, Message


class Seen(TypedDict):
    """What a person writing in a chat had seen of it (``OutboxStore.chat_seen``)."""

    others: int | None  # the newest message from the client or a colleague
    assignee: int | None


class QueuedItem(TypedDict):
    """One thing the user did, waiting in the outbox to reach the backend."""

    client_id: str  # the backend's idempotency key (a message's too)
    chat_id: int
    kind: str  # "message" | "handoff" | "details" | "status"
    payload: dict[str, Any]  # what the kind needs: {"body"}, {"to_staff_id", "note"}...
    state: str  # "pending" | "failed" | "held"
    error: str | None
    attempts: int
    next_attempt_at: float
    first_tried_at: float | None
    written_at: float
    seen: Seen
    id: NotRequired[int]  # the row's, once stored: the order items were written in


def _as_item(row: OutboxItem) -> QueuedItem:
    return QueuedItem(
        id=row.id,
        client_id=row.client_id,
        chat_id=row.chat_id,
        kind=row.kind,
        payload=row.payload,
        state=row.state,
        error=row.error,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        first_tried_at=row.first_tried_at,
        written_at=row.written_at,
        seen=cast(Seen, row.seen),
    )


class OutboxStore:
    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def add(
        self,
        item: QueuedItem,
        pending_message: Message | None,
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

    def add_journalled(self, item: QueuedItem, pending_message: Message, pressed_at: float) -> bool:
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

    def items(self) -> list[QueuedItem]:
        with self.cache.sessions() as session:
            return [
                _as_item(row) for row in session.scalars(select(OutboxItem).order_by(OutboxItem.id))
            ]

    def get(self, client_id: str) -> QueuedItem | None:
        with self.cache.sessions() as session:
            row = session.scalar(select(OutboxItem).where(OutboxItem.client_id == client_id))
            return _as_item(row) if row else None

    def count(self) -> int:
        with self.cache.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(OutboxItem)) or 0)

    def next_per_chat(self) -> list[QueuedItem]:
        """The oldest item of every chat: items of one chat go strictly in order."""
        firsts: dict[int, QueuedItem] = {}
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
                    shown = row.data.copy()  # a new value: SQLAlchemy sees the change
                    shown["status"], shown["error"] = message_state, fields.get("error")
                    row.data = shown

    def reset_schedule(self, now: float) -> None:
        """At start the outbox is tried at once: no back-off carried over from the last run."""
        with self.cache.sessions.begin() as session:
            session.execute(
                update(OutboxItem).where(OutboxItem.state == "pending").values(next_attempt_at=now)
            )

    def done(
        self,
        client_id: str,
        message: Message | None = None,
        chat: Chat | None = None,
    ) -> tuple[list[Chat], list[Message]]:
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

    def chat_seen(self, chat_id: int, me: int | None) -> Seen:
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
        return Seen(others=newest_other, assignee=chat["assignee_id"] if chat else None)


def _add(session: Session, item: QueuedItem, pending_message: Message | None) -> None:
    session.add(OutboxItem(**item))
    if pending_message is not None:
        session.add(pending_row(item["client_id"], item["chat_id"], pending_message))


def pending_row(client_id: str, chat_id: int, message: Message) -> CachedMessage:
    """The chat's bubble of an outbox message, until the backend's copy replaces it."""
    return CachedMessage(
        key=client_id,
        server_id=None,
        chat_id=chat_id,
        created_at=message["created_at"],
        pending=True,
        body=message["body"],
        data=message,
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
) -> Message:
    return Message(
        id=None,
        client_id=client_id,
        chat_id=chat_id,
        direction="out",
        body=body,
        status="pending",
        error_code=None,
        sender_id=me,
        created_at=created_at or now_iso(),
    )
