"""Shared fixtures: the real backend and provider sandbox on loopback, per test."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch the developer's real keyring; CI machines have none either.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
# Nor the user's log folder: the app run as a process (the smoke test) logs here instead.
if "PETSAPP_LOG_DIR" not in os.environ:
    os.environ["PETSAPP_LOG_DIR"] = tempfile.mkdtemp(prefix="petsapp-test-logs-")
    atexit.register(shutil.rmtree, os.environ["PETSAPP_LOG_DIR"], True)

from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.demo import EmbeddedDemo
from tests.support import BackendClient


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[EmbeddedDemo]:
    """The demo group on a fresh SQLite database, with the sandbox, on free ports."""
    stack = EmbeddedDemo(tmp_path / "server").start()
    yield stack
    stack.stop()


@pytest.fixture
def alex(demo: EmbeddedDemo) -> BackendClient:
    """The API, signed in as the demo's first staff member."""
    return BackendClient(demo).sign_in("alex@riverside.example")
