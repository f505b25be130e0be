"""Administration: loading clinic groups, their clinics, staff and registered owners."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.auth import hash_password
from backend.models import Clinic, ClinicGroup, Owner, Pet, Staff
from desktop.services.sms import normalise_phone


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
                owner = session.scalar(select(Clinic.name).where(Clinic.sms_number == sms_number))
                if owner is not None:
                    raise AdminError(f"The SMS number {sms_number} already belongs to {owner}.")
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
