"""The provider's webhooks: inbound texts and delivery status, checked by signature."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from twilio.request_validator import RequestValidator

from backend.api.deps import BackendParts
from backend.domain.chats.delivery import record_status_callback
from backend.domain.errors import DomainError
from backend.sms_gateway.inbound import record_inbound

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks/twilio", include_in_schema=False)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


async def _signed_form(request: Request, path: str) -> dict[str, str]:
    """The posted form, if its X-Twilio-Signature matches our public URL; else 403."""
    backend: BackendParts = request.app.state.parts
    form = {key: str(value) for key, value in (await request.form()).items()}
    url = backend.settings.public_url + path
    if request.url.query:
        url += "?" + request.url.query
    signature = request.headers.get("X-Twilio-Signature", "")
    validator = RequestValidator(backend.settings.twilio_auth_token)
    if not signature or not validator.validate(url, form, signature):
        log.warning("webhook %s refused: bad or missing signature", path)
        raise DomainError(403, "bad_signature", "The request signature is not valid.")
    return form


@router.post("/sms")
async def inbound_sms(request: Request) -> Response:
    form = await _signed_form(request, "/webhooks/twilio/sms")
    backend: BackendParts = request.app.state.parts

    def store() -> None:
        with backend.database.write() as session:
            record_inbound(
                session,
                to=form.get("To", ""),
                from_=form.get("From", ""),
                body=form.get("Body", ""),
                provider_sid=form.get("MessageSid", ""),
            )

    await run_in_threadpool(store)
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post("/status")
async def status_callback(request: Request) -> Response:
    form = await _signed_form(request, "/webhooks/twilio/status")
    backend: BackendParts = request.app.state.parts
    code = form.get("ErrorCode", "")
    error_code = int(code) if code.isdigit() else None

    def store() -> None:
        with backend.database.write() as session:
            record_status_callback(
                session,
                form.get("MessageSid", ""),
                form.get("MessageStatus", ""),
                error_code,
                ref=request.query_params.get("text"),
            )

    await run_in_threadpool(store)
    return Response(status_code=204)
