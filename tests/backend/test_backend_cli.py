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


def _cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        cwd=tmp_path,
        env={**_env(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_admin_commands_enable_sms_and_add_staff_and_owners(tmp_path: Path) -> None:
    assert _cli(tmp_path, "migrate").returncode == 0
    groups = {"groups": [{"name": "G", "clinics": [{"name": "North", "sms_number": None}]}]}
    (tmp_path / "g.json").write_text(json.dumps(groups))
    assert _cli(tmp_path, "admin", "load", "g.json").returncode == 0
    listing = _cli(tmp_path, "admin", "list")
    assert "group 1: G" in listing.stdout and "clinic 1: North (SMS off)" in listing.stdout

    on = _cli(tmp_path, "admin", "sms", "--clinic-id", "1", "--number", "+447700900888")
    assert on.returncode == 0 and "SMS chat is on with +447700900888 for North" in on.stdout
    assert (
        _cli(tmp_path, "admin", "sms", "--clinic-id", "9", "--number", "+447700900889").returncode
        == 2
    )
    off = _cli(tmp_path, "admin", "sms", "--clinic-id", "1", "--off")
    assert "SMS chat is off for North" in off.stdout

    staff = _cli(
        tmp_path,
        "admin",
        "add-staff",
        "--group-id",
        "1",
        "--name",
        "Ann",
        "--email",
        "Ann@North.example",
        PETSAPP_NEW_STAFF_PASSWORD="long enough",
    )
    assert staff.returncode == 0 and "ann@north.example" in staff.stdout
    short = _cli(
        tmp_path,
        "admin",
        "add-staff",
        "--group-id",
        "1",
        "--name",
        "Bo",
        "--email",
        "bo@north.example",
        PETSAPP_NEW_STAFF_PASSWORD="short",
    )
    assert short.returncode == 2 and "at least 8" in short.stderr

    owner = _cli(
        tmp_path,
        "admin",
        "add-owner",
        "--group-id",
        "1",
        "--name",
        "Kim",
        "--phone",
        "07400 123222",
        "--pet",
        "Rex:dog",
        "--pet",
        "Tibbles",
    )
    assert owner.returncode == 0 and "Registered owner Kim" in owner.stdout
    landline = _cli(
        tmp_path,
        "admin",
        "add-owner",
        "--group-id",
        "1",
        "--name",
        "Lee",
        "--phone",
        "020 7946 0000",
    )
    assert landline.returncode == 2 and "landline" in landline.stderr
