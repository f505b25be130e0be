"""Records as the API shows them: the REST answers and the sync feed's ``data``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from backend.models import Chat, Clinic, Message, Owner, Staff


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they are stored as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def chat_title(chat: Chat) -> str:
    names = [name for name in (chat.pet_name, chat.owner_name) if name]
    return " · ".join(names) if names else "Guest"


def chat_dict(
    chat: Chat,
    *,
    opted_out: bool,
    last_message: dict[str, str] | None = None,
    phone_display: str | None = None,
) -> dict[str, Any]:
    """``last_message``: the newest message the client sees or sent, for the queue's preview
    (``{"direction", "body"}``, the body cut to a preview). ``phone_display``: the number
    as the clinic's staff write it (national format at home), so clients show it without
    a phone-number library of their own on their start-up path."""
    return {
        "id": chat.id,
        "clinic_id": chat.clinic_id,
        "kind": chat.kind,
        "status": chat.status,
        "title": chat_title(chat),
        "is_guest": not chat.owner_name,
        "phone": chat.phone,
        "phone_display": phone_display,
        "owner_id": chat.owner_id,
        "owner_name": chat.owner_name,
        "pet_name": chat.pet_name,
        "assignee_id": chat.assignee_id,
        "opted_out": opted_out,
        "created_at": iso(chat.created_at),
        "updated_at": iso(chat.updated_at),
        "last_message_at": iso(chat.last_message_at),
        "last_message": last_message,
    }


def message_dict(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "client_id": message.client_id,
        "chat_id": message.chat_id,
        "direction": message.direction,
        "body": message.body,
        "status": message.status,
        "error_code": message.error_code,
        "sender_id": message.sender_id,
        "created_at": iso(message.created_at),
        "updated_at": iso(message.updated_at),
    }


def clinic_dict(clinic: Clinic, magic_link_base: str) -> dict[str, Any]:
    return {
        "id": clinic.id,
        "name": clinic.name,
        "address": clinic.address,
        "phone": clinic.phone,
        "country": clinic.country,
        "sms_enabled": clinic.sms_number is not None,
        "sms_number": clinic.sms_number,
        "magic_link": f"{magic_link_base}{clinic.magic_code}",
    }


def staff_dict(staff: Staff) -> dict[str, Any]:
    return {"id": staff.id, "name": staff.name, "email": staff.email}


def owner_dict(owner: Owner) -> dict[str, Any]:
    return {
        "id": owner.id,
        "name": owner.name,
        "phone": owner.phone,
        "pets": [{"id": pet.id, "name": pet.name, "species": pet.species} for pet in owner.pets],
    }
