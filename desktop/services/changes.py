"""What one operation on the cache changed, told once to everything that shows it.

Every write on the cache lane (a sync batch stored, a message written or confirmed, a chat
opened or wiped) returns a ``ChangeSet``; the lane broadcasts it on one signal (the workspace's
``sig_changed``, queued to the GUI thread in the order the lane made them) and each model
takes what concerns it (the queue its chats and unread counts, the open chat its
messages, the status line the pending count). Anki's ``OpChanges`` is the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from desktop.services.records import Chat, Message


@dataclass(frozen=True, slots=True)
class Refusal:
    """Something other than a message that the backend refused (a hand-off, a detail edit, a
    close or reopen): taken out of the outbox and told to the user with what they wrote."""

    kind: str  # "handoff" | "details" | "status"
    chat_id: int
    payload: Mapping[str, Any]
    error: str


@dataclass(frozen=True, slots=True)
class ChangeSet:
    # Chats stored or changed; with ``replace_chats`` they are all there are (the cache
    # opened, or was wiped at sign-out).
    chats: tuple[Chat, ...] = ()
    replace_chats: bool = False
    # Messages stored or changed (each as the views show it: with ``key`` and ``pending``)
    # and the keys of messages that went (a discarded unsent one).
    messages: tuple[Message, ...] = ()
    removed_messages: tuple[str, ...] = ()
    # Unread counts of the chats whose count changed ({chat id: count}).
    unread: Mapping[int, int] = field(default_factory=dict)
    # Outbox items the backend has not confirmed, when that may have changed.
    pending: int | None = None
    # Client messages that just arrived live (each once): what notifications are for.
    inbound: tuple[Message, ...] = ()
    # Unsent messages that just failed or were held ({"error": why}); refused other items.
    not_sent: tuple[str, ...] = ()
    refused: tuple[Refusal, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.chats
            or self.replace_chats
            or self.messages
            or self.removed_messages
            or self.unread
            or self.pending is not None
            or self.inbound
            or self.not_sent
            or self.refused
        )

    def __add__(self, other: ChangeSet) -> ChangeSet:
        """Both, in order (``other`` is the later): for an operation made of steps."""
        return ChangeSet(
            chats=self.chats + other.chats,
            replace_chats=self.replace_chats or other.replace_chats,
            messages=self.messages + other.messages,
            removed_messages=self.removed_messages + other.removed_messages,
            unread={**self.unread, **other.unread},
            pending=other.pending if other.pending is not None else self.pending,
            inbound=self.inbound + other.inbound,
            not_sent=self.not_sent + other.not_sent,
            refused=self.refused + other.refused,
        )


NO_CHANGES = ChangeSet()
