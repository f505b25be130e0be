"""The main window: sidebar ("Chat", "Settings"), the queue, the open chat, the status line."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListView,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.views.chat_panel import ChatPanel
from desktop.views.delegates import ChatDelegate
from desktop.views.message_model import MessageListModel
from desktop.views.queue_model import ChatListModel
from desktop.views.settings_page import SettingsPage
from desktop.views.widgets import button, named


class MainWindow(QMainWindow):
    """Signals: sig_open_chat(chat), sig_new_chat()."""

    sig_open_chat = Signal(dict)
    sig_new_chat = Signal()

    def __init__(
        self, queue: ChatListModel, messages: MessageListModel, icons: dict[str, QIcon]
    ) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("PetsApp"))
        self.resize(1100, 720)
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

        self.queue = QListView()
        named(self.queue, self.tr("Queue"))
        self.queue.setModel(queue)
        self.queue.setItemDelegate(ChatDelegate(self.queue))
        self.queue.setUniformItemSizes(True)
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue.clicked.connect(
            lambda index: self.sig_open_chat.emit(queue.chat_at(index.row()))
        )
        self.queue.activated.connect(
            lambda index: self.sig_open_chat.emit(queue.chat_at(index.row()))
        )
        self.new_chat_button = button(self.tr("New chat"))
        self.new_chat_button.clicked.connect(self.sig_new_chat)
        queue_panel = QWidget()
        queue_layout = QVBoxLayout(queue_panel)
        queue_layout.setContentsMargins(0, 0, 0, 0)
        queue_layout.addWidget(self.queue, 1)
        queue_layout.addWidget(self.new_chat_button)

        self.chat_panel = ChatPanel(messages)
        chat_page = QSplitter()
        chat_page.addWidget(queue_panel)
        chat_page.addWidget(self.chat_panel)
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

    def show_notice(self, level: str, text: str) -> None:
        self.notice.setProperty("level", level)
        self.notice.setText(text)
        self.notice.setToolTip(text)

    def select_chat(self, chat: dict[str, Any]) -> None:
        row = self.queue_model.row_of(chat["id"])
        if row is not None:
            self.queue.setCurrentIndex(self.queue_model.index(row))
