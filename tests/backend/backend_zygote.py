"""Starts real backend processes fast, for tests that kill them a hundred times.

    python -m tests.backend.backend_zygote LOG_DIR

Importing the backend takes ~1.4 s here, which a hundred restarts cannot afford. This
process imports it once, then for each line ``start PORT`` on stdin forks a child that
serves the backend exactly as ``petsapp-backend serve`` does (settings from the
environment, the dispatcher taking up what earlier processes left) and answers with the
child's pid. The test kills children with SIGKILL whenever it likes. Children die with
this process, and this process dies with the test (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path

from backend.api.app import create_app
from backend.config import Settings
from backend.serving import serve_forever

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def serve(port: int, log_dir: Path) -> None:
    """In the forked child: the backend on ``port`` until killed."""
    die_with_parent()
    log = os.open(log_dir / f"backend-{os.getpid()}.log", os.O_WRONLY | os.O_CREAT, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    serve_forever(create_app(Settings.from_env()), "127.0.0.1", port)


def main() -> int:
    die_with_parent()
    log_dir = Path(sys.argv[1])
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    print("READY", flush=True)  # noqa: T201
    for line in sys.stdin:
        command, port = line.split()
        assert command == "start", command
        pid = os.fork()
        if pid == 0:
            try:
                serve(int(port), log_dir)
            finally:
                os._exit(0)
        print(pid, flush=True)  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
