"""Helpers for tests that talk to the real backend and sandbox over HTTP."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import requests

from backend.demo import DEMO_PASSWORD, EmbeddedDemo

CLINIC_SMS = "+447700900500"  # the demo's SMS clinic number
OWNER_JANE = "+447400123001"  # registered with the demo group


class BackendClient:
    def __init__(self, demo: EmbeddedDemo) -> None:
        self.demo = demo
        self.http = requests.Session()
        self.me: dict[str, Any] = {}

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> BackendClient:
        answer = self.call(
            "POST", "/api/v1/auth/login", json={"email": email, "password": password}
        )
        assert answer.status_code == 200, answer.text
        self.http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        self.me = self.call("GET", "/api/v1/me").json()
        return self

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.http.request(method, f"{self.demo.backend_url}{path}", timeout=30, **kwargs)

    def clinic(self, sms: bool = True) -> dict[str, Any]:
        return next(c for c in self.me["clinics"] if c["sms_enabled"] == sms)

    def start_sms_chat(self, phone: str) -> requests.Response:
        return self.call(
            "POST", "/api/v1/chats/sms", json={"clinic_id": self.clinic()["id"], "phone": phone}
        )

    def send(self, chat_id: int, body: str, client_id: str, **extra: Any) -> requests.Response:
        return self.call(
            "POST",
            f"/api/v1/chats/{chat_id}/messages",
            json={"client_id": client_id, "body": body, **extra},
        )

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        answer = self.call("GET", f"/api/v1/chats/{chat_id}/messages")
        assert answer.status_code == 200, answer.text
        return answer.json()["messages"]  # type: ignore[no-any-return]

    def messages_all(self, chat_id: int) -> list[dict[str, Any]]:
        """Every message of a chat, oldest first, paging back through the history."""
        messages: list[dict[str, Any]] = []
        before = None
        while True:
            params = {"limit": 500, **({"before": before} if before else {})}
            answer = self.call("GET", f"/api/v1/chats/{chat_id}/messages", params=params)
            page = answer.json()["messages"]
            if not page:
                return messages
            messages = page + messages
            before = page[0]["id"]

    def chat(self, chat_id: int) -> dict[str, Any]:
        """The chat as the change feed last told it."""
        latest: dict[str, Any] = {}
        cursor = 0
        while True:
            feed = self.sync(cursor)
            for change in feed["changes"]:
                if change["type"] == "chat" and change["data"]["id"] == chat_id:
                    latest = change["data"]
            cursor = feed["cursor"]
            if not feed["more"]:
                return latest

    def sync(self, cursor: int = 0, wait: float = 0) -> dict[str, Any]:
        answer = self.call("GET", "/api/v1/sync", params={"cursor": cursor, "wait": wait})
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]


def text_in(demo: EmbeddedDemo, from_: str, body: str, to: str = CLINIC_SMS) -> dict[str, Any]:
    """The sandbox texts the clinic as an owner (a signed webhook to the backend)."""
    answer = requests.post(
        f"{demo.sandbox_url}/sandbox/inbound",
        json={"from": from_, "to": to, "body": body},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def sandbox_messages(demo: EmbeddedDemo, to: str) -> list[dict[str, Any]]:
    """What the provider sandbox was asked to send to ``to`` (Twilio's list API)."""
    return provider_messages(demo.sandbox_url, to)


def provider_messages(sandbox_url: str, to: str, from_: str | None = None) -> list[dict[str, Any]]:
    """Every message the provider holds to ``to`` (from ``from_``), oldest first, paging
    through Twilio's list as a client of the real provider would."""
    from backend.demo import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN

    auth = (DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN)
    params = {"To": to, "PageSize": 1000, **({"From": from_} if from_ else {})}
    url = f"{sandbox_url}/2010-04-01/Accounts/{DEMO_ACCOUNT_SID}/Messages.json"
    newest_first: list[dict[str, Any]] = []
    while url:
        answer = requests.get(url, params=params, auth=auth, timeout=30)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        newest_first += page["messages"]
        url, params = (sandbox_url + page["next_page_uri"]) if page["next_page_uri"] else "", {}
    return newest_first[::-1]


def wait_healthy(url: str, timeout: float = 30) -> None:
    """Until the backend at ``url`` answers ``/health`` (it has just been started)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/health", timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.02)
    raise AssertionError(f"the backend at {url} did not start")


def wait_until(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.02)


def reset_postgres(url: str) -> None:
    """An empty PostgreSQL database for the next test or benchmark run (they run one at a
    time): the whole public schema goes."""
    from sqlalchemy import text

    from backend.db import make_engine

    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
