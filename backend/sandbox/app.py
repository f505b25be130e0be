"""HTTP layer of the provider sandbox: Twilio's 2010-04-01 Messages API plus a control API.

Endpoints are plain ``def`` functions so FastAPI runs them in its thread pool: the
inbound endpoint waits on the backend's webhook, and nothing here may stall the event
loop. Request bodies are read by small async dependencies, which is non-blocking.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from backend.sandbox import errors
from backend.sandbox.errors import TwilioApiError, install_error_handlers, unauthenticated
from backend.sandbox.resources import message_resource, phone_number_resource
from backend.sandbox.service import SandboxConfig, SandboxService

ACCOUNT_PATH = "/2010-04-01/Accounts/{account_sid}"


@dataclass(frozen=True, slots=True)
class FormFields:
    """A form-encoded Twilio request: last value per key, plus the repeatable MediaUrl."""

    values: dict[str, str] = field(default_factory=dict)
    media_urls: list[str] = field(default_factory=list)


async def read_form(request: Request) -> FormFields:
    """Parse the form body (an empty form for any other content type, as Twilio does)."""
    form = await request.form()
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    media = [value for value in form.getlist("MediaUrl") if isinstance(value, str) and value]
    return FormFields(values, media)


async def read_json_object(request: Request) -> dict[str, object]:
    try:
        payload = await request.json()
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise TwilioApiError(400, errors.INVALID_PARAMETER, "Expected a JSON object.")
    return payload


FormDep = Annotated[FormFields, Depends(read_form)]


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """``(username, password)`` from an ``Authorization: Basic`` header, else None."""
    if not header:
        return None
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


def create_sandbox_app(
    account_sid: str,
    auth_token: str,
    *,
    sms_url: str | None = None,
    status_delays: tuple[float, float] = (0.05, 0.05),
    replier: Callable[[str], str | None] | None = None,
) -> FastAPI:
    """A Twilio-compatible sandbox for one account.

    ``account_sid``/``auth_token`` are the only accepted credentials; ``sms_url`` receives
    inbound texts for numbers registered without their own SmsUrl; ``status_delays`` are
    the seconds before the ``sent`` and then the ``delivered`` status callbacks;
    ``replier`` (the demo's) answers each run of texts as their recipient. The service is
    reachable as ``app.state.sandbox`` (a :class:`SandboxService`).
    """
    if len(status_delays) != 2 or any(delay < 0 for delay in status_delays):
        raise ValueError("status_delays must be two non-negative numbers of seconds")
    service = SandboxService(
        SandboxConfig(
            account_sid,
            auth_token,
            sms_url,
            (status_delays[0], status_delays[1]),
            replier=replier,
        )
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            service.shutdown()

    app = FastAPI(
        title="PetsApp provider sandbox",
        description="Local Twilio Programmable Messaging (2010-04-01) look-alike.",
        lifespan=lifespan,
        docs_url="/sandbox/docs",
        redoc_url=None,
        openapi_url="/sandbox/openapi.json",
    )
    app.state.sandbox = service
    install_error_handlers(app)
    app.include_router(_twilio_router(service))
    app.include_router(_control_router(service))
    return app


def _twilio_router(service: SandboxService) -> APIRouter:
    expected_user = service.config.account_sid.encode()
    expected_password = service.config.auth_token.encode()

    def authenticate(request: Request, account_sid: str) -> None:
        """HTTP Basic with the account's own sid and token, for the account in the URL."""
        credentials = basic_credentials(request.headers.get("Authorization"))
        if credentials is None:
            raise unauthenticated()
        user_ok = secrets.compare_digest(credentials[0].encode(), expected_user)
        password_ok = secrets.compare_digest(credentials[1].encode(), expected_password)
        if not (user_ok and password_ok and account_sid == service.config.account_sid):
            raise unauthenticated()

    router = APIRouter(prefix=ACCOUNT_PATH, dependencies=[Depends(authenticate)])

    @router.post("/Messages.json", status_code=201)
    def create_message(form: FormDep) -> JSONResponse:
        record = service.create_message(form.values, form.media_urls)
        return JSONResponse(message_resource(record), status_code=201)

    @router.get("/Messages.json")
    def list_messages(request: Request) -> JSONResponse:
        return JSONResponse(service.list_messages(request.query_params))

    @router.get("/Messages/{sid}.json")
    def fetch_message(sid: str) -> JSONResponse:
        return JSONResponse(message_resource(service.fetch_message(sid)))

    @router.post("/IncomingPhoneNumbers.json", status_code=201)
    def create_incoming_number(form: FormDep) -> JSONResponse:
        record = service.register_number(form.values)
        return JSONResponse(phone_number_resource(record), status_code=201)

    return router


def _control_router(service: SandboxService) -> APIRouter:
    """Sandbox-only endpoints (not Twilio): text in as an owner, health, reset."""
    router = APIRouter(prefix="/sandbox")

    @router.post("/inbound")
    def inbound(payload: Annotated[dict[str, object], Depends(read_json_object)]) -> JSONResponse:
        """Text in as an owner: ``{"from": "+44...", "to": "+44...", "body": "..."}``."""
        fields: dict[str, str] = {}
        for key in ("from", "to", "body"):
            value = payload.get(key, "")
            if not isinstance(value, str):
                raise TwilioApiError(400, errors.INVALID_PARAMETER, f"'{key}' must be a string.")
            # Numbers are trimmed; the body is kept verbatim, as a handset would send it.
            fields[key] = value if key == "body" else value.strip()
        result = service.receive_inbound(fields["from"], fields["to"], fields["body"])
        return JSONResponse(
            {
                "message": message_resource(result.message),
                "webhook_status": result.webhook.status,
                "webhook_error": result.webhook.error,
            }
        )

    @router.get("/health")
    def health() -> dict[str, bool]:
        return {"ok": True}

    @router.post("/reset")
    def reset() -> dict[str, bool]:
        service.reset()
        return {"ok": True}

    return router
