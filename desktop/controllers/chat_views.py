"""The queue and the open chat, kept to what the workspace says: each change set to the
views it concerns, a chat opened with its messages, draft and unread count, search, Send."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from desktop.controllers.attention import Attention
from desktop.services.cache_errors import is_disk_full, not_sent_for_full_disk
from desktop.services.notices import NoticeBridge
from desktop.services.records import Chat, is_stale
from desktop.views.formatting import client_name
from desktop.views.main_window import MainWindow
from desktop.views.message_model import MessageListModel

if TYPE_CHECKING:
    from desktop.services.changes import ChangeSet
    from desktop.services.workspace import Workspace

log = logging.getLogger(__name__)


class ChatViews:
    def __init__(
        self,
        window: MainWindow,
        messages: MessageListModel,
        attention: Attention,
        notices: NoticeBridge,
        workspace: Callable[[], Workspace | None],
    ) -> None:
        """``workspace()`` is the open workspace (None before one is loaded)."""
        self.window = window
        self.messages = messages
        self.attention = attention
        self._notices = notices
        self._workspace = workspace
        self._open_when_ready: Chat | None = None
        window.sig_open_chat.connect(self.open_chat)
        window.queue_panel.sig_search.connect(self._search)
        window.queue_panel.sig_mark_unread.connect(self._mark_unread)
        window.chat_panel.sig_send.connect(self._send)

    def show_changes(self, changes: ChangeSet) -> None:
        """One change set, to each view it concerns."""
        queue = self.window.queue_model
        if changes.replace_chats:
            queue.set_chats(list(changes.chats))
        else:
            for chat in changes.chats:
                self._chat_changed(chat)
        for message in changes.messages:
            self.messages.upsert(message)
        for key in changes.removed_messages:
            self.messages.remove(key)
        if changes.unread:
            queue.set_unread(dict(changes.unread))
            self.attention.unread_changed(dict(changes.unread))
        for message in changes.inbound:  # after the chats: a new chat is known by now
            self.attention.inbound(message)
        if changes.replace_chats:  # the cache is open: a chat clicked before can open now
            waiting, self._open_when_ready = self._open_when_ready, None
            if waiting is not None:
                self.open_chat(waiting)

    def _chat_changed(self, chat: Chat) -> None:
        self.window.queue_model.upsert(chat)
        panel = self.window.chat_panel
        if panel.chat and panel.chat["id"] == chat["id"] and not is_stale(chat, panel.chat):
            panel.show_chat(chat)
            self.messages.set_client_name(client_name(chat))
            self.window.select_chat(chat)

    def open_chat(self, chat: Chat) -> None:
        self.window.show_chat_panel()
        self.window.chat_panel.show_chat(chat)
        self.window.select_chat(chat)
        workspace = self._workspace()
        if workspace is None or not workspace.is_open:
            self._open_when_ready = chat  # clicked in the queue before the cache finished opening
            return
        self.messages.show_chat(
            chat["id"], chat.get("kind") == "sms", [], client_name=client_name(chat)
        )
        workspace.history.load(chat["id"])
        workspace.drafts.load(chat["id"])
        workspace.unread.opened(chat["id"])

    def close(self) -> None:
        """Nothing of the session stays on screen: no open chat, no messages, no counts."""
        self._open_when_ready = None
        self.window.chat_panel.show_chat(None)
        self.messages.show_chat(-1, False, [])
        self.attention.reset()

    def _search(self, query: str) -> None:
        """Names and numbers are matched by the queue; message text by the cache's index."""
        workspace = self._workspace()
        if workspace is None or not workspace.is_open:
            self.window.queue_panel.show_search(query, [])
        else:
            workspace.history.search(query, self.window.queue_panel.show_search)

    def _mark_unread(self, chat_id: int, unread: bool) -> None:
        workspace = self._workspace()
        if workspace is not None:
            workspace.unread.mark(chat_id, unread)

    def _send(self, chat_id: int, body: str) -> None:
        """The composer's Send (it is already emptied): the text is on disk when this
        returns, or back in the composer with the reason."""
        workspace = self._workspace()
        panel = self.window.chat_panel
        if workspace is None or not workspace.sending.can_send:
            panel.restore_unsent(chat_id, body)
            self._notices.error(
                QCoreApplication.translate(
                    "App",
                    "Not sent yet: PetsApp Desktop is still signing in. Press Send again "
                    "in a moment.",
                )
            )
            return
        try:
            workspace.sending.send_message(chat_id, body)
        except OSError as exc:
            log.error("a message could not be written to the send journal: %s", exc.strerror)
            panel.restore_unsent(chat_id, body)
            self._notices.error(
                not_sent_for_full_disk()
                if is_disk_full(exc)
                else QCoreApplication.translate(
                    "App", "Not sent: it could not be saved on this computer (%1)."
                ).replace("%1", exc.strerror or type(exc).__name__)
            )
            return
        workspace.drafts.sent(chat_id)
