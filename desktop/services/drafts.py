"""Drafts: what was typed and not sent, per chat, kept across restarts.

This session's latest text per chat is kept in memory (the GUI thread's calls come in
order), so switching chats quickly never shows an older draft; the cache gets whatever is
latest when the lane runs, and the lane never drops a write before the app exits.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop.services.cache_lane import CacheLane


class Drafts:
    def __init__(self, lane: CacheLane, show: Callable[[int, str], None]) -> None:
        """``show(chat_id, text)`` on the GUI thread answers ``load``."""
        self._lane = lane
        self._show = show
        self._latest: dict[int, str] = {}

    def load(self, chat_id: int) -> None:
        if chat_id in self._latest:
            self._show(chat_id, self._latest[chat_id])
            return
        self._lane.run(lambda cache: cache.draft(chat_id), lambda text: self._show(chat_id, text))

    def save(self, chat_id: int, text: str) -> None:
        self._latest[chat_id] = text
        self._lane.run(lambda cache: cache.save_draft(chat_id, text))

    def sent(self, chat_id: int) -> None:
        """The composer is empty now: this session shows no draft (the outbox write clears
        the saved one in its own transaction)."""
        self._latest[chat_id] = ""

    def restore(self, chat_id: int, text: str) -> None:
        """A sent text came back (it could not be kept for sending): the chat's draft again,
        in this session (the disk it would be saved to is full)."""
        self._latest[chat_id] = text

    def forget(self) -> None:
        self._latest.clear()
