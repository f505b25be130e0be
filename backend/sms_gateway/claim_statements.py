"""The statements of the send claims (:mod:`backend.sms_gateway.claims`): which texts are
unsent, whether an earlier text to the same number waits, a claim's compare-and-set and
heartbeat, the texts nobody is sending, and the next text of a number claimed in one go."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Exists,
    and_,
    bindparam,
    exists,
    func,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.orm import aliased

from backend.models import Chat, Clinic, Message

UNSENT = "accepted"


def _unsent(message: Any) -> ColumnElement[bool]:
    """Accepted and without a provider sid, written so that the planner takes the partial
    index of unsent texts (``ix_messages_unsent``): the status is a literal (with a bound
    parameter SQLite cannot tell that the index applies), and the sid test is no plain
    ``IS NULL`` (SQLite would walk the unique sid index instead, through every message
    without a sid: all in-app ones)."""
    no_sid: ColumnElement[str] = literal_column("''")
    return and_(
        message.status == literal_column(f"'{UNSENT}'"),
        func.coalesce(message.provider_sid, no_sid) == no_sid,
    )


_IS_UNSENT = _unsent(Message)


def _earlier_unsent(message_id: Any, clinic_id: Any, phone: Any) -> Exists:
    """An earlier text from this clinic to this number not yet with the provider."""
    other_chat, earlier = aliased(Chat), aliased(Message)
    return exists().where(
        earlier.chat_id == other_chat.id,
        other_chat.clinic_id == clinic_id,
        other_chat.phone == phone,
        earlier.id < message_id,
        _unsent(earlier),
    )


# The statements are built once (with bound parameters): building them per text cost
# more than running them.

# The text, its chat's number and clinic's, and whether an earlier text to that number
# waits: one read.
UNSENT_TEXT = (
    select(
        Message.chat_id,
        Message.body,
        Message.claims,
        Message.claimed_by,
        Message.claimed_at,
        Message.first_claimed_at,
        Message.provider_ref,
        Chat.phone,
        Chat.clinic_id,
        Clinic.sms_number,
        _earlier_unsent(Message.id, Chat.clinic_id, Chat.phone).label("waits"),
    )
    .join(Chat, Chat.id == Message.chat_id)
    .join(Clinic, Clinic.id == Chat.clinic_id)
    .where(
        Message.id == bindparam("message_id"),
        _IS_UNSENT,
    )
)

# Compare-and-set on ``claims``: every claim increments it, so of all who read it as it was,
# exactly one writes (on PostgreSQL a concurrent UPDATE waits for the row and re-checks).
CLAIM = (
    update(Message)
    .where(
        Message.id == bindparam("message_id"),
        Message.claims == bindparam("seen_claims"),
        _IS_UNSENT,
        ~_earlier_unsent(bindparam("message_id"), bindparam("clinic_id"), bindparam("phone")),
    )
    .values(
        claimed_by=bindparam("holder"),
        claimed_at=bindparam("now"),
        first_claimed_at=bindparam("first"),
        claims=bindparam("new_claims"),
        provider_ref=bindparam("ref"),
    )
    .execution_options(synchronize_session=False)
)

STILL_MINE = (
    update(Message)
    .where(
        Message.id == bindparam("message_id"),
        Message.claims == bindparam("seen_claims"),
        Message.claimed_by == bindparam("holder"),
        _IS_UNSENT,
    )
    .values(claimed_at=bindparam("now"))
    .execution_options(synchronize_session=False)
)

HEARTBEAT = (
    update(Message)
    .where(
        _IS_UNSENT,
        Message.claimed_by == bindparam("holder"),
    )
    .values(claimed_at=bindparam("now"))
    .execution_options(synchronize_session=False)
)

DUE = (
    select(Message.id, Message.chat_id)
    .where(_IS_UNSENT)
    .where(
        or_(
            and_(Message.claimed_by.is_(None), Message.created_at <= bindparam("unclaimed_before")),
            Message.claimed_at <= bindparam("stale_before"),
        )
    )
    .order_by(Message.id)
    .limit(bindparam("limit"))
)

# The next text from this clinic to this number, claimed in one statement (in the
# transaction that resolves the text before it): the oldest unclaimed one after it, if no
# earlier text of the pair still waits. ``RETURNING`` hands back what sending it takes.
_next_chat = aliased(Chat)
_NEXT_ID = (
    select(Message.id)
    .join(_next_chat, _next_chat.id == Message.chat_id)
    .join(Clinic, Clinic.id == _next_chat.clinic_id)
    .where(
        _next_chat.clinic_id == bindparam("clinic_id"),
        Clinic.sms_number == bindparam("from_"),  # still this sender (SMS may be off now)
        _next_chat.phone == bindparam("to"),
        Message.id > bindparam("after"),
        _IS_UNSENT,
        Message.claimed_by.is_(None),
    )
    .order_by(Message.id)
    .limit(1)
    .scalar_subquery()
)
CLAIM_NEXT = (
    update(Message)
    .where(
        Message.id == _NEXT_ID,
        ~_earlier_unsent(Message.id, bindparam("clinic_id"), bindparam("to")),
    )
    .values(
        claimed_by=bindparam("holder"),
        claimed_at=bindparam("now"),
        first_claimed_at=func.coalesce(Message.first_claimed_at, bindparam("now")),
        claims=Message.claims + 1,
        provider_ref=func.coalesce(Message.provider_ref, bindparam("ref")),
    )
    .returning(
        Message.id,
        Message.chat_id,
        Message.body,
        Message.claims,
        Message.first_claimed_at,
        Message.provider_ref,
    )
    .execution_options(synchronize_session=False)
)

KNOWN_SID = (
    select(func.count()).select_from(Message).where(Message.provider_sid == bindparam("sid"))
)
