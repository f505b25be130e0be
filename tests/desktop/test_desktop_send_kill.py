"""Send never loses the text: the real window (``send_worker``: the app in a child process,
its Send button clicked) is killed with SIGKILL at random points, half of them within 5 ms
after a click, the rest anywhere (starting, typing, between sends), and restarted each
time. Counted at the provider: every clicked text reaches the client exactly once and in
the order clicked; a text whose click was cut short goes at most once; and a text found
back in the composer after a restart was never also sent (the worker sends whatever it
finds there, so that would make two)."""

from __future__ import annotations

import os
import random
import re
import select
import signal
import sys
import time
from pathlib import Path
from typing import IO

import pytest

from backend.demo import EmbeddedDemo
from tests.processes import end, spawn
from tests.support import BackendClient, sandbox_messages, wait_until

# A longer soak: PETSAPP_SEND_KILLS=300 pytest tests/desktop/test_desktop_send_kill.py
KILLS = int(os.environ.get("PETSAPP_SEND_KILLS", "32"))
SENDS_PER_RUN = 6  # more than a run usually lives to click
ANYTIME_WITHIN = 4.0  # seconds after the start; the window is up after ~1.5 s
GUEST = "+447400123456"
ROOT = Path(__file__).resolve().parents[2]


class Run:
    """One life of the worker: its output lines, read without blocking past a deadline."""

    def __init__(self, args: list[str], log: IO[bytes]) -> None:
        self.process = spawn(
            [sys.executable, "-m", "tests.desktop.send_worker", *args],
            cwd=ROOT,
            stdout=-1,  # subprocess.PIPE
            stderr=log,
            env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"},
        )
        self.started = time.monotonic()
        self.lines: list[str] = []
        self._buffer = b""

    def next_line(self, deadline: float) -> str | None:
        """The next line, or None at the deadline or when the output ends."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        self.lines.append(line.decode())
        return self.lines[-1]

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        while self.next_line(time.monotonic() + 1) is not None:  # what it said before
            pass
        end(self.process)


def _kill_after_click(run: Run, clicks: int, rng: random.Random) -> None:
    clicked = 0
    deadline = run.started + 60
    while clicked < clicks:
        line = run.next_line(deadline)
        if line is None:
            pytest.fail(f"the worker stopped before click {clicks}: {run.lines}")
        clicked += line.startswith("CLICKED")
    time.sleep(rng.uniform(0.0, 0.005))
    run.kill()


def _kill_any_time(run: Run, rng: random.Random) -> None:
    time.sleep(max(0.0, run.started + rng.uniform(0.0, ANYTIME_WITHIN) - time.monotonic()))
    run.kill()


def _numbers(lines: list[str], word: str) -> list[int]:
    """N of the worker's "TYPING N", "CLICKED N" or "RESTORED kill-N" lines, in order."""
    pattern = re.compile(rf"{word} (?:kill-)?(\d+)")
    return [int(m.group(1)) for line in lines if (m := pattern.fullmatch(line))]


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-3000:]


@pytest.mark.timeout(360)
def test_sigkill_after_send_in_the_window_loses_and_repeats_nothing(
    demo: EmbeddedDemo, alex: BackendClient, tmp_path: Path
) -> None:
    chat = alex.start_sms_chat("07400 123456").json()["chat"]
    folder, keyring_file = tmp_path / "pc", tmp_path / "keyring.json"
    rng = random.Random(20260512)
    clicked: list[int] = []  # in click order (a text clicked again after a restart: once)
    typed: set[int] = set()
    restored: list[int] = []
    started = time.monotonic()

    with (tmp_path / "worker.log").open("ab") as log:
        for kill in range(KILLS):
            first = max(typed, default=-1) + 1
            args = [str(folder), demo.backend_url, str(keyring_file), str(chat["id"])]
            run = Run([*args, str(first), str(SENDS_PER_RUN)], log)
            try:
                if kill % 2 == 0:  # half of them in the first milliseconds after a click
                    _kill_after_click(run, rng.randint(1, 3), rng)
                else:
                    _kill_any_time(run, rng)
            finally:
                if run.process.poll() is None:
                    run.kill()
            log.flush()
            assert run.process.returncode == -signal.SIGKILL, (
                f"the worker stopped by itself: {run.lines}\n{_tail(tmp_path / 'worker.log')}"
            )
            typed.update(_numbers(run.lines, "TYPING"))
            restored += _numbers(run.lines, "RESTORED")
            for n in _numbers(run.lines, "CLICKED"):
                if n not in clicked:
                    clicked.append(n)
        kills_took = time.monotonic() - started

        first = max(typed, default=-1) + 1
        args = [str(folder), demo.backend_url, str(keyring_file), str(chat["id"])]
        drain = Run([*args, str(first), "0", "--drain"], log)
        try:
            while (line := drain.next_line(time.monotonic() + 120)) not in {"DONE", None}:
                pass
            log.flush()
            assert line == "DONE", (
                f"the last run did not drain: {drain.lines}\n{_tail(tmp_path / 'worker.log')}"
            )
            assert drain.process.wait(30) == 0
        finally:
            end(drain.process)
    restored += _numbers(drain.lines, "RESTORED")
    clicked += [n for n in _numbers(drain.lines, "CLICKED") if n not in clicked]

    def at_provider() -> list[str]:
        return [m["body"] for m in sandbox_messages(demo, GUEST) if m["body"].startswith("kill-")]

    def at_backend() -> list[str]:
        return [m["body"] for m in alex.messages_all(chat["id"]) if m["body"].startswith("kill-")]

    # Everything the backend accepted has reached the provider (its dispatcher is async).
    wait_until(lambda: at_provider() == at_backend(), 30, "the provider to have every text")
    delivered = [int(body.split("-")[1]) for body in at_provider()]
    print(  # noqa: T201  (pytest -s: how the kills fell)
        f"{KILLS} kills in {kills_took:.1f} s; {len(clicked)} clicked, "
        f"{len(delivered)} delivered, restored into the composer: {restored}"
    )
    assert len(delivered) == len(set(delivered)), f"sent twice: {delivered}"
    assert delivered == sorted(delivered), f"out of order: {delivered}"
    assert not set(clicked) - set(delivered), (
        f"clicked, never sent: {set(clicked) - set(delivered)}"
    )
    assert [n for n in delivered if n in clicked] == clicked, "not in click order"
    assert set(delivered) <= typed | set(restored), "a text nobody typed"
    assert not [n for n in restored if n not in delivered], "restored, then lost"
    assert len(clicked) >= KILLS // 2, f"too few clicks to prove anything: {clicked}"
