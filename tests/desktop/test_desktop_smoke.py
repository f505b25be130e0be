"""``petsapp-desktop --smoke-test`` as a separate process, the way CI and support run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests import processes


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return processes.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
    )


def test_smoke_test_passes_on_the_demo(tmp_path: Path) -> None:
    result = _run("--demo", "--smoke-test", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "smoke test passed" in result.stdout
    assert "Traceback" not in result.stderr


def test_smoke_test_fails_with_the_reason_when_the_server_is_unreachable(tmp_path: Path) -> None:
    result = _run(
        "--server", "http://127.0.0.1:9", "--data-dir", str(tmp_path), "--smoke-test", cwd=tmp_path
    )
    assert result.returncode != 0
    assert "smoke test failed at 'sign in'" in result.stderr
    assert "cannot be reached" in result.stderr
