"""``petsapp-backend`` commands as processes, from a folder that is not the project."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from backend.serving import free_port

CLI = [sys.executable, "-m", "backend"]


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PETSAPP_DATA_DIR": str(tmp_path / "data")}


def test_migrate_and_admin_load_work_from_any_folder(tmp_path: Path) -> None:
    env = _env(tmp_path)
    migrate = subprocess.run(
        [*CLI, "migrate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert migrate.returncode == 0, migrate.stderr
    assert (tmp_path / "data" / "backend.db").exists()
    groups = {
        "groups": [
            {
                "name": "Test Group",
                "clinics": [
                    {
                        "name": "A",
                        "address": "1 Road",
                        "phone": "0117 496 0000",
                        "country": "GB",
                        "sms_number": "+447700900777",
                    }
                ],
                "staff": [{"name": "Pat", "email": "pat@test.example", "password": "pw"}],
                "owners": [
                    {
                        "name": "Kim",
                        "phone": "07400 123111",
                        "pets": [{"name": "Rex", "species": "dog"}],
                    }
                ],
            }
        ]
    }
    (tmp_path / "groups.json").write_text(json.dumps(groups))
    load = subprocess.run(
        [*CLI, "admin", "load", "groups.json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert load.returncode == 0, load.stderr
    assert "Test Group" in load.stdout
    again = subprocess.run(
        [*CLI, "admin", "load", "groups.json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 2
    assert "already belongs to A" in again.stderr


def test_sandbox_starts_with_no_setup(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [*CLI, "sandbox", "--port", str(port)],
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/sandbox/health", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the sandbox did not start"
                time.sleep(0.1)
        assert answer.json() == {"ok": True}
    finally:
        process.terminate()
        process.wait(10)
