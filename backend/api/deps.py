"""What every API call needs: the running backend's parts and the signed-in staff member."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from backend.config import Settings
from backend.db import Database
from backend.domain import auth
from backend.domain.changes import ChangeNotifier
from backend.domain.errors import DomainError
from backend.models import Staff
from backend.sms_gateway.dispatcher import SmsDispatcher


@dataclass
class BackendParts:
    settings: Settings
    database: Database
    notifier: ChangeNotifier
    dispatcher: SmsDispatcher


def parts(request: Request) -> BackendParts:
    return request.app.state.parts  # type: ignore[no-any-return]


_bearer = HTTPBearer(auto_error=False)


def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    if credentials is None or not credentials.credentials:
        raise DomainError(401, "not_signed_in", "Sign in first.")
    return credentials.credentials


def current_staff(
    token: Annotated[str, Depends(bearer_token)],
    backend: Annotated[BackendParts, Depends(parts)],
) -> Staff:
    with backend.database.read() as session:
        return auth.staff_for_token(session, token)


Parts = Annotated[BackendParts, Depends(parts)]
CurrentStaff = Annotated[Staff, Depends(current_staff)]
Token = Annotated[str, Depends(bearer_token)]
