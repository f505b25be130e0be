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
    # The full-text index (virtual table + shadow tables) is made by hand in 0002.
    include_name=lambda name, type_, _parent: (
        not (type_ == "table" and (name or "").startswith("messages_fts"))
    ),
)
with context.begin_transaction():
    context.run_migrations()
