"""Request bodies and answer shapes of the API (they make the OpenAPI document)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Ids are positive 64-bit integers; anything larger is a malformed request, not a lookup.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SyncQuery(Strict):
    cursor: int = Field(default=0, ge=0, le=MAX_ID)
    wait: float = Field(default=0, ge=0, le=60)
    limit: int = Field(default=500, ge=1, le=1000)


class HistoryQuery(Strict):
    before: int | None = Field(default=None, ge=1, le=MAX_ID)
    limit: int = Field(default=50, ge=1, le=500)


class LoginIn(Strict):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=500)


class SmsChatIn(Strict):
    clinic_id: Id
    phone: str = Field(max_length=64)


class AppChatIn(Strict):
    clinic_id: Id
    owner_id: Id


class Attachment(BaseModel):
    name: str = Field(max_length=500)
    model_config = ConfigDict(extra="allow")


class PaymentRequest(BaseModel):
    amount: float
    currency: str = Field(max_length=3)
    model_config = ConfigDict(extra="allow")


class MessageIn(Strict):
    client_id: str = Field(min_length=1, max_length=64)
    body: str = Field(default="", max_length=10_000)
    attachments: list[Attachment] | None = None
    payment_request: PaymentRequest | None = None


class DetailsIn(Strict):
    owner_name: str = Field(default="", max_length=200)
    pet_name: str = Field(default="", max_length=200)


class HandoffIn(Strict):
    to_staff_id: Id
    note: str = Field(default="", max_length=2000)
    client_id: str | None = Field(default=None, min_length=1, max_length=64)


class StaffOut(BaseModel):
    id: int
    name: str
    email: str | None = None


class GroupOut(BaseModel):
    id: int
    name: str


class ClinicOut(BaseModel):
    id: int
    name: str
    address: str
    phone: str
    country: str
    sms_enabled: bool
    sms_number: str | None
    magic_link: str


class LastMessage(BaseModel):
    direction: Literal["in", "out"]
    body: str


class ChatOut(BaseModel):
    id: int
    clinic_id: int
    kind: Literal["sms", "app"]
    status: str
    title: str
    is_guest: bool
    phone: str | None
    phone_display: str | None = Field(
        default=None, description="The number as the clinic writes it, e.g. 07400 123456."
    )
    owner_id: int | None
    owner_name: str | None
    pet_name: str | None
    assignee_id: int | None
    opted_out: bool
    created_at: str | None
    updated_at: str | None
    last_message_at: str | None
    last_message: LastMessage | None = None


class MessageOut(BaseModel):
    id: int
    client_id: str | None
    chat_id: int
    direction: Literal["in", "out", "internal"]
    body: str
    status: str
    error_code: int | None
    sender_id: int | None
    created_at: str | None
    updated_at: str | None


class LoginOut(BaseModel):
    token: str
    staff: StaffOut
    group: GroupOut


class MeOut(BaseModel):
    staff: StaffOut
    group: GroupOut
    clinics: list[ClinicOut]
    support_email: str


class ChatEnvelope(BaseModel):
    chat: ChatOut


class MessageEnvelope(BaseModel):
    message: MessageOut


class MessagesOut(BaseModel):
    messages: list[MessageOut]


class ChangeOut(BaseModel):
    seq: int
    type: str
    data: dict[str, Any]


class SyncOut(BaseModel):
    cursor: int
    changes: list[ChangeOut]
    more: bool
    latest: int = Field(
        description="The group's newest change when this answer was read: with ``cursor``, "
        "how far a client still has to go (first sign-in progress)."
    )


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody
