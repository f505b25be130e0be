"""The cache's two files on one connection: made owner-only, attached, migrated, and set up
so that two transactions never wait each other out and errors never quote what was written.

``cache.db`` is the connection's main file; ``outbox.db`` is attached to it as the schema
``outbox`` (``cache_models.py``). Each has its own Alembic chain, so a fresh cache.db (a
rebuilt one) never replays the outbox's migrations over an outbox.db that has them.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from PySide6.QtCore import QCoreApplication
from sqlalchemy import Connection, Engine, create_engine, event

MIGRATIONS_DIR = Path(__file__).with_name("cache_migrations")
OUTBOX_MIGRATIONS_DIR = Path(__file__).with_name("outbox_migrations")
CACHE_VERSIONS = "desktop_alembic_version"
OUTBOX_VERSIONS = "outbox_alembic_version"


# How many pages (4 KiB) each file may still grow by, when set: SQLite's own
# "database or disk is full" on demand, for tests and for support to try a full disk.
ROOM_VARIABLE = "PETSAPP_CACHE_ROOM_PAGES"


class CacheTooNewError(RuntimeError):
    """A cache file was written by a newer PetsApp Desktop than this one."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def owner_only(path: Path) -> None:
    """Create the file owner-only before SQLite opens it (and tighten an old one)."""
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(path, 0o600)


def open_engine(cache_file: Path, outbox_file: Path) -> Engine:
    """The engine of both files, migrated to this build's heads (``CacheTooNewError`` if a
    newer build wrote either)."""
    owner_only(outbox_file)  # the small file first: it is what must not be lost
    owner_only(cache_file)
    engine = create_engine(
        f"sqlite:///{cache_file}",
        connect_args={"check_same_thread": False, "timeout": 30},
        # An error's text (logged, or in a traceback) never quotes the values written:
        # they are messages and phone numbers.
        hide_parameters=True,
    )
    event.listen(engine, "connect", partial(_sqlite_pragmas, outbox_file))
    event.listen(engine, "begin", _begin_immediate)
    try:
        with engine.begin() as connection:
            _upgrade(connection, OUTBOX_MIGRATIONS_DIR, OUTBOX_VERSIONS, outbox_file)
        with engine.begin() as connection:
            _move_legacy_tables(connection)
        with engine.begin() as connection:
            _upgrade(connection, MIGRATIONS_DIR, CACHE_VERSIONS, cache_file)
    except BaseException:
        engine.dispose()  # a file that cannot be opened is not held open
        raise
    return engine


def _upgrade(connection: Connection, scripts_dir: Path, version_table: str, path: Path) -> None:
    """One file's migrations to head, or ``CacheTooNewError`` if a newer build wrote it."""
    schema = "outbox" if scripts_dir == OUTBOX_MIGRATIONS_DIR else None
    config = Config()
    config.set_main_option("script_location", str(scripts_dir))
    scripts = ScriptDirectory.from_config(config)
    current = MigrationContext.configure(
        connection, opts={"version_table": version_table, "version_table_schema": schema}
    ).get_current_revision()
    if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
        raise CacheTooNewError(
            QCoreApplication.translate(
                "Cache",
                "The local data in %1 was written by a newer version of PetsApp Desktop.",
            ).replace("%1", str(path.parent)),
            path,
        )
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _move_legacy_tables(connection: Connection) -> None:
    """A cache from before c0004 kept the outbox and drafts itself: they are copied into
    outbox.db (committed before c0004 drops them, so a kill in between copies again, and
    the copy skips what is there already)."""
    tables = {
        row[0]
        for row in connection.exec_driver_sql(
            "SELECT name FROM main.sqlite_master WHERE type = 'table'"
        )
    }
    if "outbox" in tables:
        columns = (
            "client_id, chat_id, kind, payload, state, error, attempts, next_attempt_at, "
            "first_tried_at, written_at, seen"
        )
        connection.exec_driver_sql(
            f"INSERT OR IGNORE INTO outbox.outbox ({columns}) "
            f"SELECT {columns} FROM main.outbox ORDER BY id"
        )
    if "drafts" in tables:
        connection.exec_driver_sql(
            "INSERT OR IGNORE INTO outbox.drafts (chat_id, text, updated_at) "
            "SELECT chat_id, text, updated_at FROM main.drafts"
        )
    if "values" in tables:
        connection.exec_driver_sql(
            'INSERT OR IGNORE INTO outbox."values" (name, value) '
            "SELECT name, value FROM main.\"values\" WHERE name IN ('me', 'staff_id', 'unread')"
        )


def _begin_immediate(connection: Connection) -> None:
    """Every transaction takes both files' write locks at its start, in one order: two
    connections that each wrote one file first and then waited for the other would
    wait each other out (the app has one, the lane; tests and tools may have more)."""
    room = os.environ.get(ROOM_VARIABLE)  # read at every transaction: lifting it is at once
    if room or connection.info.get("capped"):
        connection.info["capped"] = bool(room)
        for schema in ("main", "outbox"):
            pages = 4294967294  # SQLite's default: no limit of its own
            if room:
                count = connection.exec_driver_sql(f"PRAGMA {schema}.page_count").scalar()
                pages = int(count or 0) + int(room)
            connection.exec_driver_sql(f"PRAGMA {schema}.max_page_count={pages}")
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_pragmas(outbox_path: Path, dbapi_conn: Any, _record: Any) -> None:
    # The driver's own implicit BEGIN is off: transactions start in ``_begin_immediate``.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("ATTACH DATABASE ? AS outbox", (str(outbox_path),))
    cursor.execute("PRAGMA main.journal_mode=WAL")
    cursor.execute("PRAGMA outbox.journal_mode=WAL")
    cursor.execute("PRAGMA main.synchronous=NORMAL")
    # What only this PC has survives a power cut too (small writes: one fsync each).
    cursor.execute("PRAGMA outbox.synchronous=FULL")
    cursor.close()
