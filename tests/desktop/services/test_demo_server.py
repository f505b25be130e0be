"""The demo as the desktop runs it: ``petsapp-backend demo`` in a child process, which
answers with where it listens, serves the demo group, and ends when the app stops it or
dies (its stdin closes)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pytest
import requests

from desktop.services.demo_server import LOG_FILE, DemoError, DemoServer
from tests import processes
from tests.support import wait_until

ROOT = Path(__file__).resolve().parents[3]


def _gone(pid: int) -> bool:
    """Ended (a zombie counts: nothing here reaps a grandchild)."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_the_demo_runs_in_its_own_process_and_stops_with_the_app(tmp_path: Path) -> None:
    demo = DemoServer(tmp_path / "logs").start()
    try:
        assert demo.pid is not None and demo.pid != psutil.Process().pid
        assert requests.get(f"{demo.backend_url}/health", timeout=5).ok
        signed_in = requests.post(
            f"{demo.backend_url}/api/v1/auth/login",
            json={"email": demo.credentials.email, "password": demo.credentials.password},
            timeout=10,
        )
        assert signed_in.status_code == 200, signed_in.text
        assert requests.get(f"{demo.sandbox_url}/sandbox/health", timeout=5).ok
        data_dir, pid = demo.data_dir, demo.pid
        assert data_dir.is_dir()
    finally:
        demo.stop()
    assert _gone(pid)
    assert not data_dir.exists()  # its temporary folder goes with it
    log_file = tmp_path / "logs" / LOG_FILE
    assert "demo running" in log_file.read_text(encoding="utf-8")
    assert log_file.stat().st_mode & 0o077 == 0  # its user's only
    demo.stop()  # again: nothing happens


def test_the_demo_ends_when_the_app_is_killed(tmp_path: Path) -> None:
    """SIGKILL leaves the app no time to stop anything: the demo sees its stdin close."""
    app = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from desktop.services.demo_server import DemoServer
        demo = DemoServer(Path({str(tmp_path)!r})).start()
        print(demo.pid, demo.backend_url, flush=True)
        time.sleep(120)
        """
    )
    parent = processes.spawn([sys.executable, "-c", app], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        pid_text, url = parent.stdout.readline().split()
        child = int(pid_text)
        assert requests.get(f"{url}/health", timeout=5).ok
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        wait_until(lambda: _gone(child), timeout=20, what="the demo to end with the app")
    finally:
        processes.end(parent)


def test_a_demo_that_cannot_start_says_why_and_where_its_log_is(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(DemoError) as raised:
        DemoServer(tmp_path / "logs", data_dir=not_a_folder).start()
    assert "stopped before it was ready" in str(raised.value)
    assert str(tmp_path / "logs" / LOG_FILE) in str(raised.value)
