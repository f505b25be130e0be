"""Crash consistency: a desktop-services process is killed with SIGKILL at random points
while it types, sends and syncs, at least 200 times, and restarted each time. Every typed
message reaches the backend, and the provider, exactly once, in order."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from backend.demo import EmbeddedDemo
from tests import processes
from tests.support import BackendClient, sandbox_messages, wait_until

# A longer soak: PETSAPP_CRASH_KILLS=2000 PETSAPP_CRASH_MESSAGES=5000 make test
KILLS = int(os.environ.get("PETSAPP_CRASH_KILLS", "200"))
# Messages typed in all, at least: the killed runs type as many as they get to (about one
# per run here, several on a fast machine; they never run out, so every kill lands on a
# PC at work), then the finisher types MORE past where the last one stopped, up to this.
TOTAL = int(os.environ.get("PETSAPP_CRASH_MESSAGES", "100"))
MORE = 20
ROOT = Path(__file__).resolve().parents[3]
WORKER = [sys.executable, "-m", "tests.desktop.services.crash_worker"]
PHONE = "+447400123456"
# On two cores, with one kept busy and more work besides, this took 40-70 s: within half of
# the timeout. A longer soak gets longer.
TIMEOUT = max(180, 180 + (KILLS - 200) // 2 + (TOTAL - 100) // 10)


def _provider_bodies(demo: EmbeddedDemo) -> list[str]:
    return [m["body"] for m in sandbox_messages(demo, PHONE) if m["body"].startswith("crash-")]


def _at_the_provider(alex: BackendClient, chat_id: int) -> list[dict[str, Any]] | None:
    """The chat's typed messages once the backend has handed every one to the provider."""
    sent = [m for m in alex.messages_all(chat_id) if m["client_id"]]
    return None if any(m["status"] == "accepted" for m in sent) else sent


# The killed runs are restarts forked from one process that imported the desktop services
# once (a second of every cold start here); the finisher starts cold.
@pytest.mark.timeout(TIMEOUT)
def test_sigkill_at_200_random_points_loses_and_duplicates_nothing(
    demo: EmbeddedDemo, alex: BackendClient, tmp_path: Path
) -> None:
    chat = alex.start_sms_chat("07400 123456").json()["chat"]
    assert chat["phone"] == PHONE
    token = alex.http.headers["Authorization"].split()[1]
    me = alex.me["staff"]["id"]
    pc = [str(tmp_path / "pc"), demo.backend_url, token, str(chat["id"])]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with (tmp_path / "worker.log").open("w") as log:
        restarts = processes.spawn(
            [*WORKER, "--fork", *pc, "0", str(me)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    assert restarts.stdin is not None and restarts.stdout is not None
    try:
        assert restarts.stdout.readline().strip() == "READY"
        rng = random.Random(20261127)
        outcomes = []
        for _ in range(KILLS):
            restarts.stdin.write(f"run {rng.uniform(0.0, 0.12):.4f}\n")
            restarts.stdin.flush()
            outcomes.append(restarts.stdout.readline().strip())
    finally:
        processes.end(restarts)
    log_text = (tmp_path / "worker.log").read_text()
    assert outcomes == ["killed"] * KILLS, log_text[-3000:]

    finisher = processes.run(
        [*WORKER, *pc, str(TOTAL), str(me), str(MORE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT / 2,
    )
    assert finisher.returncode == 0, finisher.stderr[-3000:]
    ready, done, typed = finisher.stdout.split()
    assert (ready, done) == ("READY", "DONE")
    total = int(typed)
    assert total >= TOTAL

    expected = [f"crash-{n}" for n in range(total)]
    sent = wait_until(
        lambda: _at_the_provider(alex, chat["id"]), timeout=60, what="every text handed over"
    )
    assert [m["body"] for m in sent] == expected, "lost, repeated or out of order"
    assert len({m["client_id"] for m in sent}) == total
    # Counted where a repeat would cost the practice: at the provider.
    provider = wait_until(
        lambda: (b := _provider_bodies(demo)) and len(b) >= total and b,
        timeout=30,
        what="the provider to list every text",
    )
    assert provider == expected, "the provider got a text twice or not at all"
