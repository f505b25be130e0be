"""Alembic environment for outbox.db: runs on the cache's connection, where the file is
attached as the schema ``outbox``."""

from __future__ import annotations

from alembic import context

from desktop.services.cache_models import OUTBOX_SCHEMA, OutboxBase

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=OutboxBase.metadata,
    version_table="outbox_alembic_version",
    version_table_schema=OUTBOX_SCHEMA,
    include_schemas=True,
    include_name=lambda name, type_, _parent: type_ != "schema" or name == OUTBOX_SCHEMA,
)
with context.begin_transaction():
    context.run_migrations()
