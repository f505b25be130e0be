"""Administration: loading clinic groups, their clinics, staff and registered owners."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.auth import hash_password
from backend.domain.chats.contacts import link_owner_chats
from backend.models import Clinic, ClinicGroup, Owner, Pet, Staff
from petsapp_common.sms import normalise_phone


class AdminError(ValueError):
    """A load file or command that cannot be applied; nothing was changed."""


def load_groups(session: Session, payload: dict[str, Any]) -> list[ClinicGroup]:
    """Apply ``{"groups": [...]}`` (format in the README) inside the caller's transaction."""
    groups = payload.get("groups")
    if not isinstance(groups, list):
        raise AdminError('The file must hold {"groups": [...]}.')
    loaded = []
    for spec in groups:
        group = ClinicGroup(name=_text(spec, "name"), last_seq=0)
        session.add(group)
        session.flush()
        for clinic in spec.get("clinics", []):
            country = clinic.get("country") or "GB"
            sms_number = clinic.get("sms_number")
            if sms_number:
                sms_number = _e164(sms_number, country, any_kind=True)
                holder = session.scalar(select(Clinic.name).where(Clinic.sms_number == sms_number))
                if holder is not None:
                    raise AdminError(f"The SMS number {sms_number} already belongs to {holder}.")
            session.add(
                Clinic(
                    group_id=group.id,
                    name=_text(clinic, "name"),
                    address=clinic.get("address", ""),
                    phone=clinic.get("phone", ""),
                    country=country,
                    sms_number=sms_number or None,
                    magic_code=secrets.token_urlsafe(9),
                )
            )
        for person in spec.get("staff", []):
            email = _text(person, "email").strip().lower()
            if session.scalar(select(Staff.id).where(Staff.email == email)):
                raise AdminError(f"A staff member with the email {email} already exists.")
            session.add(
                Staff(
                    group_id=group.id,
                    name=_text(person, "name"),
                    email=email,
                    password_hash=hash_password(_text(person, "password")),
                )
            )
        for owner_spec in spec.get("owners", []):
            owner = Owner(
                group_id=group.id,
                name=_text(owner_spec, "name"),
                phone=_e164(_text(owner_spec, "phone"), "GB"),
            )
            session.add(owner)
            session.flush()
            for pet in owner_spec.get("pets", []):
                session.add(
                    Pet(owner_id=owner.id, name=_text(pet, "name"), species=pet.get("species", ""))
                )
        loaded.append(group)
    session.flush()
    return loaded


def _text(spec: dict[str, Any], key: str) -> str:
    value = spec.get(key)
    if not isinstance(value, str) or not value.strip():
        raise AdminError(f"{key!r} is missing or empty in {spec!r}.")
    return value


def _e164(text: str, region: str, *, any_kind: bool = False) -> str:
    """Owner numbers must be valid mobiles; a clinic's sender number is only checked for form."""
    if any_kind and text.startswith("+") and text[1:].isdigit():
        return text
    try:
        return normalise_phone(text, region)
    except ValueError as exc:
        raise AdminError(str(exc)) from exc


def enable_sms(session: Session, clinic_id: int, number: str | None) -> Clinic:
    """Give a clinic its own SMS number (None turns SMS chat off for it)."""
    clinic = session.get(Clinic, clinic_id)
    if clinic is None:
        raise AdminError(f"There is no clinic with id {clinic_id}.")
    if number is not None:
        number = _e164(number, clinic.country, any_kind=True)
        holder = session.scalar(
            select(Clinic.name).where(Clinic.sms_number == number, Clinic.id != clinic.id)
        )
        if holder is not None:
            raise AdminError(f"The SMS number {number} already belongs to {holder}.")
    clinic.sms_number = number
    session.flush()
    return clinic


def add_staff(session: Session, group_id: int, name: str, email: str, password: str) -> Staff:
    _group(session, group_id)
    email = email.strip().lower()
    if session.scalar(select(Staff.id).where(Staff.email == email)):
        raise AdminError(f"A staff member with the email {email} already exists.")
    if len(password) < 8:
        raise AdminError("A staff password needs at least 8 characters.")
    staff = Staff(
        group_id=group_id, name=name.strip(), email=email, password_hash=hash_password(password)
    )
    session.add(staff)
    session.flush()
    return staff


def add_owner(
    session: Session, group_id: int, name: str, phone: str, pets: list[tuple[str, str]]
) -> Owner:
    _group(session, group_id)
    number = _e164(phone, "GB")
    if session.scalar(select(Owner.id).where(Owner.group_id == group_id, Owner.phone == number)):
        raise AdminError(f"An owner with the number {number} is already registered.")
    owner = Owner(group_id=group_id, name=name.strip(), phone=number)
    session.add(owner)
    session.flush()
    for pet_name, species in pets:
        session.add(Pet(owner_id=owner.id, name=pet_name, species=species))
    session.flush()
    session.refresh(owner)
    link_owner_chats(session, owner)
    return owner


def describe(session: Session) -> list[str]:
    """One line per group and clinic, with the ids the other commands take."""
    lines = []
    for group in session.scalars(select(ClinicGroup).order_by(ClinicGroup.id)):
        lines.append(f"group {group.id}: {group.name}")
        for clinic in group.clinics:
            sms = clinic.sms_number or "SMS off"
            lines.append(f"  clinic {clinic.id}: {clinic.name} ({sms})")
    return lines


def _group(session: Session, group_id: int) -> ClinicGroup:
    group = session.get(ClinicGroup, group_id)
    if group is None:
        raise AdminError(f"There is no clinic group with id {group_id}.")
    return group
