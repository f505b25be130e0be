"""Alembic environment: runs on the connection handed in by backend.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool

from backend.models import Base

config = context.config
VERSION_TABLE = "backend_alembic_version"


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic` CLI use during development
        engine = engine_from_config(
            config.get_section(config.config_ini_section) or {},
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        with engine.connect() as connection:
            _run(connection)
    else:
        _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=True,  # SQLite cannot ALTER most things in place
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
