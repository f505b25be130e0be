"""Alembic environment for the local cache: runs on the connection handed in by the cache."""

from __future__ import annotations

from alembic import context

from desktop.services.cache_models import CacheBase

VERSION_TABLE = "desktop_alembic_version"

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=CacheBase.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
