"""The backend's ASGI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from backend import __version__
from backend.api import routes, webhooks
from backend.api.deps import BackendParts
from backend.api.limits import BodySizeLimit
from backend.config import Settings
from backend.db import Database
from backend.domain.changes import ChangeNotifier
from backend.domain.errors import DomainError
from backend.sms_gateway.dispatcher import SmsDispatcher

REQUEST_THREADS = 8


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: object
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}, **extra},
        status_code=status,
        headers=headers,
    )


def _allowed_methods(app: FastAPI, path: str) -> list[str]:
    methods: set[str] = set()
    for route in app.routes:
        if isinstance(route, Route) and route.methods and route.path_regex.match(path):
            methods |= route.methods
    return sorted(methods)


def create_app(settings: Settings, database: Database | None = None) -> FastAPI:
    """The API wired to a database (migrated beforehand; see ``petsapp-backend migrate``)."""
    database = database or Database(settings.database_url)
    notifier = ChangeNotifier()
    dispatcher = SmsDispatcher(database, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        notifier.install(database.sessions, notify_database=database.is_postgresql)
        # Fewer request threads than anyio's 40: under load they only take turns at the GIL
        # and starve the dispatcher lanes that hand texts to the provider.
        anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
        listener = None
        if database.is_postgresql:
            from backend.pg_listener import PgChangeListener

            listener = PgChangeListener(database.url, notifier)
            listener.start()
        dispatcher.start()
        try:
            yield
        finally:
            if listener is not None:
                listener.stop()
            dispatcher.close()
            notifier.uninstall()

    app = FastAPI(title="PetsApp backend", version=__version__, lifespan=lifespan)
    app.state.parts = BackendParts(settings, database, notifier, dispatcher)
    # Called by backend.serving when a stop is requested, before connections are drained.
    app.state.before_exit = [notifier.close]
    app.add_middleware(BodySizeLimit)
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
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code == 405:
            # RFC 9110: list every method the path takes. Starlette names only those of the
            # first matching route, and GET and POST of one path are two routes here.
            headers = {"Allow": ", ".join(_allowed_methods(app, request.url.path))}
        return _error(exc.status_code, code, str(exc.detail), headers=headers)

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, bool]:
        return {"ok": True}

    return app
