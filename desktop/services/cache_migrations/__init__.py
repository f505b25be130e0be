"""Alembic migrations of the desktop's local cache (separate from the backend's)."""
