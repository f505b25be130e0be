"""Keeping a chat: its details, hand-offs between colleagues, closing and reopening."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.chats.records import add_message, chat_in_group, open_sms_chat, publish_chat
from backend.domain.errors import DomainError, not_found
from backend.models import Chat, HandOff, Staff


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
