"""The Alembic migrations of both sides build exactly the tables their models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from backend.db import Database
from backend.migrate import upgrade
from backend.models import Base
from desktop.services.cache import Cache
from desktop.services.cache_models import CacheBase


def _not_fts(name: str | None, type_: str, _parent: object) -> bool:
    """The full-text index is SQLite's own virtual table and its shadow tables: no model."""
    return not (type_ == "table" and (name or "").startswith("messages_fts"))


def _differences(url: str, metadata: object, version_table: str) -> list[object]:
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": version_table, "include_name": _not_fts}
        )
        return list(compare_metadata(context, metadata))  # type: ignore[arg-type]


def test_backend_migrations_match_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'backend.db'}"
    database = Database(url)
    upgrade(database)
    upgrade(database)  # a second run is a no-op
    database.dispose()
    assert _differences(url, Base.metadata, "backend_alembic_version") == []


def test_cache_migrations_match_the_models(tmp_path: Path) -> None:
    Cache(tmp_path).close()
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    assert _differences(url, CacheBase.metadata, "desktop_alembic_version") == []
