"""The backend's tables: SQLAlchemy 2 typed models. Schema changes go through Alembic."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class ClinicGroup(Base):
    __tablename__ = "clinic_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    """The group's change counter: the last sequence number handed out (see domain.changes)."""

    clinics: Mapped[list[Clinic]] = relationship(back_populates="group", order_by="Clinic.id")


class Clinic(Base):
    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("clinic_groups.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    country: Mapped[str] = mapped_column(String(2), default="GB")
    sms_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    """The clinic's own SMS number (E.164); None means SMS chat is off for the clinic."""
    magic_code: Mapped[str] = mapped_column(String(64), unique=True)

    group: Mapped[ClinicGroup] = relationship(back_populates="clinics")


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("clinic_groups.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))


class StaffToken(Base):
    __tablename__ = "staff_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Owner(Base):
    """A pet owner registered in PetsApp with this group."""

    __tablename__ = "owners"
    __table_args__ = (UniqueConstraint("group_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("clinic_groups.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(32))

    pets: Mapped[list[Pet]] = relationship(order_by="Pet.id")


class Pet(Base):
    __tablename__ = "pets"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    species: Mapped[str] = mapped_column(String(100), default="")


class Chat(Base):
    __tablename__ = "chats"
    __table_args__ = (Index("ix_chats_clinic_phone", "clinic_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("clinic_groups.id"), index=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    kind: Mapped[str] = mapped_column(String(8))  # "sms" | "app"
    status: Mapped[str] = mapped_column(String(8), default="open")  # "open" | "closed"
    phone: Mapped[str | None] = mapped_column(String(32))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"))
    owner_name: Mapped[str | None] = mapped_column(String(200))
    pet_name: Mapped[str | None] = mapped_column(String(200))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_message_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("group_id", "client_id"),
        Index("ix_messages_chat_id_id", "chat_id", "id"),
        # Texts not yet with the provider: the dispatcher's sweep reads only these rows.
        Index(
            "ix_messages_unsent",
            "id",
            sqlite_where=text("status = 'accepted'"),
            postgresql_where=text("status = 'accepted'"),
        ),
        # The same rows by chat: "does an earlier text to this number wait?" (claim_statements.py).
        Index(
            "ix_messages_unsent_chat",
            "chat_id",
            "id",
            sqlite_where=text("status = 'accepted'"),
            postgresql_where=text("status = 'accepted'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("clinic_groups.id"))
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id"))
    client_id: Mapped[str | None] = mapped_column(String(64))
    """The sender's idempotency key; None for messages the backend itself made."""
    direction: Mapped[str] = mapped_column(String(8))  # "in" | "out" | "internal"
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[int | None] = mapped_column(Integer)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The send claim (sms_gateway.claims): which backend process is handing this text to
    # the provider, since when (refreshed while it works), and how often it was claimed.
    provider_ref: Mapped[str | None] = mapped_column(String(32), unique=True)
    """Named in this text's own status-callback URL, so the provider's callbacks say exactly
    which text a provider sid belongs to."""
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claims: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HandOff(Base):
    """Who passed a chat to whom, when, and why (the note is internal)."""

    __tablename__ = "handoffs"
    __table_args__ = (UniqueConstraint("client_id", name="uq_handoffs_client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id"), index=True)
    from_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    to_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str] = mapped_column(Text)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    client_id: Mapped[str | None] = mapped_column(String(64))
    """The sender's idempotency key: a resent hand-off is recognised, not repeated."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SmsContact(Base):
    """What the clinic's number knows about a phone: welcomed? opted out?"""

    __tablename__ = "sms_contacts"

    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), primary_key=True)
    phone: Mapped[str] = mapped_column(String(32), primary_key=True)
    welcomed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Change(Base):
    """One entry of a group's sync feed: the record as the API shows it, at that moment."""

    __tablename__ = "changes"

    group_id: Mapped[int] = mapped_column(ForeignKey("clinic_groups.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    type: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, object]] = mapped_column(JSON)
