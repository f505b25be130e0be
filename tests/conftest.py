"""Shared fixtures: the real backend and provider sandbox on loopback, per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from backend.demo import EmbeddedDemo  # noqa: E402
from tests.support import BackendClient  # noqa: E402


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
