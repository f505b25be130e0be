"""Unread counts: this desktop's own, kept up to date from each sync batch (no rescans).

A chat's count is the client's messages that arrived after it was last opened here; a
chat marked unread by hand counts at least 1 until it is opened. The state is one small
JSON value in the cache, so it survives restarts. Batches are counted on the sync thread
and the user's reads and marks come from task workers: one lock keeps them in step.
"""

from __future__ import annotations

import threading
from typing import Any

from desktop.services.cache import Cache

KEY = "unread"


class UnreadCounts:
    def __init__(self, cache: Cache) -> None:
        """Reads nothing yet: the state is read on first use, on a worker (never the GUI
        thread)."""
        self._cache = cache
        # chat id -> {"read": newest id seen when opened, "upto": newest id counted, "n": count}
        self._loaded: dict[int, dict[str, int]] | None = None
        self._lock = threading.Lock()

    @property
    def _state(self) -> dict[int, dict[str, int]]:
        """Only under the lock."""
        if self._loaded is None:
            self._loaded = {int(k): v for k, v in (self._cache.get(KEY) or {}).items()}
        return self._loaded

    def counts(self) -> dict[int, int]:
        with self._lock:
            return {chat: s["n"] for chat, s in self._state.items() if s["n"]}

    def take(self, changes: list[dict[str, Any]], open_chat: int | None) -> dict[int, int]:
        """Count the new client messages of a batch; returns the chats whose count changed."""
        with self._lock:
            return self._take(changes, open_chat)

    def _take(self, changes: list[dict[str, Any]], open_chat: int | None) -> dict[int, int]:
        changed: dict[int, int] = {}
        for change in changes:
            data = change["data"]
            if change["type"] != "message" or data.get("direction") != "in" or not data.get("id"):
                continue
            state = self._state.setdefault(data["chat_id"], {"read": 0, "upto": 0, "n": 0})
            if data["id"] <= max(state["upto"], state["read"]):
                continue  # seen before (a replay, or a status change of a counted message)
            state["upto"] = data["id"]
            if data["chat_id"] == open_chat:
                state["read"] = data["id"]
                continue
            state["n"] += 1
            changed[data["chat_id"]] = state["n"]
        if changed:
            self._save()
        return changed

    def read(self, chat_id: int) -> None:
        with self._lock:
            state = self._state.setdefault(chat_id, {"read": 0, "upto": 0, "n": 0})
            state["read"], state["n"] = max(state["read"], state["upto"]), 0
            self._save()

    def mark_unread(self, chat_id: int) -> int:
        """By hand ("Mark as unread"): the chat counts at least 1 until it is opened.
        Returns its count."""
        with self._lock:
            state = self._state.setdefault(chat_id, {"read": 0, "upto": 0, "n": 0})
            state["n"] = max(state["n"], 1)
            self._save()
            return state["n"]

    def _save(self) -> None:
        self._cache.put(KEY, {str(k): v for k, v in self._state.items()})
