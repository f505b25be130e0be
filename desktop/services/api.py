"""The backend's HTTP API, for use on worker threads (never on the GUI thread).

One :class:`ApiClient` per thread: a ``requests.Session`` is not thread-safe. Every call
has connect and read timeouts; TLS verification is always on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import requests
from PySide6.QtCore import QCoreApplication

from desktop.services.records import (
    Chat,
    Colleague,
    ErrorAnswer,
    LoginAnswer,
    Me,
    Message,
    SyncAnswer,
)

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0
CHECK_TIMEOUT = 5.0  # read timeout of the server check the sign-in dialog waits for
LONG_POLL_MARGIN = 10.0  # read timeout = wait + margin, or a healthy poll looks offline

Shape = TypeVar("Shape")


def _shaped(payload: Any, shape: type[Shape]) -> Shape:
    """A JSON answer as the record ``shape`` it is (``records.py``): a static description
    only, nothing is converted or checked."""
    return cast(Shape, payload)


class ApiError(Exception):
    """The backend answered with a refusal: ``code`` is its stable error code."""

    def __init__(self, status: int, code: str, message: str, payload: ErrorAnswer) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.payload = payload

    @property
    def is_auth(self) -> bool:
        return self.status == 401


class OfflineError(Exception):
    """The backend could not be reached (no route, refused, timed out, or a broken answer)."""


class NotPetsAppError(OfflineError):
    """Something answers at the address, but it is not a PetsApp server."""


@dataclass
class ApiClient:
    base_url: str
    token: str | None = None
    ca_bundle: str | None = None
    proxy: str | None = None
    read_timeout: float = READ_TIMEOUT
    """Seconds to wait for an answer to an ordinary call (a long-poll adds its wait)."""
    _session: requests.Session = field(default_factory=requests.Session, repr=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        # True means "verify with the bundled CAs"; a path verifies with the practice's own
        # CA bundle instead. Never False.
        self._session.verify = self.ca_bundle or True
        if self.proxy:
            self._session.proxies = {"http": self.proxy, "https": self.proxy}

    def close(self) -> None:
        self._session.close()

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        read_timeout: float | None = None,
    ) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            answer = self._session.request(
                method,
                f"{self.base_url}{path}",
                json=json,
                params=params,
                headers=headers,
                timeout=(CONNECT_TIMEOUT, read_timeout or self.read_timeout),
                # Per request: requests lets REQUESTS_CA_BUNDLE override the session's own
                # setting, and the practice's CA from settings must win.
                verify=self.ca_bundle or None,
            )
        except requests.RequestException as exc:
            raise OfflineError(_offline_reason(exc)) from exc
        if answer.status_code == 204:
            return None
        try:
            payload = answer.json()
        except ValueError as exc:
            raise OfflineError(
                QCoreApplication.translate(
                    "ApiClient", "The server gave an answer that is not PetsApp's (HTTP %1)."
                ).replace("%1", str(answer.status_code))
            ) from exc
        if answer.status_code >= 400:
            error = payload.get("error", {}) if isinstance(payload, dict) else {}
            if answer.status_code >= 500 or not error:
                raise OfflineError(_server_problem(answer.status_code))
            raise ApiError(
                answer.status_code,
                str(error.get("code", "error")),
                str(
                    error.get(
                        "message",
                        QCoreApplication.translate("ApiClient", "The server refused the request."),
                    )
                ),
                payload,
            )
        return payload

    # ---- calls of the API core: the answers are the records of ``records.py`` -----------------

    def check_reachable(self) -> None:
        """Raises :class:`OfflineError` with the reason when the server cannot be used."""
        self._call("GET", "/health")

    def check_server(self) -> None:
        """That the address is a PetsApp server, before anyone signs in: raises
        :class:`OfflineError` (unreachable, or its problem) or :class:`NotPetsAppError`.
        Short timeouts: the sign-in dialog waits for this answer."""
        try:
            answer = self._session.get(
                f"{self.base_url}/health",
                timeout=(CONNECT_TIMEOUT, CHECK_TIMEOUT),
                verify=self.ca_bundle or None,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise OfflineError(_offline_reason(exc)) from exc
        if answer.status_code >= 500:
            raise OfflineError(_server_problem(answer.status_code))
        if answer.is_redirect:  # e.g. http:// sent on to https://: the address to use
            target = answer.headers.get("Location", "").removesuffix("/health")
            raise NotPetsAppError(
                QCoreApplication.translate(
                    "ApiClient", "The server sends this address on to %1: use that."
                ).replace("%1", target)
            )
        try:
            payload = answer.json()
        except ValueError:
            payload = None
        if answer.status_code != 200 or not (isinstance(payload, dict) and payload.get("ok")):
            raise NotPetsAppError(
                QCoreApplication.translate(
                    "ApiClient",
                    "Something answers at this address, but it is not a PetsApp server. "
                    "Check the server address.",
                )
            )

    def login(self, email: str, password: str) -> LoginAnswer:
        answer = _shaped(
            self._call("POST", "/api/v1/auth/login", json={"email": email, "password": password}),
            LoginAnswer,
        )
        self.token = answer["token"]
        return answer

    def logout(self) -> None:
        self._call("POST", "/api/v1/auth/logout")
        self.token = None

    def me(self) -> Me:
        return _shaped(self._call("GET", "/api/v1/me"), Me)

    def colleagues(self) -> list[Colleague]:
        return _shaped(self._call("GET", "/api/v1/staff"), list[Colleague])

    def sync(self, cursor: int, wait: float = 0, limit: int = 500) -> SyncAnswer:
        answer = self._call(
            "GET",
            "/api/v1/sync",
            params={"cursor": cursor, "wait": wait, "limit": limit},
            read_timeout=wait + LONG_POLL_MARGIN,
        )
        return _shaped(answer, SyncAnswer)

    def start_sms_chat(self, clinic_id: int, phone: str) -> Chat:
        answer = self._call(
            "POST", "/api/v1/chats/sms", json={"clinic_id": clinic_id, "phone": phone}
        )
        return _shaped(answer["chat"], Chat)

    def start_app_chat(self, clinic_id: int, owner_id: int) -> Chat:
        answer = self._call(
            "POST", "/api/v1/chats", json={"clinic_id": clinic_id, "owner_id": owner_id}
        )
        return _shaped(answer["chat"], Chat)

    def send_message(self, chat_id: int, client_id: str, body: str) -> Message:
        answer = self._call(
            "POST", f"/api/v1/chats/{chat_id}/messages", json={"client_id": client_id, "body": body}
        )
        return _shaped(answer["message"], Message)

    def update_details(self, chat_id: int, owner_name: str, pet_name: str) -> Chat:
        answer = self._call(
            "PATCH",
            f"/api/v1/chats/{chat_id}/details",
            json={"owner_name": owner_name, "pet_name": pet_name},
        )
        return _shaped(answer["chat"], Chat)

    def set_status(self, chat_id: int, status: str) -> Chat:
        """Close (``"closed"``) or reopen (``"open"``) a chat; doing it twice is harmless."""
        action = "close" if status == "closed" else "reopen"
        answer = self._call("POST", f"/api/v1/chats/{chat_id}/{action}")
        return _shaped(answer["chat"], Chat)

    def demo_text_in(self, chat_id: int, body: str) -> None:
        """The demo only: the chat's owner writes ``body`` in (SMS through the sandbox)."""
        self._call("POST", f"/api/v1/demo/chats/{chat_id}/text-in", json={"body": body})

    def hand_off(
        self, chat_id: int, to_staff_id: int, note: str, client_id: str | None = None
    ) -> Chat:
        answer = self._call(
            "POST",
            f"/api/v1/chats/{chat_id}/handoff",
            json={"to_staff_id": to_staff_id, "note": note, "client_id": client_id},
        )
        return _shaped(answer["chat"], Chat)

    def history(self, chat_id: int, before: int | None = None, limit: int = 50) -> list[Message]:
        params: dict[str, Any] = {"limit": limit}
        if before is not None:
            params["before"] = before
        answer = self._call("GET", f"/api/v1/chats/{chat_id}/messages", params=params)
        return _shaped(answer["messages"], list[Message])


# The reasons are shown in the window: translated where they are made (on worker threads;
# QCoreApplication.translate is thread-safe), spelled out in full so that lupdate finds them.


def _server_problem(status: int) -> str:
    return QCoreApplication.translate("ApiClient", "The server had a problem (HTTP %1).").replace(
        "%1", str(status)
    )


def _offline_reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.exceptions.SSLError):
        return QCoreApplication.translate(
            "ApiClient", "The server's security certificate could not be verified."
        )
    if isinstance(exc, requests.Timeout):
        return QCoreApplication.translate("ApiClient", "The server did not answer in time.")
    return QCoreApplication.translate(
        "ApiClient", "The server cannot be reached. Check the practice's internet connection."
    )
