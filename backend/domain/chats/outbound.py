"""What a staff write hands to the provider: the welcome text a number gets before a
clinic's first text, and the claim on the first text to send."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from backend.domain.chats.contacts import sms_contact
from backend.domain.chats.records import add_message
from backend.models import Chat, Clinic, Message, utcnow
from backend.sms_gateway.claims import Claim, claim_new
from petsapp_common.sms import WELCOME_TEMPLATE


@dataclass
class Outcome:
    """What a write did: the record, whether it was new, and texts to hand to the provider."""

    record: Any
    created: bool = True
    texts_to_send: list[int] = field(default_factory=list)
    claimed: Claim | None = None
    """The first of ``texts_to_send``, claimed in the same transaction for the process that
    will hand it on (None when an earlier text to the number still waits)."""


def welcome_text(clinic: Clinic) -> str:
    return WELCOME_TEMPLATE.format(clinic=clinic.name)


def welcome_if_needed(session: Session, chat: Chat, clinic: Clinic) -> list[int]:
    """The welcome text goes out once per number and clinic, before the clinic's first text."""
    assert chat.phone is not None
    contact = sms_contact(session, clinic.id, chat.phone)
    if contact.welcomed_at is not None:
        return []
    contact.welcomed_at = utcnow()
    welcome = add_message(
        session, chat, direction="out", body=welcome_text(clinic), status="accepted"
    )
    return [welcome.id]


def claim_first(
    session: Session, chat: Chat, clinic: Clinic, texts: list[int], sender: str | None
) -> Claim | None:
    """The first of the texts just stored, claimed for ``sender`` (the rest follow it)."""
    if not texts or not sender or chat.phone is None or clinic.sms_number is None:
        return None
    first = session.get(Message, texts[0])  # in the session already: no query
    assert first is not None
    return claim_new(
        session,
        first.id,
        chat_id=chat.id,
        clinic_id=clinic.id,
        to=chat.phone,
        from_=clinic.sms_number,
        body=first.body,
        holder=sender,
    )
