"""The Alembic migrations of both sides build exactly the tables their models describe."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from backend.db import Database
from backend.migrate import upgrade
from backend.models import Base
from desktop.services.cache import Cache
from desktop.services.cache_files import MIGRATIONS_DIR, OUTBOX_VERSIONS
from desktop.services.cache_models import OUTBOX_SCHEMA, CacheBase, OutboxBase
from desktop.services.cache_paths import CACHE_FILE
from desktop.services.outbox_store import OutboxStore


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


def test_outbox_migrations_match_the_models(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    with cache.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "version_table": OUTBOX_VERSIONS,
                "version_table_schema": OUTBOX_SCHEMA,
                "include_schemas": True,
                "include_name": lambda name, type_, _parent: (
                    type_ != "schema" or name == OUTBOX_SCHEMA
                ),
            },
        )
        differences = list(compare_metadata(context, OutboxBase.metadata))
    cache.close()
    assert differences == []


def test_a_cache_from_before_the_outbox_file_keeps_its_outbox_drafts_and_sign_in(
    tmp_path: Path,
) -> None:
    """c0003's layout (outbox and drafts in cache.db), with a pending message: opened by
    this build, all of it is in outbox.db and the old tables are gone."""
    engine = create_engine(f"sqlite:///{tmp_path / CACHE_FILE}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "c0003")
        connection.exec_driver_sql(
            "INSERT INTO outbox (client_id, chat_id, kind, payload, state, attempts, "
            "next_attempt_at, written_at, seen) VALUES ('c-1', 7, 'message', "
            "'{\"body\": \"Rex is ready\"}', 'pending', 0, 1, 1, '{}')"
        )
        connection.exec_driver_sql(
            "INSERT INTO drafts (chat_id, text, updated_at) VALUES (7, 'half a thought', 'x')"
        )
        connection.exec_driver_sql(
            "INSERT INTO \"values\" (name, value) VALUES ('staff_id', '3'), ('cursor', '9')"
        )
    engine.dispose()

    cache = Cache(tmp_path)
    items = OutboxStore(cache).items()
    assert [(i["client_id"], i["payload"]) for i in items] == [("c-1", {"body": "Rex is ready"})]
    assert cache.draft(7) == "half a thought"
    assert (cache.get("staff_id"), cache.cursor) == (3, 9)
    cache.close()
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert not tables & {"outbox", "drafts"}
    Cache(tmp_path).close()  # and opening again changes nothing
    assert len(OutboxStore(Cache(tmp_path)).items()) == 1
