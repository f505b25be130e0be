"""Texts from owners: a new Guest chat when needed, and Twilio's opt-out keywords."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.chats.contacts import set_opted_out
from backend.domain.chats.records import add_message, open_sms_chat, publish_chat
from backend.models import Chat, Clinic, Message
from petsapp_common.sms import keyword_kind, mask_phone

log = logging.getLogger(__name__)


def record_inbound(
    session: Session, *, to: str, from_: str, body: str, provider_sid: str
) -> Message | None:
    """Store one inbound text once (by provider sid); None when it is not for any clinic."""
    if session.scalar(select(Message.id).where(Message.provider_sid == provider_sid)):
        return None  # the provider retried a webhook we already stored
    clinic = session.scalar(select(Clinic).where(Clinic.sms_number == to))
    if clinic is None:
        log.warning("inbound text to an unknown number %s dropped", mask_phone(to))
        return None
    chat = open_sms_chat(session, clinic.id, from_)
    if chat is None:
        chat = Chat(
            group_id=clinic.group_id,
            clinic_id=clinic.id,
            kind="sms",
            status="open",
            phone=from_,
        )
        session.add(chat)
        session.flush()
    message = add_message(
        session, chat, direction="in", body=body, status="received", provider_sid=provider_sid
    )
    # Twilio itself answers these keywords and blocks the number; we mirror its state and
    # send nothing of our own.
    match keyword_kind(body):
        case "opt_out":
            set_opted_out(session, clinic.id, from_, True)
        case "opt_in":
            set_opted_out(session, clinic.id, from_, False)
    publish_chat(session, chat)
    return message
