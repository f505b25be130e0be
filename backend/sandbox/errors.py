"""Twilio-shaped API errors: ``{"code", "message", "more_info", "status"}``.

twilio-python turns such a body into ``TwilioRestException(status, code=...)``, so the
backend's error handling sees exactly what real Twilio would give it.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

# Twilio error codes the sandbox produces (https://www.twilio.com/docs/api/errors/CODE).
AUTHENTICATE = 20003
INVALID_PARAMETER = 20001
NOT_FOUND = 20404
METHOD_NOT_ALLOWED = 20004
TOO_MANY_REQUESTS = 20429
INTERNAL_ERROR = 20500
INVALID_TO = 21211
INVALID_FROM = 21212
INVALID_PHONE_NUMBER = 21421
INVALID_SMS_URL = 21502
BODY_REQUIRED = 21602
FROM_REQUIRED = 21603
TO_REQUIRED = 21604
INVALID_STATUS_CALLBACK = 21609
UNSUBSCRIBED_RECIPIENT = 21610
NOT_MOBILE = 21614
BODY_TOO_LONG = 21617
INVALID_MESSAGING_SERVICE = 21701
# Delivery errors reported in status callbacks, not in HTTP answers.
UNREACHABLE_HANDSET = 30003
UNKNOWN_HANDSET = 30005

DELIVERY_ERROR_MESSAGES: dict[int, str] = {
    UNREACHABLE_HANDSET: "Unreachable destination handset",
    UNKNOWN_HANDSET: "Unknown destination handset",
}


class TwilioApiError(Exception):
    """An error answered with Twilio's JSON error body and HTTP status."""

    def __init__(
        self, status: int, code: int, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict[str, object]:
        """The JSON body, field for field as Twilio sends it."""
        return {
            "code": self.code,
            "message": self.message,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def unauthenticated() -> TwilioApiError:
    """The 401 Twilio answers for missing or wrong credentials."""
    return TwilioApiError(
        401, AUTHENTICATE, "Authenticate", {"WWW-Authenticate": 'Basic realm="Twilio API"'}
    )


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error in Twilio's shape, including FastAPI's own 404/405/422."""

    async def on_twilio_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, TwilioApiError)
        return exc.response()

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            error = TwilioApiError(
                404, NOT_FOUND, f"The requested resource {request.url.path} was not found"
            )
        elif exc.status_code == 405:
            error = TwilioApiError(405, METHOD_NOT_ALLOWED, "Method not allowed")
        else:
            error = TwilioApiError(exc.status_code, exc.status_code, str(exc.detail))
        return error.response()

    async def on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
        # Only reachable through malformed sandbox control requests: Twilio endpoints
        # parse their own parameters so they can answer with Twilio's codes.
        return TwilioApiError(400, INVALID_PARAMETER, f"Invalid request: {exc}").response()

    app.add_exception_handler(TwilioApiError, on_twilio_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
