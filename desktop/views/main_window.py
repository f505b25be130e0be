"""The main window: sidebar ("Chat", "Settings"), the queue, the open chat, the status line."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.records import Chat
from desktop.views.chat_panel import ChatPanel
from desktop.views.first_sync_page import FirstSyncPage
from desktop.views.message_model import MessageListModel
from desktop.views.queue_model import ChatListModel
from desktop.views.queue_panel import QueuePanel
from desktop.views.settings_page import SettingsPage
from desktop.views.widgets import named


class MainWindow(QMainWindow):
    """Signals: sig_open_chat(chat), sig_new_chat()."""

    sig_open_chat = Signal(dict)
    sig_new_chat = Signal()

    def __init__(
        self, queue: ChatListModel, messages: MessageListModel, icons: dict[str, QIcon]
    ) -> None:
        super().__init__()
        # What the composition root hangs on the window to keep it alive as long as the
        # window: the app's wiring, and the start-up probe or smoke test when asked for.
        self.app: object | None = None
        self.probe: object | None = None
        self.smoke: object | None = None
        self.setWindowTitle(self.tr("PetsApp"))
        self.resize(1100, 720)
        # Every control whole: the composer's row (Attach, Request payment, the counter, Send)
        # and the queue's filters need about this much.
        self.setMinimumSize(900, 600)
        self.queue_model = queue

        self.chat_button = self._side_button(self.tr("Chat"), icons["chat"])
        self.settings_button = self._side_button(self.tr("Settings"), icons["settings"])
        sides = QButtonGroup(self)
        sides.setExclusive(True)
        sides.addButton(self.chat_button)
        sides.addButton(self.settings_button)
        sidebar = QVBoxLayout()
        sidebar.addWidget(self.chat_button)
        sidebar.addWidget(self.settings_button)
        sidebar.addStretch(1)
        sidebar_widget = QWidget()
        sidebar_widget.setObjectName("sidebar")
        sidebar_widget.setLayout(sidebar)

        # Search, filters, the queue and "New chat"; its keys work anywhere in the window.
        self.queue_panel = queue_panel = QueuePanel(queue)
        self.queue, self.new_chat_button = queue_panel.queue, queue_panel.new_chat_button
        queue_panel.sig_open_chat.connect(self.sig_open_chat)
        queue_panel.sig_new_chat.connect(self.sig_new_chat)
        queue_panel.sig_notice.connect(lambda text: self.show_notice("info", text))
        queue_panel.sig_wanted.connect(lambda: self.chat_button.click())
        queue_panel.install_shortcuts(self)
        new_chat = QShortcut(QKeySequence("Ctrl+N"), self)
        new_chat.activated.connect(self.sig_new_chat)

        self.chat_panel = ChatPanel(messages)
        self.chat_panel.sig_notice.connect(lambda text: self.show_notice("info", text))
        # While a first sign-in on this PC copies the group's chats down, the chat side shows
        # its progress (the queue fills meanwhile, and "New chat" stays at hand).
        self.first_sync = FirstSyncPage()
        self.chat_stack = QStackedWidget()
        self.chat_stack.addWidget(self.chat_panel)
        self.chat_stack.addWidget(self.first_sync)
        chat_page = QSplitter()
        chat_page.addWidget(queue_panel)
        chat_page.addWidget(self.chat_stack)
        chat_page.setStretchFactor(1, 1)
        chat_page.setSizes([320, 780])
        self.settings_page = SettingsPage()

        self.pages = QStackedWidget()
        self.pages.addWidget(chat_page)
        self.pages.addWidget(self.settings_page)
        self.chat_button.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.settings_button.clicked.connect(lambda: self.pages.setCurrentIndex(1))
        self.chat_button.setChecked(True)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(sidebar_widget)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        # Tab goes where a receptionist goes: Search, the queue, then straight to Message and
        # Send (the filters and the chat's buttons come after).
        panel = self.chat_panel
        for before, after in (
            (queue_panel.search, self.queue),
            (self.queue, panel.editor),
            (panel.editor, panel.send_button),
        ):
            QWidget.setTabOrder(before, after)

        # Help: more entries (e.g. keyboard shortcuts) are added to help_menu.
        self.help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.shortcuts_action = self.help_menu.addAction(self.tr("Keyboard shortcuts"))
        self.shortcuts_action.setShortcut(QKeySequence("F1"))
        self.open_log_folder_action = self.help_menu.addAction(self.tr("Open log folder"))
        self.about_action = self.help_menu.addAction(self.tr("About PetsApp Desktop"))

        self.connection = QLabel(self.tr("Connecting…"))
        named(self.connection, self.tr("Connection"))
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.statusBar().addWidget(self.notice, 1)
        self.statusBar().addPermanentWidget(self.connection)
        self.queue.setMinimumWidth(260)

    def _side_button(self, text: str, icon: QIcon) -> QToolButton:
        tool = QToolButton()
        tool.setText(text)
        tool.setIcon(icon)
        tool.setIconSize(QSize(24, 24))
        tool.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        tool.setToolTip(text)
        tool.setAccessibleName(text)
        tool.setCheckable(True)
        tool.setMinimumSize(72, 56)
        return tool

    def show_first_sync(self, done: int, total: int) -> None:
        """Progress of a first sync; (-1, -1) when it is over."""
        if done < 0:
            self.chat_stack.setCurrentWidget(self.chat_panel)
            return
        self.first_sync.show_progress(done, total)
        if self.chat_panel.chat is None:  # never covers a chat the user opened meanwhile
            self.chat_stack.setCurrentWidget(self.first_sync)

    def show_chat_panel(self) -> None:
        """The chat side of the Chat page, and the Chat page itself (a chat started from
        Settings with Ctrl+N is shown, not left behind it)."""
        self.chat_button.setChecked(True)
        self.pages.setCurrentIndex(0)
        self.chat_stack.setCurrentWidget(self.chat_panel)

    def show_notice(self, level: str, text: str) -> None:
        self.notice.setProperty("level", level)
        self.notice.setText(text)
        self.notice.setToolTip(text)

    def select_chat(self, chat: Chat) -> None:
        self.queue_panel.select_chat(chat)
