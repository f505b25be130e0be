"""Starting a chat: by SMS with a number, or in the app with a registered owner."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.chats.outbound import Outcome, claim_first, welcome_if_needed
from backend.domain.chats.records import clinic_in_group, open_sms_chat, publish_chat
from backend.domain.errors import DomainError, not_found
from backend.domain.serialize import owner_dict
from backend.models import Chat, Owner, Staff
from petsapp_common.sms import PhoneNumberError, normalise_phone


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
    texts = welcome_if_needed(session, chat, clinic)
    publish_chat(session, chat)
    return Outcome(
        chat, texts_to_send=texts, claimed=claim_first(session, chat, clinic, texts, sender)
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
