"""The records the backend sends, and plain rules about them (no Qt, no I/O).

Each record is described once, as a ``TypedDict`` taken from the backend's answer shapes
(``backend/api/schemas.py``) and from what the desktop reads. They are descriptions only:
at run time a record stays the plain dict parsed from JSON (the queue reads 10,000 cached
chats at start, and the cache stores them as JSON), so nothing is converted or checked.

The cache, the outbox, the sync engine, the workspace and the composition root still hand
records over as ``dict[str, Any]``; the functions here that they call accept that too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, NotRequired, TypedDict


class Colleague(TypedDict):
    """A staff member of the group, as ``GET /staff`` lists them."""

    id: int
    name: str


class Staff(Colleague):
    """The signed-in staff member (``/me`` and the sign-in answer)."""

    email: str | None


class Group(TypedDict):
    """The clinic group the staff member belongs to."""

    id: int
    name: str


class Clinic(TypedDict):
    id: int
    name: str
    address: str
    phone: str
    country: str
    sms_enabled: bool
    sms_number: str | None
    magic_link: str


class Me(TypedDict):
    """``GET /me``; the desktop adds the group's ``colleagues`` (``GET /staff``)."""

    staff: Staff
    group: Group
    clinics: list[Clinic]
    support_email: str
    colleagues: NotRequired[list[Colleague]]


class LoginAnswer(TypedDict):
    """``POST /auth/login``."""

    token: str
    staff: Staff
    group: Group


class LastMessage(TypedDict):
    """The queue's preview of a chat: its newest message the client sees or sent."""

    direction: Literal["in", "out"]
    body: str


class Chat(TypedDict):
    """A chat as the REST answers and the sync feed show it (and the cache keeps it)."""

    id: int
    clinic_id: int
    kind: Literal["sms", "app"]
    status: str  # "open" or "closed"
    title: str
    is_guest: bool
    phone: str | None  # E.164; None for an app chat
    phone_display: NotRequired[str | None]  # the number as the clinic writes it
    owner_id: int | None
    owner_name: str | None
    pet_name: str | None
    assignee_id: int | None
    opted_out: bool
    created_at: str | None  # ISO 8601 UTC, as every time here
    updated_at: str | None
    last_message_at: str | None
    last_message: NotRequired[LastMessage | None]


class Message(TypedDict):
    """A message as the backend sends it, or as this PC wrote it and still has to send
    (``outbox_store.pending_message``: no ``id`` yet, no ``updated_at``). The cache and the
    outbox add ``key`` and ``pending`` to the ones they hand out, and the outbox's
    ``error`` to a failed or held one."""

    id: int | None  # None until the server has it
    client_id: str | None  # the sender's own id (this PC's for what it sent)
    chat_id: int
    direction: Literal["in", "out", "internal"]
    body: str
    status: str
    error_code: int | None
    sender_id: int | None  # None: the client, or an automatic message
    created_at: str | None
    updated_at: NotRequired[str | None]
    key: NotRequired[str]  # see message_key
    pending: NotRequired[bool]  # still in the outbox
    error: NotRequired[str | None]  # why the outbox could not send it (failed, held)


class ChatChange(TypedDict):
    seq: int
    type: Literal["chat"]
    data: Chat


class MessageChange(TypedDict):
    seq: int
    type: Literal["message"]
    data: Message


SyncChange = ChatChange | MessageChange
"""One change of the sync feed: the new version of a chat or of a message."""


class SyncAnswer(TypedDict):
    """``GET /sync``: the changes after the cursor asked for."""

    cursor: int
    changes: list[SyncChange]
    more: bool  # more changes follow: ask again at once
    latest: int  # the group's newest change (how far a first sync still has to go)


class Pet(TypedDict):
    id: int
    name: str
    species: str


class Owner(TypedDict):
    """A pet owner registered with the group (PetsApp app users)."""

    id: int
    name: str
    phone: str | None
    pets: list[Pet]


class ErrorBody(TypedDict):
    code: str  # stable, for the program: e.g. "owner_registered"
    message: str  # for the person


class ErrorAnswer(TypedDict):
    """A refusal. "owner_registered" (an SMS chat asked for an app user's number) names
    the ``owner``."""

    error: ErrorBody
    owner: NotRequired[Owner]


def is_stale(incoming: Chat | Message, current: Chat | Message) -> bool:
    """True when ``incoming`` is an older version of ``current``.

    A REST answer and a sync batch about the same record can arrive in either order; the
    backend stamps every version with ``updated_at`` (ISO 8601 UTC, so strings compare)."""
    return str(incoming.get("updated_at") or "") < str(current.get("updated_at") or "")


def message_key(message: Message) -> str:
    """One row per message, wherever it is shown or cached: the sender's client id when
    there is one (so a pending message and the server's copy are the same row), else
    ``s<server id>``. A record that already carries its ``key`` keeps it."""
    return str(message.get("key") or message.get("client_id") or f"s{message['id']}")


def clients_messages(changes: list[SyncChange]) -> Iterator[tuple[Message, int]]:
    """The messages from clients in a sync batch, with their server id, in feed order."""
    for change in changes:
        if change["type"] == "message":
            message = change["data"]
            if message["direction"] == "in" and message["id"]:
                yield message, message["id"]


def as_shown(message: Message, key: str, pending: bool) -> Message:
    """A copy of ``message`` as the views show it: with its row's ``key`` (see
    ``message_key``) and whether it is still in the outbox."""
    shown = message.copy()
    shown["key"], shown["pending"] = key, pending
    return shown


def message_order(message: Message) -> tuple[int, str, str]:
    """Where a message sits in its chat: the ones the server has, by the server's clock;
    after them the ones still on their way, in the order they were written (this PC's clock
    may be off, and a message written later may still reach the server first)."""
    on_its_way = message.get("id") is None
    return (int(on_its_way), str(message.get("created_at") or ""), message_key(message))
