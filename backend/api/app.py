"""The backend's ASGI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from backend import __version__
from backend.api import routes, webhooks
from backend.api.deps import BackendParts
from backend.config import Settings
from backend.db import Database
from backend.domain.changes import ChangeNotifier
from backend.domain.errors import DomainError
from backend.sms_gateway.dispatcher import SmsDispatcher


def _error(status: int, code: str, message: str, **extra: object) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}, **extra}, status_code=status)


def create_app(settings: Settings, database: Database | None = None) -> FastAPI:
    """The API wired to a database (migrated beforehand; see ``petsapp-backend migrate``)."""
    database = database or Database(settings.database_url)
    notifier = ChangeNotifier()
    dispatcher = SmsDispatcher(database, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        notifier.install()
        dispatcher.resume_unsent()
        try:
            yield
        finally:
            dispatcher.close()
            notifier.uninstall()

    app = FastAPI(title="PetsApp backend", version=__version__, lifespan=lifespan)
    app.state.parts = BackendParts(settings, database, notifier, dispatcher)
    # Called by backend.serving when a stop is requested, before connections are drained.
    app.state.before_exit = [notifier.close]
    app.include_router(routes.router)
    app.include_router(webhooks.router)

    @app.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        message = f"{where}: {first.get('msg', 'invalid value')}" if where else "Invalid request."
        return _error(422, "invalid_request", message)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail))

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, bool]:
        return {"ok": True}

    return app
