"""Crash consistency: a desktop-services process is killed with SIGKILL at random points
while it types, sends and syncs, at least 200 times, and restarted each time. Every typed
message reaches the backend exactly once, in order."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from backend.demo import EmbeddedDemo
from tests.support import BackendClient

# A longer soak: PETSAPP_CRASH_KILLS=2000 PETSAPP_CRASH_MESSAGES=5000 make test
KILLS = int(os.environ.get("PETSAPP_CRASH_KILLS", "200"))
TOTAL = int(os.environ.get("PETSAPP_CRASH_MESSAGES", "600"))
ROOT = Path(__file__).resolve().parents[3]


def _start(args: list[str]) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.desktop.services.crash_worker", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "READY"
    return process


def test_sigkill_at_200_random_points_loses_and_duplicates_nothing(
    demo: EmbeddedDemo, alex: BackendClient, tmp_path: Path
) -> None:
    chat = alex.start_sms_chat("07400 123456").json()["chat"]
    token = alex.http.headers["Authorization"].split()[1]
    args = [str(tmp_path / "pc"), demo.backend_url, token, str(chat["id"]), str(TOTAL)]
    rng = random.Random(20261127)
    for _ in range(KILLS):
        process = _start(args)
        time.sleep(rng.uniform(0.0, 0.12))
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finisher = _start(args)
    assert finisher.wait(120) == 0

    sent = [m for m in alex.messages_all(chat["id"]) if m["client_id"]]
    bodies = [m["body"] for m in sent]
    assert bodies == [f"crash-{n}" for n in range(TOTAL)], "lost, repeated or out of order"
    assert len({m["client_id"] for m in sent}) == TOTAL
