"""A chat's messages: staff posting one (in the app, or as a text), and its history."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.chats.handling import set_status
from backend.domain.chats.outbound import Outcome, claim_first, welcome_if_needed
from backend.domain.chats.records import add_message, chat_in_group, is_opted_out, publish_chat
from backend.domain.errors import DomainError
from backend.models import Clinic, Message, Staff
from petsapp_common.sms import MAX_BODY_CHARS


def post_message(
    session: Session,
    staff: Staff,
    chat_id: int,
    client_id: str,
    body: str,
    *,
    has_media: bool = False,
    sender: str | None = None,
) -> Outcome:
    """``sender``: the backend process that will hand the text to the provider."""
    chat = chat_in_group(session, staff, chat_id)
    seen = session.scalar(
        select(Message).where(Message.group_id == staff.group_id, Message.client_id == client_id)
    )
    if seen is not None:
        if seen.chat_id != chat.id:
            raise DomainError(409, "client_id_conflict", "This client_id was used in another chat.")
        return Outcome(seen, created=False)
    if not body.strip() and not has_media:
        raise DomainError(422, "empty_message", "Type a message before sending.")
    if chat.status == "closed":
        set_status(session, staff, chat.id, "open")  # writing in a closed chat continues it
    texts: list[int] = []
    clinic: Clinic | None = None
    if chat.kind == "sms":
        if has_media:
            raise DomainError(
                422,
                "sms_no_media",
                "SMS chats cannot carry images, files, videos or payment requests. The client "
                "can continue this chat in the PetsApp app.",
            )
        if len(body) > MAX_BODY_CHARS:
            raise DomainError(
                422,
                "body_too_long",
                f"A text can be at most {MAX_BODY_CHARS} characters; this one has {len(body)}.",
            )
        if is_opted_out(session, chat):
            raise DomainError(
                409,
                "opted_out",
                "This number has opted out of texts from the clinic (replied STOP). They can "
                "opt back in by texting START.",
            )
        clinic = session.get(Clinic, chat.clinic_id)
        assert clinic is not None
        if clinic.sms_number is None:  # turned off since the chat began
            raise DomainError(
                403,
                "sms_not_enabled",
                f"SMS chat is no longer enabled for {clinic.name}, so this text cannot be sent.",
            )
        texts = welcome_if_needed(session, chat, clinic)
    message = add_message(
        session,
        chat,
        client_id=client_id,
        direction="out",
        body=body,
        status="accepted" if chat.kind == "sms" else "sent",
        sender_id=staff.id,
    )
    if chat.kind == "sms":
        texts.append(message.id)
    publish_chat(session, chat)
    claimed = claim_first(session, chat, clinic, texts, sender) if clinic is not None else None
    return Outcome(message, texts_to_send=texts, claimed=claimed)


def history(
    session: Session, staff: Staff, chat_id: int, before: int | None, limit: int
) -> list[Message]:
    chat = chat_in_group(session, staff, chat_id)
    query = select(Message).where(Message.chat_id == chat.id)
    if before is not None:
        query = query.where(Message.id < before)
    newest_first = list(session.scalars(query.order_by(Message.id.desc()).limit(limit)))
    return newest_first[::-1]
