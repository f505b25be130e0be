"""A chat or clinic in the caller's group, a chat's record, and messages stored and
published on the change feed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.changes import record_change
from backend.domain.errors import not_found
from backend.domain.serialize import chat_dict, message_dict
from backend.models import Chat, Clinic, Message, SmsContact, Staff, utcnow
from petsapp_common.sms import format_phone


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


def open_sms_chat(session: Session, clinic_id: int, phone: str | None) -> Chat | None:
    """The open SMS chat with this number at this clinic: there is at most one."""
    return session.scalar(
        select(Chat)
        .where(Chat.clinic_id == clinic_id, Chat.kind == "sms", Chat.phone == phone)
        .where(Chat.status == "open")
        .order_by(Chat.id.desc())
    )


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
