"""Chats and messages: every rule here is scoped to the caller's clinic group."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.changes import record_change
from backend.domain.errors import DomainError, not_found
from backend.domain.serialize import chat_dict, message_dict, owner_dict
from backend.models import Chat, Clinic, HandOff, Message, Owner, SmsContact, Staff, utcnow
from backend.sms_gateway.claims import Claim, claim_new
from petsapp_common.sms import MAX_BODY_CHARS, PhoneNumberError, format_phone, normalise_phone

log = logging.getLogger(__name__)

WELCOME_TEMPLATE = (
    "Hi, this is {clinic}. We'll text you from this number about your pet, and you can "
    "reply here to chat with us. Reply STOP to opt out."
)

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


def clinic_in_group(session: Session, staff: Staff, clinic_id: int) -> Clinic:
    clinic = session.get(Clinic, clinic_id)
    if clinic is None or clinic.group_id != staff.group_id:
        raise not_found("clinic")
    return clinic


def chat_in_group(session: Session, staff: Staff, chat_id: int) -> Chat:
    chat = session.get(Chat, chat_id)
    if chat is None or chat.group_id != staff.group_id:
        raise not_found("chat")
    return chat


def _contact(session: Session, clinic_id: int, phone: str) -> SmsContact:
    contact = session.get(SmsContact, (clinic_id, phone))
    if contact is None:
        contact = SmsContact(clinic_id=clinic_id, phone=phone, opted_out=False)
        session.add(contact)
        session.flush()
    return contact


def is_opted_out(session: Session, chat: Chat) -> bool:
    if chat.kind != "sms" or chat.phone is None:
        return False
    contact = session.get(SmsContact, (chat.clinic_id, chat.phone))
    return bool(contact and contact.opted_out)


PREVIEW_CHARS = 120


def chat_record(session: Session, chat: Chat) -> dict[str, Any]:
    last = session.execute(
        select(Message.direction, Message.body)
        .where(Message.chat_id == chat.id, Message.direction != "internal")
        .order_by(Message.id.desc())
        .limit(1)
    ).first()
    preview = {"direction": last[0], "body": last[1][:PREVIEW_CHARS]} if last else None
    country = session.scalar(select(Clinic.country).where(Clinic.id == chat.clinic_id)) or "GB"
    return chat_dict(
        chat,
        opted_out=is_opted_out(session, chat),
        last_message=preview,
        phone_display=format_phone(chat.phone, country) if chat.phone else None,
    )


def publish_chat(session: Session, chat: Chat) -> dict[str, Any]:
    chat.updated_at = utcnow()
    session.flush()
    data = chat_record(session, chat)
    record_change(session, chat.group_id, "chat", data)
    return data


def publish_message(session: Session, message: Message) -> dict[str, Any]:
    session.flush()
    data = message_dict(message)
    record_change(session, message.group_id, "message", data)
    return data


def add_message(session: Session, chat: Chat, **fields: Any) -> Message:
    now = utcnow()
    message = Message(
        group_id=chat.group_id, chat_id=chat.id, created_at=now, updated_at=now, **fields
    )
    session.add(message)
    chat.last_message_at = now
    session.flush()
    publish_message(session, message)
    return message


def _welcome_if_needed(session: Session, chat: Chat, clinic: Clinic) -> list[int]:
    """The welcome text goes out once per number and clinic, before the clinic's first text."""
    assert chat.phone is not None
    contact = _contact(session, clinic.id, chat.phone)
    if contact.welcomed_at is not None:
        return []
    contact.welcomed_at = utcnow()
    welcome = add_message(
        session, chat, direction="out", body=welcome_text(clinic), status="accepted"
    )
    return [welcome.id]


def open_sms_chat(session: Session, clinic_id: int, phone: str | None) -> Chat | None:
    """The open SMS chat with this number at this clinic: there is at most one."""
    return session.scalar(
        select(Chat)
        .where(Chat.clinic_id == clinic_id, Chat.kind == "sms", Chat.phone == phone)
        .where(Chat.status == "open")
        .order_by(Chat.id.desc())
    )


def _claimed(
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


def start_sms_chat(
    session: Session, staff: Staff, clinic_id: int, phone: str, sender: str | None = None
) -> Outcome:
    """``sender``: the backend process that will hand the welcome text to the provider."""
    clinic = clinic_in_group(session, staff, clinic_id)
    if clinic.sms_number is None:
        raise DomainError(
            403,
            "sms_not_enabled",
            f"SMS chat is not enabled for {clinic.name}. Ask PetsApp support to enable it.",
        )
    try:
        number = normalise_phone(phone, clinic.country)
    except PhoneNumberError as exc:
        raise DomainError(422, exc.code, str(exc)) from exc
    owner = session.scalar(
        select(Owner).where(Owner.group_id == staff.group_id, Owner.phone == number)
    )
    if owner is not None:
        raise DomainError(
            409,
            "owner_registered",
            f"{owner.name} already uses PetsApp with your group: start a PetsApp chat instead.",
            owner=owner_dict(owner),
        )
    existing = open_sms_chat(session, clinic.id, number)
    if existing is not None:
        return Outcome(existing, created=False)
    chat = Chat(
        group_id=staff.group_id,
        clinic_id=clinic.id,
        kind="sms",
        status="open",
        phone=number,
        assignee_id=staff.id,
    )
    session.add(chat)
    session.flush()
    texts = _welcome_if_needed(session, chat, clinic)
    publish_chat(session, chat)
    return Outcome(
        chat, texts_to_send=texts, claimed=_claimed(session, chat, clinic, texts, sender)
    )


def start_app_chat(session: Session, staff: Staff, clinic_id: int, owner_id: int) -> Outcome:
    clinic = clinic_in_group(session, staff, clinic_id)
    owner = session.get(Owner, owner_id)
    if owner is None or owner.group_id != staff.group_id:
        raise not_found("owner")
    existing = session.scalar(
        select(Chat).where(
            Chat.clinic_id == clinic.id,
            Chat.kind == "app",
            Chat.owner_id == owner.id,
            Chat.status == "open",
        )
    )
    if existing is not None:
        return Outcome(existing, created=False)
    chat = Chat(
        group_id=staff.group_id,
        clinic_id=clinic.id,
        kind="app",
        status="open",
        phone=owner.phone,
        owner_id=owner.id,
        owner_name=owner.name,
        pet_name=", ".join(pet.name for pet in owner.pets) or None,
        assignee_id=staff.id,
    )
    session.add(chat)
    publish_chat(session, chat)
    return Outcome(chat)


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
        texts = _welcome_if_needed(session, chat, clinic)
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
    claimed = _claimed(session, chat, clinic, texts, sender) if clinic is not None else None
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


def update_details(
    session: Session, staff: Staff, chat_id: int, owner_name: str, pet_name: str
) -> Chat:
    chat = chat_in_group(session, staff, chat_id)
    chat.owner_name = owner_name.strip() or None
    chat.pet_name = pet_name.strip() or None
    publish_chat(session, chat)
    return chat


def hand_off(
    session: Session,
    staff: Staff,
    chat_id: int,
    to_staff_id: int,
    note: str,
    client_id: str | None = None,
) -> Chat:
    chat = chat_in_group(session, staff, chat_id)
    if client_id and session.scalar(select(HandOff.id).where(HandOff.client_id == client_id)):
        return chat  # a resend of a hand-off already made
    colleague = session.get(Staff, to_staff_id)
    if colleague is None or colleague.group_id != staff.group_id:
        raise not_found("colleague")
    note = note.strip()
    if not note:
        raise DomainError(422, "note_required", "Write a hand-off note for your colleague.")
    chat.assignee_id = colleague.id
    # The note is an internal message: staff see it in the chat; it never reaches the owner.
    message = add_message(
        session,
        chat,
        direction="internal",
        body=f"Handed off to {colleague.name}: {note}",
        status="internal",
        sender_id=staff.id,
    )
    session.add(
        HandOff(
            chat_id=chat.id,
            from_staff_id=staff.id,
            to_staff_id=colleague.id,
            note=note,
            message_id=message.id,
            client_id=client_id,
        )
    )
    publish_chat(session, chat)
    return chat


def set_status(session: Session, staff: Staff, chat_id: int, status: str) -> Chat:
    """Close or reopen. Reopening refuses when another chat with that number is open."""
    chat = chat_in_group(session, staff, chat_id)
    if chat.status == status:
        return chat
    if status == "open" and chat.kind == "sms":
        other = open_sms_chat(session, chat.clinic_id, chat.phone)
        if other is not None:
            raise DomainError(
                409,
                "chat_already_open",
                "Another chat with this number is open; continue there.",
                chat_id=other.id,
            )
    chat.status = status
    publish_chat(session, chat)
    return chat


def set_opted_out(session: Session, clinic_id: int, phone: str, opted_out: bool) -> None:
    """Record a number's opt-out of one clinic's texts; its SMS chats there show it."""
    contact = _contact(session, clinic_id, phone)
    if contact.opted_out == opted_out:
        return
    contact.opted_out = opted_out
    contact.updated_at = utcnow()
    session.flush()
    chats = session.scalars(
        select(Chat).where(Chat.clinic_id == clinic_id, Chat.kind == "sms", Chat.phone == phone)
    )
    for chat in chats:
        publish_chat(session, chat)


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


def link_owner_chats(session: Session, owner: Owner) -> list[Chat]:
    """An owner just registered in PetsApp: their SMS chats with the group's clinics are
    linked to them, named, and say that the conversation can continue in the app."""
    chats = list(
        session.scalars(
            select(Chat).where(
                Chat.group_id == owner.group_id,
                Chat.kind == "sms",
                Chat.phone == owner.phone,
                Chat.owner_id.is_(None),
            )
        )
    )
    for chat in chats:
        chat.owner_id = owner.id
        chat.owner_name = chat.owner_name or owner.name
        if not chat.pet_name and owner.pets:
            chat.pet_name = ", ".join(pet.name for pet in owner.pets)
        add_message(
            session,
            chat,
            direction="internal",
            status="internal",
            body=f"{owner.name} has joined PetsApp: this chat can continue in the app, "
            "where photos, files and payment requests work too.",
        )
        publish_chat(session, chat)
    return chats
