"""The tray icon with the unread count, and notifications of new client messages.

A notification is only for a client's message that arrives while the user is not looking
at that chat: never for their own or a colleague's messages, and none while muted.
Clicking it opens the chat.
"""

from __future__ import annotations

from typing import TypedDict

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

PREVIEW_CHARS = 90
SHOW_AFTER_MS = 1000
BADGE = QColor("#d93025")


class Notification(TypedDict):
    chat_id: int
    title: str
    text: str


class Tray(QObject):
    """Signals: sig_show_window(), sig_open_chat(chat id), sig_mute(bool), sig_quit()."""

    sig_show_window = Signal()
    sig_open_chat = Signal(int)
    sig_mute = Signal(bool)
    sig_quit = Signal()

    def __init__(self, icon: QIcon, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._base_icon = icon
        self.icon = QSystemTrayIcon(icon, self)
        self.menu = QMenu(window)  # the tray does not own its menu: the window does
        self.open_action = self.menu.addAction(self.tr("Open PetsApp"))
        self.mute_action = QAction(self.tr("Mute notifications"), self.menu)
        self.mute_action.setCheckable(True)
        self.menu.addAction(self.mute_action)
        self.menu.addSeparator()
        self.quit_action = self.menu.addAction(self.tr("Quit PetsApp"))
        self.icon.setContextMenu(self.menu)
        self.open_action.triggered.connect(self.sig_show_window)
        self.quit_action.triggered.connect(self.sig_quit)
        self.mute_action.toggled.connect(self.sig_mute)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._clicked)
        self.unread = 0
        self.last: Notification | None = None  # the latest notification
        self.set_unread(0)
        # Asking the desktop for its tray (D-Bus on Linux) waits until the window is up.
        QTimer.singleShot(SHOW_AFTER_MS, self._show_icon)

    def _show_icon(self) -> None:
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon.show()

    @property
    def muted(self) -> bool:
        return self.mute_action.isChecked()

    def set_muted(self, muted: bool) -> None:
        self.mute_action.setChecked(muted)

    def set_unread(self, count: int) -> None:
        if count == self.unread and self.icon.toolTip():
            return
        self.unread = count
        self.icon.setToolTip(
            self.tr("PetsApp: %n unread", "", count) if count else self.tr("PetsApp")
        )
        self.icon.setIcon(with_badge(self._base_icon, count) if count else self._base_icon)

    def notify(self, chat_id: int, title: str, body: str) -> bool:
        """Show a new client message; False when muted (nothing shown)."""
        if self.muted:
            return False
        text = " ".join(body.split())
        if len(text) > PREVIEW_CHARS:
            text = text[: PREVIEW_CHARS - 1] + "…"
        self.last = {"chat_id": chat_id, "title": title, "text": text}
        self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)
        return True

    def _clicked(self) -> None:
        if self.last is not None:
            self.sig_open_chat.emit(self.last["chat_id"])

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.sig_show_window.emit()


def with_badge(icon: QIcon, count: int, size: int = 64) -> QIcon:
    """The app icon with the unread count in a red disc in its corner, as chat apps show it."""
    pixmap = icon.pixmap(size, size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    disc = QRect(size // 3, 0, size * 2 // 3, size * 2 // 3)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(BADGE)
    painter.drawEllipse(disc)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(size // 3 if count < 10 else size // 4)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, str(count) if count < 100 else "99+")
    painter.end()
    return QIcon(pixmap)
