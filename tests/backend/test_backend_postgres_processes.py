"""Two backend processes on one PostgreSQL database: a change committed through one wakes
the long-polls held by the other (LISTEN/NOTIFY), and the feed stays gapless."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from backend.admin import load_groups
from backend.db import Database
from backend.demo import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, demo_payload
from backend.migrate import upgrade
from backend.sandbox import create_sandbox_app
from backend.serving import BackgroundServer, free_port
from tests.backend.conftest import NO_POSTGRES, POSTGRES_URL
from tests.processes import spawn
from tests.support import reset_postgres, wait_healthy

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)


@pytest.fixture
def two_processes(tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    reset_postgres(POSTGRES_URL)
    database = Database(POSTGRES_URL)
    upgrade(database)
    with database.write() as session:
        load_groups(session, demo_payload())
    database.dispose()
    ports = [free_port(), free_port()]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    sandbox = BackgroundServer(
        create_sandbox_app(
            DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, sms_url=f"{urls[0]}/webhooks/twilio/sms"
        )
    ).start()
    env = {
        **os.environ,
        "PETSAPP_DATABASE_URL": POSTGRES_URL,
        "PETSAPP_DATA_DIR": str(tmp_path),
        "PETSAPP_TWILIO_ACCOUNT_SID": DEMO_ACCOUNT_SID,
        "PETSAPP_TWILIO_AUTH_TOKEN": DEMO_AUTH_TOKEN,
        "PETSAPP_TWILIO_BASE_URL": sandbox.url,
        "PETSAPP_PUBLIC_URL": urls[0],
    }
    processes = [
        spawn(
            [sys.executable, "-m", "backend", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for url in urls:
            wait_healthy(url)
        yield urls[0], urls[1], sandbox.url
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(15)
        sandbox.stop()


def _session(url: str) -> requests.Session:
    http = requests.Session()
    answer = http.post(
        f"{url}/api/v1/auth/login",
        json={"email": "alex@riverside.example", "password": "demo-password"},
    )
    http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return http


def _poll(http: requests.Session, url: str, cursor: int, out: dict[str, Any]) -> None:
    started = time.monotonic()
    answer = http.get(f"{url}/api/v1/sync", params={"cursor": cursor, "wait": 20}, timeout=30)
    out["seconds"] = time.monotonic() - started
    out["answer"] = answer.json()


def test_a_write_on_one_process_wakes_a_long_poll_on_the_other(
    two_processes: tuple[str, str, str],
) -> None:
    first, second, sandbox = two_processes
    on_first, on_second = _session(first), _session(second)
    cursor = on_first.get(f"{first}/api/v1/sync").json()["cursor"]

    woken: dict[str, Any] = {}
    poll = threading.Thread(target=_poll, args=(on_first, first, cursor, woken))
    poll.start()
    time.sleep(0.5)  # the poll is waiting on the first process
    clinic = on_second.get(f"{second}/api/v1/me").json()["clinics"][0]["id"]
    created = on_second.post(
        f"{second}/api/v1/chats/sms", json={"clinic_id": clinic, "phone": "07400 123456"}
    )
    assert created.status_code == 201
    poll.join(25)
    assert woken["seconds"] < 2.0, "the other process's commit should wake the poll at once"
    assert any(c["type"] == "chat" for c in woken["answer"]["changes"])

    # And the other way: an inbound text lands on the first process (the webhook URL).
    # First let the welcome's delivery receipts (which also land there) settle.
    deadline = time.monotonic() + 10
    while "delivered" not in str(on_second.get(f"{second}/api/v1/sync").json()["changes"]):
        assert time.monotonic() < deadline, "the welcome was never delivered"
        time.sleep(0.05)
    cursor = on_second.get(f"{second}/api/v1/sync").json()["cursor"]
    woken.clear()
    poll = threading.Thread(target=_poll, args=(on_second, second, cursor, woken))
    poll.start()
    time.sleep(0.5)
    requests.post(
        f"{sandbox}/sandbox/inbound",
        json={"from": "+447400123456", "to": "+447700900500", "body": "Thanks!"},
        timeout=10,
    )
    poll.join(25)
    assert woken["seconds"] < 2.0
    assert "Thanks!" in str(woken["answer"]["changes"])

    feed = on_second.get(f"{second}/api/v1/sync").json()["changes"]
    seqs = [c["seq"] for c in feed]
    assert seqs == list(range(1, len(seqs) + 1))
