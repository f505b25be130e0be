"""Unread counts: this desktop's own, kept up to date from each sync batch (no rescans).

A chat's count is the client's messages that arrived after it was last opened here; a
chat marked unread by hand counts at least 1 until it is opened. The state is one small
JSON value in outbox.db, so it survives restarts and a rebuilt cache. Everything here runs
on the cache lane (batches as they are stored, the user's reads and marks), so it needs no
lock of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from desktop.services.cache import Cache
from desktop.services.cache_lane import CacheLane
from desktop.services.changes import ChangeSet
from desktop.services.records import Message, SyncChange, clients_messages

KEY = "unread"


class UnreadCounts:
    """On the cache lane only; each call is given the cache."""

    def __init__(self) -> None:
        # chat id -> {"read": newest id seen when opened, "upto": newest id counted, "n": count}
        self._loaded: dict[int, dict[str, int]] | None = None

    def _state(self, cache: Cache) -> dict[int, dict[str, int]]:
        if self._loaded is None:  # read on first use
            self._loaded = {int(k): v for k, v in (cache.get(KEY) or {}).items()}
        return self._loaded

    def counts(self, cache: Cache) -> dict[int, int]:
        return {chat: s["n"] for chat, s in self._state(cache).items() if s["n"]}

    def take(
        self,
        cache: Cache,
        changes: list[SyncChange],
        open_chat: int | None,
        catching_up: bool = False,
    ) -> dict[int, int]:
        """Count the new client messages of a batch; returns the chats whose count changed.
        ``catching_up``: a first sync copying a group's history down, where a client's
        message that the clinic has answered since was read by someone (a new PC's queue
        is not all unread)."""
        state = self._state(cache)
        changed: dict[int, int] = {}
        if catching_up:
            for answered, server_id in _staff_messages(changes):
                chat = state.setdefault(answered["chat_id"], {"read": 0, "upto": 0, "n": 0})
                if server_id > max(chat["upto"], chat["read"]):
                    chat["read"], chat["upto"] = server_id, server_id
                    if chat["n"]:
                        chat["n"] = 0
                        changed[answered["chat_id"]] = 0
        for message, server_id in clients_messages(changes):
            chat_id = message["chat_id"]
            chat = state.setdefault(chat_id, {"read": 0, "upto": 0, "n": 0})
            if server_id <= max(chat["upto"], chat["read"]):
                continue  # seen before (a replay, or a status change of a counted message)
            chat["upto"] = server_id
            if chat_id == open_chat:
                chat["read"] = server_id
                continue
            chat["n"] += 1
            changed[chat_id] = chat["n"]
        if changed:
            self._save(cache)
        return changed

    def read(self, cache: Cache, chat_id: int) -> None:
        chat = self._state(cache).setdefault(chat_id, {"read": 0, "upto": 0, "n": 0})
        chat["read"], chat["n"] = max(chat["read"], chat["upto"]), 0
        self._save(cache)

    def mark_unread(self, cache: Cache, chat_id: int) -> int:
        """By hand ("Mark as unread"): the chat counts at least 1 until it is opened.
        Returns its count."""
        chat = self._state(cache).setdefault(chat_id, {"read": 0, "upto": 0, "n": 0})
        chat["n"] = max(chat["n"], 1)
        self._save(cache)
        return chat["n"]

    def forget(self) -> None:
        """The cache was wiped: nothing is unread."""
        self._loaded = {}

    def reload(self) -> None:
        """Another cache file was opened (a rebuilt one): read from it on next use."""
        self._loaded = None

    def _save(self, cache: Cache) -> None:
        cache.put(KEY, {str(k): v for k, v in self._state(cache).items()})


class Unread:
    """The user's side of the counts: the chat on screen is read as it opens and as its
    messages arrive; "Mark as unread" and "Mark as read" from the queue. On the lane, each
    answered with a change set."""

    def __init__(self, lane: CacheLane, counts: UnreadCounts) -> None:
        self._lane = lane
        self.counts = counts
        self.open_chat_id: int | None = None  # read by the sync engine on the lane

    def opened(self, chat_id: int) -> None:
        self.open_chat_id = chat_id
        self._lane.run(lambda cache: self._read(cache, chat_id))

    def mark(self, chat_id: int, unread: bool) -> None:
        """The badge shows until the chat is opened (kept across restarts with the counts)."""
        if not unread:
            self._lane.run(lambda cache: self._read(cache, chat_id))
            return
        self._lane.run(
            lambda cache: ChangeSet(unread={chat_id: self.counts.mark_unread(cache, chat_id)})
        )

    def _read(self, cache: Cache, chat_id: int) -> ChangeSet:
        self.counts.read(cache, chat_id)
        return ChangeSet(unread={chat_id: 0})


def _staff_messages(changes: list[SyncChange]) -> Iterator[tuple[Message, int]]:
    """The clinic's own messages in a batch (texts and notes by staff), with their server
    id."""
    for change in changes:
        if change["type"] == "message":
            message = change["data"]
            if message["direction"] != "in" and message["id"] and message.get("sender_id"):
                yield message, message["id"]
