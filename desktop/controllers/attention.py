"""What draws the user's eye while PetsApp sits in the background all day: the unread
count in the window title and on the tray icon, and a notification for each new client
message the user is not already looking at (clicking it opens that chat)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop.services.records import Chat, Message
from desktop.views.formatting import chat_title
from desktop.views.main_window import MainWindow
from desktop.views.tray import Tray


class Attention(QObject):
    def __init__(
        self,
        window: MainWindow,
        icon: QIcon,
        open_chat: Callable[[Chat], None],
    ) -> None:
        # Owned by the window (Qt deletes it with the window, on the GUI thread), never left
        # to Python's garbage collector, which may run on any thread.
        super().__init__(window)
        self.window = window
        self.tray = Tray(icon, window, self)
        self._open_chat = open_chat
        self._unread: dict[int, int] = {}
        self._title = window.windowTitle()
        self.tray.sig_show_window.connect(self.show_window)
        self.tray.sig_open_chat.connect(self._open_notified_chat)
        self.tray.sig_quit.connect(QApplication.quit)

    def set_title(self, title: str) -> None:
        """The window's own title; the unread count is put in front of it."""
        self._title = title
        self._show_count()

    def unread_changed(self, counts: dict[int, int]) -> None:
        for chat_id, count in counts.items():
            if count:
                self._unread[chat_id] = count
            else:
                self._unread.pop(chat_id, None)
        self._show_count()

    def reset(self) -> None:
        """Signed out: nothing of the group shows."""
        self._unread.clear()
        self._show_count()

    def _show_count(self) -> None:
        total = sum(self._unread.values())
        self.window.setWindowTitle(f"({total}) {self._title}" if total else self._title)
        self.tray.set_unread(total)

    def inbound(self, message: Message) -> None:
        """A client's message just arrived (the workspace says only of new ones)."""
        chat_id = int(message["chat_id"])
        panel = self.window.chat_panel
        looking = (
            self.window.isActiveWindow()
            and panel.chat is not None
            and panel.chat["id"] == chat_id
            and panel.isVisible()
        )
        if looking:
            return
        chat = self.window.queue_model.chat_by_id(chat_id)
        self.tray.notify(
            chat_id, chat_title(chat) if chat else self.tr("New message"), message.get("body", "")
        )

    def show_window(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def _open_notified_chat(self, chat_id: int) -> None:
        self.show_window()
        chat = self.window.queue_model.chat_by_id(chat_id)
        if chat is not None:
            # The composition root's open_chat takes the plain dict it is at run time.
            self._open_chat(chat)
