"""The person at the other end of a chat: a number's opt-out of one clinic's texts, and an
owner joining PetsApp, whose SMS chats then become theirs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.chats.records import add_message, publish_chat
from backend.models import Chat, Owner, SmsContact, utcnow


def sms_contact(session: Session, clinic_id: int, phone: str) -> SmsContact:
    """The number's contact at this clinic (opt-out, welcome), made on first use."""
    contact = session.get(SmsContact, (clinic_id, phone))
    if contact is None:
        contact = SmsContact(clinic_id=clinic_id, phone=phone, opted_out=False)
        session.add(contact)
        session.flush()
    return contact


def set_opted_out(session: Session, clinic_id: int, phone: str, opted_out: bool) -> None:
    """Record a number's opt-out of one clinic's texts; its SMS chats there show it."""
    contact = sms_contact(session, clinic_id, phone)
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
