"""The API core under ``/api/v1`` (see docs/openapi.json)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from backend.api import schemas
from backend.api.deps import CurrentStaff, Parts, Token
from backend.domain import auth
from backend.domain.changes import changes_after
from backend.domain.chats import handling, messages, opening, records
from backend.domain.serialize import clinic_dict, message_dict, staff_dict
from backend.models import Clinic, ClinicGroup, Staff

router = APIRouter(prefix="/api/v1")
ChatId = Annotated[int, Path(ge=1, le=schemas.MAX_ID)]

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": schemas.ErrorOut} for code in (400, 401, 403, 404, 409, 422)
}
EXISTING_CHAT = "An open chat with that client already existed: it is returned instead."
SEEN_CLIENT_ID = "This client_id was already sent: the message stored then is returned."


def _group(backend: Parts, group_id: int) -> dict[str, object]:
    with backend.database.read() as session:
        group = session.get(ClinicGroup, group_id)
        assert group is not None
        return {"id": group.id, "name": group.name}


@router.post("/auth/login", response_model=schemas.LoginOut, responses=ERRORS)
def login(body: schemas.LoginIn, backend: Parts) -> dict[str, object]:
    lifetime = timedelta(hours=backend.settings.token_lifetime_hours)
    with backend.database.write() as session:
        token, staff = auth.sign_in(session, body.email, body.password, lifetime)
        group = session.get(ClinicGroup, staff.group_id)
        assert group is not None
        return {
            "token": token,
            "staff": staff_dict(staff),
            "group": {"id": group.id, "name": group.name},
        }


@router.post("/auth/logout", status_code=204, responses=ERRORS)
def logout(token: Token, backend: Parts) -> Response:
    with backend.database.write() as session:
        auth.revoke(session, token)
    return Response(status_code=204)


@router.get("/me", response_model=schemas.MeOut, responses=ERRORS)
def me(staff: CurrentStaff, backend: Parts) -> dict[str, object]:
    with backend.database.read() as session:
        clinics = session.scalars(
            select(Clinic).where(Clinic.group_id == staff.group_id).order_by(Clinic.id)
        )
        clinic_list = [clinic_dict(c, backend.settings.magic_link_base) for c in clinics]
    return {
        "staff": staff_dict(staff),
        "group": _group(backend, staff.group_id),
        "clinics": clinic_list,
        "support_email": backend.settings.support_email,
    }


@router.get("/staff", response_model=list[schemas.StaffOut], responses=ERRORS)
def colleagues(staff: CurrentStaff, backend: Parts) -> list[dict[str, object]]:
    with backend.database.read() as session:
        rows = session.scalars(
            select(Staff).where(Staff.group_id == staff.group_id).order_by(Staff.name)
        )
        return [{"id": s.id, "name": s.name} for s in rows]


@router.get("/sync", response_model=schemas.SyncOut, responses=ERRORS)
async def sync(
    staff: CurrentStaff,
    backend: Parts,
    query: Annotated[schemas.SyncQuery, Query()],
) -> dict[str, object]:
    """The changes after ``cursor``, at most ``limit`` (``more`` says if others follow);
    with none yet, waits up to ``wait`` seconds for one."""
    read = functools.partial(_read_feed, backend, staff.group_id, query.cursor, query.limit)
    # Truly async waiting: an idle long-poll holds no thread (TRAPS: FastAPI long-poll).
    # Subscribe before reading, so a change committed in between still wakes us.
    with backend.notifier.subscribe(staff.group_id) as changed:
        answer = await run_in_threadpool(read)
        if answer["changes"] or query.wait <= 0:
            return answer
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(changed.wait(), query.wait)
    return await run_in_threadpool(read)


def _read_feed(backend: Parts, group_id: int, cursor: int, limit: int) -> dict[str, object]:
    with backend.database.read() as session:
        rows = changes_after(session, group_id, cursor, limit + 1)
        latest = session.scalar(select(ClinicGroup.last_seq).where(ClinicGroup.id == group_id))
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "cursor": rows[-1].seq if rows else cursor,
        "changes": [{"seq": r.seq, "type": r.type, "data": r.data} for r in rows],
        "more": more,
        "latest": max(latest or 0, rows[-1].seq if rows else cursor),
    }


@router.post(
    "/chats/sms",
    status_code=201,
    response_model=schemas.ChatEnvelope,
    responses={**ERRORS, 200: {"model": schemas.ChatEnvelope, "description": EXISTING_CHAT}},
)
def start_sms_chat(
    body: schemas.SmsChatIn, staff: CurrentStaff, backend: Parts, response: Response
) -> dict[str, object]:
    with backend.database.write() as session:
        outcome = opening.start_sms_chat(
            session, staff, body.clinic_id, body.phone, sender=backend.dispatcher.holder
        )
        record = records.chat_record(session, outcome.record)
    if not outcome.created:
        response.status_code = 200
    backend.dispatcher.submit(record["id"], outcome.texts_to_send, outcome.claimed)
    return {"chat": record}


@router.post(
    "/chats",
    status_code=201,
    response_model=schemas.ChatEnvelope,
    responses={**ERRORS, 200: {"model": schemas.ChatEnvelope, "description": EXISTING_CHAT}},
)
def start_app_chat(
    body: schemas.AppChatIn, staff: CurrentStaff, backend: Parts, response: Response
) -> dict[str, object]:
    with backend.database.write() as session:
        outcome = opening.start_app_chat(session, staff, body.clinic_id, body.owner_id)
        record = records.chat_record(session, outcome.record)
    if not outcome.created:
        response.status_code = 200
    return {"chat": record}


@router.get("/chats/{chat_id}/messages", response_model=schemas.MessagesOut, responses=ERRORS)
def chat_history(
    chat_id: ChatId,
    staff: CurrentStaff,
    backend: Parts,
    query: Annotated[schemas.HistoryQuery, Query()],
) -> dict[str, object]:
    with backend.database.read() as session:
        rows = messages.history(session, staff, chat_id, query.before, query.limit)
        return {"messages": [message_dict(m) for m in rows]}


@router.post(
    "/chats/{chat_id}/messages",
    status_code=201,
    response_model=schemas.MessageEnvelope,
    responses={**ERRORS, 200: {"model": schemas.MessageEnvelope, "description": SEEN_CLIENT_ID}},
)
def send_message(
    chat_id: ChatId,
    body: schemas.MessageIn,
    staff: CurrentStaff,
    backend: Parts,
    response: Response,
) -> dict[str, object]:
    has_media = bool(body.attachments) or body.payment_request is not None
    with backend.database.write() as session:
        outcome = messages.post_message(
            session,
            staff,
            chat_id,
            body.client_id,
            body.body,
            has_media=has_media,
            sender=backend.dispatcher.holder,
        )
        record = message_dict(outcome.record)
    if not outcome.created:
        response.status_code = 200
    backend.dispatcher.submit(chat_id, outcome.texts_to_send, outcome.claimed)
    return {"message": record}


@router.patch("/chats/{chat_id}/details", response_model=schemas.ChatEnvelope, responses=ERRORS)
def update_details(
    chat_id: ChatId, body: schemas.DetailsIn, staff: CurrentStaff, backend: Parts
) -> dict[str, object]:
    with backend.database.write() as session:
        chat = handling.update_details(session, staff, chat_id, body.owner_name, body.pet_name)
        return {"chat": records.chat_record(session, chat)}


@router.post("/chats/{chat_id}/handoff", response_model=schemas.ChatEnvelope, responses=ERRORS)
def hand_off(
    chat_id: ChatId, body: schemas.HandoffIn, staff: CurrentStaff, backend: Parts
) -> dict[str, object]:
    with backend.database.write() as session:
        chat = handling.hand_off(
            session, staff, chat_id, body.to_staff_id, body.note, body.client_id
        )
        return {"chat": records.chat_record(session, chat)}


@router.post("/chats/{chat_id}/close", response_model=schemas.ChatEnvelope, responses=ERRORS)
def close_chat(chat_id: ChatId, staff: CurrentStaff, backend: Parts) -> dict[str, object]:
    with backend.database.write() as session:
        chat = handling.set_status(session, staff, chat_id, "closed")
        return {"chat": records.chat_record(session, chat)}


@router.post("/chats/{chat_id}/reopen", response_model=schemas.ChatEnvelope, responses=ERRORS)
def reopen_chat(chat_id: ChatId, staff: CurrentStaff, backend: Parts) -> dict[str, object]:
    with backend.database.write() as session:
        chat = handling.set_status(session, staff, chat_id, "open")
        return {"chat": records.chat_record(session, chat)}
