"""Staff sign-in: argon2 password hashes and revocable, expiring bearer tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.domain.errors import DomainError
from backend.models import Staff, StaffToken, utcnow

_hasher = PasswordHasher()
# Verifying against a real hash for unknown emails keeps the answer time the same,
# so response timing does not reveal which emails exist.
_DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def sign_in(session: Session, email: str, password: str, lifetime: timedelta) -> tuple[str, Staff]:
    staff = session.scalar(select(Staff).where(Staff.email == email.strip().lower()))
    try:
        _hasher.verify(staff.password_hash if staff else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        staff = None
    if staff is None:
        raise DomainError(401, "invalid_credentials", "The email or password is not right.")
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        StaffToken(
            staff_id=staff.id,
            token_hash=_token_hash(token),
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    return token, staff


def staff_for_token(session: Session, token: str) -> Staff:
    row = session.scalar(select(StaffToken).where(StaffToken.token_hash == _token_hash(token)))
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= utcnow():
        raise DomainError(401, "invalid_token", "Your session has ended. Please sign in again.")
    staff = session.get(Staff, row.staff_id)
    if staff is None:
        raise DomainError(401, "invalid_token", "Your session has ended. Please sign in again.")
    return staff


def revoke(session: Session, token: str) -> None:
    row = session.scalar(select(StaffToken).where(StaffToken.token_hash == _token_hash(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
