"""Where an outbound text is: the provider's answer to its send, and its status callbacks."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.chats.contacts import set_opted_out
from backend.domain.chats.records import publish_message
from backend.models import Chat, Message, utcnow

log = logging.getLogger(__name__)

# Twilio: "Attempt to send to unsubscribed recipient"; authoritative about opt-outs.
PROVIDER_UNSUBSCRIBED = 21610

# Outbound statuses only ever move forward: a late "sent" callback must not undo "delivered".
_STATUS_RANK = {
    "accepted": 0,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "undelivered": 4,
    "failed": 4,
}


def record_provider_result(
    session: Session, message_id: int, sid: str | None, status: str, error_code: int | None
) -> None:
    message = session.get(Message, message_id)
    if message is None:
        return
    if sid:
        if message.provider_sid and message.provider_sid != sid:
            # Only possible if two holders both sent it; say so loudly, keep the first.
            log.error("message %s already has another provider sid than %s", message_id, sid)
            return
        message.provider_sid = sid
    _advance_status(message, status, error_code)
    publish_message(session, message)
    if error_code == PROVIDER_UNSUBSCRIBED:
        chat = session.get(Chat, message.chat_id)
        if chat is not None and chat.phone:
            set_opted_out(session, chat.clinic_id, chat.phone, True)


def record_status_callback(
    session: Session, sid: str, status: str, error_code: int | None, ref: str | None = None
) -> None:
    """The provider says where a text is. ``ref`` is the text's own reference from its
    callback URL: when the provider's answer to the send was lost (or its sender died),
    this is how the text learns its sid, with no guessing."""
    message = session.scalar(select(Message).where(Message.provider_sid == sid))
    if message is None and ref:
        message = session.scalar(
            select(Message).where(Message.provider_ref == ref, Message.provider_sid.is_(None))
        )
        if message is None:
            return
        message.provider_sid = sid
        _advance_status(message, status, error_code)
        publish_message(session, message)
        return
    if message is None:
        return
    if _advance_status(message, status, error_code):
        publish_message(session, message)


def _advance_status(message: Message, status: str, error_code: int | None) -> bool:
    if _STATUS_RANK.get(status, 0) < _STATUS_RANK.get(message.status, 0):
        return False
    message.status = status
    message.error_code = error_code
    message.updated_at = utcnow()
    return True
