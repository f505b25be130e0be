"""The demo ("Try the demo", ``--demo``): the backend and its SMS sandbox in a process of
their own (``petsapp-backend demo``), started by the app and stopped with it.

The desktop never loads the server's code: it runs the backend's command (from an
installed package, ``python -m backend demo``; from the bundle, its own executable with
``--demo-backend``), reads the one JSON line that says where the demo listens, and holds
the child's stdin. Closing it stops the demo; if the app dies instead, the pipe closes with
it and the demo stops by itself. The demo's log goes to ``demo-backend.log`` beside the
app's own log.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)


START_TIMEOUT = 90.0  # seconds: a first start on a slow PC imports the whole server
STOP_TIMEOUT = 10.0
LOG_FILE = "demo-backend.log"
FROZEN_FLAG = "--demo-backend"  # the bundle's executable runs the demo when given this


class DemoError(RuntimeError):
    """The demo did not start; the message says why, for the user."""


@dataclass(frozen=True)
class DemoCredentials:
    email: str
    password: str


def demo_command(data_dir: Path | None, log_file: Path | None) -> list[str]:
    """How to start the demo from this installation."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle: its own executable
        command = [sys.executable, FROZEN_FLAG]
    else:
        command = [sys.executable, "-m", "backend", "demo"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    if log_file is not None:
        command += ["--log-file", str(log_file)]
    return command


class DemoServer:
    """One running demo. :meth:`start` blocks until it answers (run it off the GUI thread);
    :meth:`stop` ends it (idempotent)."""

    def __init__(self, log_folder: Path, data_dir: Path | None = None) -> None:
        self.log_file = log_folder / LOG_FILE
        self._data_dir = data_dir
        self._process: subprocess.Popen[str] | None = None
        self.backend_url = ""
        self.sandbox_url = ""
        self.data_dir = Path()
        self.credentials = DemoCredentials("", "")

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self, timeout: float = START_TIMEOUT) -> DemoServer:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        command = demo_command(self._data_dir, self.log_file)
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # it logs to its file
                text=True,
                encoding="utf-8",
                # No console window for it on Windows; its own process group, so that a
                # Ctrl+C in the app's terminal reaches the app, which then stops it.
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0)
                | getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),
                start_new_session=os.name == "posix",
            )
        except OSError as exc:
            raise DemoError(
                QCoreApplication.translate("DemoServer", "it could not be run (%1)").replace(
                    "%1", str(exc.strerror or exc)
                )
            ) from exc
        assert self._process.stdout is not None
        line = _first_line(self._process.stdout, timeout)
        try:
            ready = json.loads(line) if line else None
        except ValueError:
            ready = None
        if not isinstance(ready, dict):
            self.stop()
            why = (
                QCoreApplication.translate("DemoServer", "it stopped before it was ready; see %1")
                if line is not None
                else QCoreApplication.translate("DemoServer", "it did not answer; see %1")
            )
            raise DemoError(why.replace("%1", str(self.log_file)))
        self.backend_url = str(ready["backend_url"])
        self.sandbox_url = str(ready["sandbox_url"])
        self.data_dir = Path(ready["data_dir"])
        self.credentials = DemoCredentials(str(ready["email"]), str(ready["password"]))
        log.info(
            "demo running: backend %s, SMS sandbox %s (POST /sandbox/inbound to text in); "
            "process %s, its log: %s",
            self.backend_url,
            self.sandbox_url,
            self._process.pid,
            self.log_file,
        )
        return self

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(OSError):  # it may have ended already
                process.stdin.close()  # the demo's signal to stop
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            log.warning("the demo did not stop when asked; ending it")
            process.kill()
            process.wait(STOP_TIMEOUT)
        if process.stdout is not None:
            process.stdout.close()


def _first_line(stream: IO[str], timeout: float) -> str | None:
    """The child's first line within ``timeout`` seconds: "" if it ended first, None if it
    said nothing in time. A thread reads it: pipes cannot be polled on Windows."""
    lines: queue.Queue[str] = queue.Queue(maxsize=1)
    threading.Thread(
        target=lambda: lines.put(stream.readline()), name="demo-start", daemon=True
    ).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return None
