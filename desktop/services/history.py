"""Reading a chat: its newest messages, older ones as the user scrolls up (from the cache,
else from the backend's history, cached for next time), and full-text search. The cache is
read on its lane; the backend is asked from a task worker."""

from __future__ import annotations

import logging
from collections.abc import Callable

from desktop.services.api import ApiError, OfflineError
from desktop.services.cache import Cache
from desktop.services.cache_lane import CacheLane
from desktop.services.records import Message
from desktop.services.staff_session import StaffSession
from desktop.services.tasks import TaskRunner

log = logging.getLogger(__name__)

Rows = list[Message]


class ChatHistory:
    def __init__(
        self,
        lane: CacheLane,
        tasks: TaskRunner,
        session: StaffSession,
        show: Callable[[int, Rows], None],
        show_older: Callable[[int, Rows], None],
    ) -> None:
        """``show(chat_id, rows)`` answers ``load``; ``show_older(chat_id, rows)`` answers
        ``load_older`` (maybe with no rows). Both on the GUI thread."""
        self._lane = lane
        self._tasks = tasks
        self._session = session
        self._show = show
        self._show_older = show_older

    def load(self, chat_id: int) -> None:
        self._lane.run(
            lambda cache: cache.messages(chat_id), lambda rows: self._show(chat_id, rows)
        )

    def load_older(self, chat_id: int, oldest: Message, page: int = 100) -> None:
        """Messages older than ``oldest``: from the cache, else from the backend's history
        (cached for next time)."""
        before = (str(oldest.get("created_at") or ""), str(oldest.get("key") or ""))

        def read(cache: Cache) -> Rows:
            return cache.messages(chat_id, page, before=before)

        def stored_then_read(cache: Cache, fetched: Rows) -> Rows:
            cache.store_history(fetched)
            return read(cache)

        def work() -> Rows:  # on a task worker: HTTP here, the cache on the lane
            rows = self._lane.call(read)
            oldest_id = oldest.get("id")
            if len(rows) < page and oldest_id:
                try:
                    fetched = self._session.client().history(chat_id, oldest_id, page)
                except (ApiError, OfflineError):
                    return rows  # offline: what is cached
                rows = self._lane.call(lambda cache: stored_then_read(cache, fetched))
            return rows

        self._tasks.run(work, lambda rows: self._show_older(chat_id, rows))

    def search(self, query: str, on_found: Callable[[str, list[int]], None]) -> None:
        """The chats with a message matching ``query``, from the cache's full-text index
        (works offline); ``on_found(query, chat_ids)`` on the GUI thread. The queue matches
        names and numbers itself."""
        if not self._lane.is_open:
            on_found(query, [])
            return

        def failed(error: BaseException) -> None:
            log.warning("search failed: %s", type(error).__name__)  # no search text in logs
            on_found(query, [])

        self._lane.run(
            lambda cache: cache.search_message_chats(query),
            lambda ids: on_found(query, ids),
            failed,
        )
