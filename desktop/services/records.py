"""Plain rules about the records the backend sends (no Qt, no I/O)."""

from __future__ import annotations

from typing import Any


def is_stale(incoming: dict[str, Any], current: dict[str, Any]) -> bool:
    """True when ``incoming`` is an older version of ``current``.

    A REST answer and a sync batch about the same record can arrive in either order; the
    backend stamps every version with ``updated_at`` (ISO 8601 UTC, so strings compare)."""
    return str(incoming.get("updated_at") or "") < str(current.get("updated_at") or "")
