"""Alembic migrations of the backend database (found relative to this package)."""
