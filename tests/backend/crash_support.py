"""What the backend crash tests share: backend processes to kill, and a practice PC that
keeps posting texts through the kills (resending each with its client_id until answered, as
the desktop's outbox does)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from backend.admin import load_groups
from backend.db import Database
from backend.demo import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, DEMO_PASSWORD, demo_payload
from backend.migrate import upgrade
from backend.sandbox import create_sandbox_app
from backend.serving import BackgroundServer, free_port
from tests.processes import end, spawn
from tests.support import CLINIC_SMS, provider_messages, wait_healthy

ROOT = Path(__file__).resolve().parents[2]


def prepare_database(url: str) -> None:
    database = Database(url)
    upgrade(database)
    with database.write() as session:
        load_groups(session, demo_payload())
    database.dispose()


def start_sandbox(sms_url: str) -> BackgroundServer:
    return BackgroundServer(create_sandbox_app(DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, sms_url=sms_url))


class Backends:
    """Backend processes forked by tests/backend/backend_zygote.py, killed at will."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._zygote = spawn(
            [sys.executable, "-m", "tests.backend.backend_zygote", str(folder)],
            cwd=ROOT,
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._zygote.stdout is not None and self._zygote.stdin is not None
        assert self._zygote.stdout.readline().strip() == "READY"
        self.pids: dict[int, int] = {}  # port -> pid of the process serving it

    def start(self, port: int) -> None:
        assert self._zygote.stdin is not None and self._zygote.stdout is not None
        self._zygote.stdin.write(f"start {port}\n")
        self._zygote.stdin.flush()
        self.pids[port] = int(self._zygote.stdout.readline())

    def wait_healthy(self, port: int) -> None:
        wait_healthy(f"http://127.0.0.1:{port}")

    def kill(self, port: int) -> None:
        pid = self.pids.pop(port)
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # reaped by the kernel (the zygote ignores SIGCHLD)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.005)
        raise AssertionError(f"backend process {pid} did not die")

    def close(self) -> None:
        for port in list(self.pids):
            self.kill(port)
        end(self._zygote)


def backend_env(
    database_url: str, sandbox_url: str, public_url: str, data_dir: Path
) -> dict[str, str]:
    """A backend whose provider answers count as late after 1 s (the sandbox's slow number
    answers after 3 s), so claims are taken over within a few seconds of a kill."""
    return {
        "PETSAPP_DATABASE_URL": database_url,
        "PETSAPP_DATA_DIR": str(data_dir),
        "PETSAPP_TWILIO_ACCOUNT_SID": DEMO_ACCOUNT_SID,
        "PETSAPP_TWILIO_AUTH_TOKEN": DEMO_AUTH_TOKEN,
        "PETSAPP_TWILIO_BASE_URL": sandbox_url,
        "PETSAPP_PUBLIC_URL": public_url,
        "PETSAPP_PROVIDER_TIMEOUT": "1",
        "PETSAPP_PROVIDER_CONNECT_TIMEOUT": "1",
        "PETSAPP_SEND_DEADLINE": "900",
    }


@dataclass
class Pc:
    """Posts texts in order per chat; a text is retried with its client_id until a backend
    answers it, whichever backend is up (``urls``)."""

    urls: list[str]
    token: str = ""
    posted: dict[int, list[str]] = field(default_factory=dict)  # chat id -> bodies, in order
    stop: threading.Event = field(default_factory=threading.Event)

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """The first backend that answers; waits (as an outbox would) while none does."""
        while True:
            for url in self.urls:
                try:
                    answer = requests.request(
                        method,
                        url + path,
                        headers={"Authorization": f"Bearer {self.token}"} if self.token else {},
                        timeout=5,
                        **kwargs,
                    )
                except requests.RequestException:
                    continue
                if answer.status_code < 500:
                    return answer
            time.sleep(0.05)

    def sign_in(self) -> None:
        answer = self.call(
            "POST",
            "/api/v1/auth/login",
            json={"email": "alex@riverside.example", "password": DEMO_PASSWORD},
        )
        assert answer.status_code == 200, answer.text
        self.token = answer.json()["token"]

    def clinic_id(self) -> int:
        clinics = self.call("GET", "/api/v1/me").json()["clinics"]
        return int(next(c["id"] for c in clinics if c["sms_enabled"]))

    def start_chat(self, clinic_id: int, phone: str) -> int:
        answer = self.call(
            "POST", "/api/v1/chats/sms", json={"clinic_id": clinic_id, "phone": phone}
        )
        assert answer.status_code in (200, 201), answer.text
        return int(answer.json()["chat"]["id"])

    def send(self, chat_id: int, body: str) -> None:
        client_id = str(uuid.uuid4())
        answer = self.call(
            "POST",
            f"/api/v1/chats/{chat_id}/messages",
            json={"client_id": client_id, "body": body},
        )
        assert answer.status_code in (200, 201), answer.text
        self.posted.setdefault(chat_id, []).append(body)

    def unsettled(self, chat_ids: list[int]) -> int:
        """Texts of these chats not yet with the provider (or failed)."""
        count = 0
        for chat_id in chat_ids:
            messages = self.call(
                "GET", f"/api/v1/chats/{chat_id}/messages", params={"limit": 500}
            ).json()["messages"]
            count += sum(
                1 for m in messages if m["direction"] == "out" and m["status"] == "accepted"
            )
        return count


def in_flight_sqlite(path: Path) -> int:
    """Texts claimed by some process and not resolved, read straight from the database file."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM messages WHERE status = 'accepted' AND claims > 0"
            " AND provider_sid IS NULL"
        ).fetchone()
    return int(count)


def provider_copies(sandbox_url: str, to: str) -> list[str]:
    """The bodies the provider was asked to send to ``to`` from the clinic, oldest first."""
    return [m["body"] for m in provider_messages(sandbox_url, to, CLINIC_SMS)]


def free_ports(count: int) -> list[int]:
    ports: set[int] = set()
    while len(ports) < count:
        ports.add(free_port())
    return sorted(ports)
