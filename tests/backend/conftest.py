"""Backend tests run on SQLite and, where a server is given, again on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.demo import EmbeddedDemo
from tests.support import reset_postgres

POSTGRES_URL = os.environ.get("PETSAPP_TEST_POSTGRES_URL", "")
NO_POSTGRES = (
    "PostgreSQL runs of the backend tests need PETSAPP_TEST_POSTGRES_URL "
    "(.ci/run starts a server and sets it; see the README)"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'backend.db'}"
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
def demo(tmp_path: Path, database_url: str) -> Iterator[EmbeddedDemo]:
    stack = EmbeddedDemo(tmp_path / "server", database_url=database_url).start()
    yield stack
    stack.stop()
