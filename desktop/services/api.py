"""The backend's HTTP API, for use on worker threads (never on the GUI thread).

One :class:`ApiClient` per thread: a ``requests.Session`` is not thread-safe. Every call
has connect and read timeouts; TLS verification is always on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 20.0
LONG_POLL_MARGIN = 10.0  # read timeout = wait + margin, or a healthy poll looks offline


class ApiError(Exception):
    """The backend answered with a refusal: ``code`` is its stable error code."""

    def __init__(self, status: int, code: str, message: str, payload: dict[str, Any]) -> None:
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


@dataclass
class ApiClient:
    base_url: str
    token: str | None = None
    ca_bundle: str | None = None
    proxy: str | None = None
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
        read_timeout: float = READ_TIMEOUT,
    ) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            answer = self._session.request(
                method,
                f"{self.base_url}{path}",
                json=json,
                params=params,
                headers=headers,
                timeout=(CONNECT_TIMEOUT, read_timeout),
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
                f"The server gave an answer that is not PetsApp's (HTTP {answer.status_code})."
            ) from exc
        if answer.status_code >= 400:
            error = payload.get("error", {}) if isinstance(payload, dict) else {}
            if answer.status_code >= 500 or not error:
                raise OfflineError(f"The server had a problem (HTTP {answer.status_code}).")
            raise ApiError(
                answer.status_code,
                str(error.get("code", "error")),
                str(error.get("message", "The server refused the request.")),
                payload,
            )
        return payload

    # ---- calls of the API core -------------------------------------------------------------

    def check_reachable(self) -> None:
        """Raises :class:`OfflineError` with the reason when the server cannot be used."""
        self._call("GET", "/health")

    def login(self, email: str, password: str) -> dict[str, Any]:
        answer = self._call(
            "POST", "/api/v1/auth/login", json={"email": email, "password": password}
        )
        self.token = answer["token"]
        return answer  # type: ignore[no-any-return]

    def logout(self) -> None:
        self._call("POST", "/api/v1/auth/logout")
        self.token = None

    def me(self) -> dict[str, Any]:
        return self._call("GET", "/api/v1/me")  # type: ignore[no-any-return]

    def colleagues(self) -> list[dict[str, Any]]:
        return self._call("GET", "/api/v1/staff")  # type: ignore[no-any-return]

    def sync(self, cursor: int, wait: float = 0, limit: int = 500) -> dict[str, Any]:
        return self._call(  # type: ignore[no-any-return]
            "GET",
            "/api/v1/sync",
            params={"cursor": cursor, "wait": wait, "limit": limit},
            read_timeout=wait + LONG_POLL_MARGIN,
        )

    def start_sms_chat(self, clinic_id: int, phone: str) -> dict[str, Any]:
        answer = self._call(
            "POST", "/api/v1/chats/sms", json={"clinic_id": clinic_id, "phone": phone}
        )
        return answer["chat"]  # type: ignore[no-any-return]

    def start_app_chat(self, clinic_id: int, owner_id: int) -> dict[str, Any]:
        answer = self._call(
            "POST", "/api/v1/chats", json={"clinic_id": clinic_id, "owner_id": owner_id}
        )
        return answer["chat"]  # type: ignore[no-any-return]

    def send_message(self, chat_id: int, client_id: str, body: str) -> dict[str, Any]:
        answer = self._call(
            "POST", f"/api/v1/chats/{chat_id}/messages", json={"client_id": client_id, "body": body}
        )
        return answer["message"]  # type: ignore[no-any-return]

    def update_details(self, chat_id: int, owner_name: str, pet_name: str) -> dict[str, Any]:
        answer = self._call(
            "PATCH",
            f"/api/v1/chats/{chat_id}/details",
            json={"owner_name": owner_name, "pet_name": pet_name},
        )
        return answer["chat"]  # type: ignore[no-any-return]

    def hand_off(
        self, chat_id: int, to_staff_id: int, note: str, client_id: str | None = None
    ) -> dict[str, Any]:
        answer = self._call(
            "POST",
            f"/api/v1/chats/{chat_id}/handoff",
            json={"to_staff_id": to_staff_id, "note": note, "client_id": client_id},
        )
        return answer["chat"]  # type: ignore[no-any-return]

    def history(
        self, chat_id: int, before: int | None = None, limit: int = 50
    ) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"limit": limit}
        if before is not None:
            params["before"] = before
        answer = self._call("GET", f"/api/v1/chats/{chat_id}/messages", params=params)
        return answer["messages"]  # type: ignore[no-any-return]


def _offline_reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.exceptions.SSLError):
        return "The server's security certificate could not be verified."
    if isinstance(exc, requests.Timeout):
        return "The server did not answer in time."
    return "The server cannot be reached. Check the practice's internet connection."
