"""``petsapp-backend demo``: the demo as a process of its own, which the desktop app starts
("Try the demo", ``--demo``) and stops with itself.

It starts the provider sandbox and the backend on free loopback ports (SQLite in a
temporary folder, :class:`EmbeddedDemo`), writes one JSON line to stdout saying where they
are and how to sign in, and runs until its stdin closes or it is told to stop (SIGTERM,
SIGINT). The app holds the other end of stdin, so the demo also ends when the app dies,
however it dies, on every platform. Its log goes to ``--log-file`` (readable by its user
only), or to stderr.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TextIO

from backend.demo import EmbeddedDemo

log = logging.getLogger(__name__)


def run_demo(
    data_dir: Path | None = None,
    log_file: Path | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    _log_to(log_file)
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stop = threading.Event()
    for name in ("SIGTERM", "SIGINT", "SIGBREAK"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda *_: stop.set())
    demo = EmbeddedDemo(data_dir, lived_in=True).start()
    try:
        ready = {
            "backend_url": demo.backend_url,
            "sandbox_url": demo.sandbox_url,
            "data_dir": str(demo.data_dir),
            "email": demo.credentials.email,
            "password": demo.credentials.password,  # the demo's own, published in the README
        }
        stdout.write(json.dumps(ready) + "\n")
        stdout.flush()
        threading.Thread(target=_until_closed, args=(stdin, stop), daemon=True).start()
        while not stop.wait(0.5):  # a timed wait, so that signals are handled promptly
            pass
        log.info("the app closed the demo; stopping")
    finally:
        demo.stop()
    return 0


def _until_closed(stdin: TextIO, stop: threading.Event) -> None:
    """Read until end of file: the app stopped, or died and its end of the pipe closed."""
    try:
        while stdin.readline():
            pass
    except (OSError, ValueError):
        pass
    stop.set()


def _log_to(log_file: Path | None) -> None:
    """The demo's log: a small rotating file of its user's only, or stderr."""
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    root = logging.getLogger()
    root.handlers.clear()
    if log_file is None:
        handler: logging.Handler = logging.StreamHandler(sys.stderr)
    else:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.touch(mode=0o600, exist_ok=True)
        os.chmod(log_file, 0o600)
        handler = RotatingFileHandler(log_file, maxBytes=1_000_000, backupCount=2, encoding="utf-8")
    handler.setFormatter(fmt)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
