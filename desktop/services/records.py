"""Plain rules about the records the backend sends (no Qt, no I/O)."""

from __future__ import annotations

from typing import Any


def is_stale(incoming: dict[str, Any], current: dict[str, Any]) -> bool:
    """True when ``incoming`` is an older version of ``current``.

    A REST answer and a sync batch about the same record can arrive in either order; the
    backend stamps every version with ``updated_at`` (ISO 8601 UTC, so strings compare)."""
    return str(incoming.get("updated_at") or "") < str(current.get("updated_at") or "")


def message_key(message: dict[str, Any]) -> str:
    """One row per message, wherever it is shown or cached: the sender's client id when
    there is one (so a pending message and the server's copy are the same row), else
    ``s<server id>``. A record that already carries its ``key`` keeps it."""
    return str(message.get("key") or message.get("client_id") or f"s{message['id']}")


def message_order(message: dict[str, Any]) -> tuple[int, str, str]:
    """Where a message sits in its chat: the ones the server has, by the server's clock;
    after them the ones still on their way, in the order they were written (this PC's clock
    may be off, and a message written later may still reach the server first)."""
    on_its_way = message.get("id") is None
    return (int(on_its_way), str(message.get("created_at") or ""), message_key(message))
