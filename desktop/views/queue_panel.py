"""The queue side of the Chat page: "Search", the filters, the clinic filter, the queue
and "New chat"; the keyboard's way through the queue; "Mark as unread"."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.records import Chat, Me
from desktop.views.delegates import ChatDelegate
from desktop.views.queue_model import ChatListModel
from desktop.views.widgets import button, named, wrapped_label

SEARCH_DELAY_MS = 150  # typing pauses this long before the queue searches


class SearchField(QLineEdit):
    """A line edit that Esc empties (and leaves alone when it is already empty)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)


class QueuePanel(QWidget):
    """Signals: sig_open_chat(chat) (a click, Enter or a shortcut), sig_new_chat(),
    sig_search(text) (answer with ``show_search``), sig_mark_unread(chat id, unread),
    sig_notice(text) (for the status line), sig_wanted() (a shortcut: show this page)."""

    sig_open_chat = Signal(dict)
    sig_new_chat = Signal()
    sig_search = Signal(str)
    sig_mark_unread = Signal(int, bool)  # chat id; False: "Mark as read"
    sig_notice = Signal(str)
    sig_wanted = Signal()

    def __init__(self, model: ChatListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._current_id: int | None = None  # the open chat
        self._view = "all"
        self._me_id: int | None = None
        self.shortcuts: list[QShortcut] = []

        self.search = SearchField()
        named(self.search, self.tr("Search"))
        self.search.setPlaceholderText(self.tr("Search"))
        self.search.setToolTip(self.tr("Names, numbers and message text (Ctrl+K)"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_now)
        self.search.textChanged.connect(self._search_typed)

        labels = {
            "all": self.tr("All"),
            "mine": self.tr("Mine"),
            "unassigned": self.tr("Unassigned"),
            "closed": self.tr("Closed"),
        }
        tips = {
            "all": self.tr("Open chats, whoever has them"),
            "mine": self.tr("Open chats assigned to you"),
            "unassigned": self.tr("Open chats nobody has yet"),
            "closed": self.tr("Closed chats"),
        }
        self.filter_buttons: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        group.setExclusive(True)
        filters = QHBoxLayout()
        filters.setSpacing(4)
        for view, label in labels.items():
            choice = button(label)
            choice.setCheckable(True)
            choice.setToolTip(tips[view])
            choice.setObjectName("queueFilter")
            choice.clicked.connect(self._filter_clicked(view))
            group.addButton(choice)
            filters.addWidget(choice)
            self.filter_buttons[view] = choice
        self.filter_buttons["all"].setChecked(True)

        self.clinic = QComboBox()
        named(self.clinic, self.tr("Clinic"))
        self.clinic.addItem(self.tr("All clinics"), None)
        self.clinic.setVisible(False)  # until the group is known to have more than one
        self.clinic.currentIndexChanged.connect(lambda _i: self._apply())

        self.no_match = wrapped_label()
        self.no_match.setObjectName("queueEmpty")
        self.no_match.setVisible(False)

        self.queue = QListView()
        named(self.queue, self.tr("Queue"))
        self.queue.setModel(model)
        self.queue.setItemDelegate(ChatDelegate(self.queue))
        self.queue.setUniformItemSizes(True)
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue.setMinimumWidth(260)
        # Rows elide their text to the width: a narrow queue never scrolls sideways.
        self.queue.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.queue.clicked.connect(self._open_index)
        self.queue.activated.connect(self._open_index)
        self.queue.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.queue.customContextMenuRequested.connect(self._show_menu)
        for changed in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            changed.connect(self._update_no_match)

        self.new_chat_button = button(self.tr("New chat"))
        self.new_chat_button.clicked.connect(self.sig_new_chat)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.clinic)
        layout.addWidget(self.no_match)
        layout.addWidget(self.queue, 1)
        layout.addWidget(self.new_chat_button)

    # ---- who is signed in ----------------------------------------------------------------

    def show_me(self, me: Me) -> None:
        """The signed-in staff member ("Mine") and the group's clinics (the clinic filter,
        shown when there is more than one)."""
        self._me_id = (me.get("staff") or {}).get("id")
        clinics = me.get("clinics") or []
        chosen = self.clinic.currentData()
        self.clinic.blockSignals(True)
        while self.clinic.count() > 1:
            self.clinic.removeItem(1)
        for clinic in clinics:
            self.clinic.addItem(str(clinic.get("name", "")), clinic["id"])
        found = self.clinic.findData(chosen) if chosen is not None else -1
        self.clinic.setCurrentIndex(max(0, found))
        self.clinic.blockSignals(False)
        self.clinic.setVisible(len(clinics) > 1)
        self._apply()

    # ---- filters and search --------------------------------------------------------------

    def _filter_clicked(self, view: str) -> Callable[[], None]:
        def chosen() -> None:
            self._view = view
            self._apply()

        return chosen

    def _search_typed(self, text: str) -> None:
        if text.strip():
            self._search_timer.start()
        else:  # emptied: the filtered queue comes back at once
            self._search_timer.stop()
            self._apply(search="", hits=frozenset())

    def _search_now(self) -> None:
        self.sig_search.emit(self.search.text().strip())

    def show_search(self, query: str, chat_ids: list[int]) -> None:
        """The answer to ``sig_search``: chats with a message that matches ``query`` (the
        queue adds those whose names or number match). A late answer is dropped."""
        if query != self.search.text().strip():
            return
        self._apply(search=query, hits=frozenset(chat_ids))

    def _apply(self, **search: Any) -> None:
        chat_filter = dataclasses.replace(
            self.model.filter,
            view=self._view,
            clinic_id=self.clinic.currentData(),
            me_id=self._me_id,
            **search,
        )
        if chat_filter != self.model.filter:
            self.model.set_filter(chat_filter)
            if self._current_id is not None:
                self._select(self._current_id)
        searching = chat_filter.searching
        for choice in self.filter_buttons.values():  # a search looks through every chat
            choice.setEnabled(not searching)
        self.clinic.setEnabled(not searching)
        self._update_no_match()

    def _update_no_match(self, *_: object) -> None:
        chat_filter = self.model.filter
        empty = chat_filter.searching and self.model.total() == 0
        if empty:
            self.no_match.setText(self.tr("No chats match “%1”").replace("%1", chat_filter.search))
        self.no_match.setVisible(empty)

    # ---- opening chats -------------------------------------------------------------------

    def select_chat(self, chat: Chat) -> None:
        """The chat the window shows: its row is the current one (if the filter shows it)."""
        self._current_id = chat["id"]
        self._select(chat["id"])

    def _select(self, chat_id: int) -> None:
        row = self.model.row_of(chat_id)
        if row is None:
            self.queue.clearSelection()
        else:
            self.queue.setCurrentIndex(self.model.index(row))

    def _open_index(self, index: QModelIndex) -> None:
        self.sig_open_chat.emit(self.model.chat_at(index.row()))

    def _open_row(self, row: int) -> None:
        chat = self.model.chat_at(row)
        self.model.row_of(chat["id"])  # hands the view the rows down to it
        self.sig_open_chat.emit(chat)

    def _current_row(self) -> int | None:
        return None if self._current_id is None else self.model.row_of(self._current_id)

    def open_next(self, step: int) -> None:
        """Alt+Down / Alt+Up: the next or previous chat in the queue."""
        self.sig_wanted.emit()
        row = self.model.find_row(self._current_row(), step)
        if row is not None:
            self._open_row(row)

    def open_next_unread(self, step: int) -> None:
        """Alt+Shift+Down / Alt+Shift+Up: the next or previous chat with unread messages,
        going round at the ends."""
        self.sig_wanted.emit()
        row = self.model.find_row(self._current_row(), step, unread=True, wrap=True)
        if row is None:
            self.sig_notice.emit(self.tr("No unread chats in this list."))
        else:
            self._open_row(row)

    def focus_search(self) -> None:
        """Ctrl+K."""
        self.sig_wanted.emit()
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def install_shortcuts(self, window: QWidget) -> None:
        """The queue's keys, anywhere in ``window``."""
        bindings: list[tuple[str, Callable[[], None]]] = [
            ("Ctrl+K", self.focus_search),
            ("Alt+Up", lambda: self.open_next(-1)),
            ("Alt+Down", lambda: self.open_next(1)),
            ("Alt+Shift+Up", lambda: self.open_next_unread(-1)),
            ("Alt+Shift+Down", lambda: self.open_next_unread(1)),
        ]
        for keys, slot in bindings:
            shortcut = QShortcut(QKeySequence(keys), window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts.append(shortcut)

    # ---- the row's menu ------------------------------------------------------------------

    def _show_menu(self, pos: QPoint) -> None:
        index = self.queue.indexAt(pos)
        if not index.isValid():
            return
        chat_id = self.model.chat_at(index.row())["id"]
        unread = self.model.unread_count(chat_id) > 0
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        mark_unread = menu.addAction(self.tr("Mark as unread"))
        mark_unread.setEnabled(not unread)
        mark_unread.triggered.connect(lambda: self.sig_mark_unread.emit(chat_id, True))
        mark_read = menu.addAction(self.tr("Mark as read"))
        mark_read.setEnabled(unread)
        mark_read.triggered.connect(lambda: self.sig_mark_unread.emit(chat_id, False))
        menu.popup(self.queue.viewport().mapToGlobal(pos))
