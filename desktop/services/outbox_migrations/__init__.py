"""Alembic migrations of outbox.db, the file of what only this PC has (its own versions)."""
