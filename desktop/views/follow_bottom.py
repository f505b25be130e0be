"""A message list that stays on its newest message while the reader is there, and, while
they read older history, offers a **New messages** button instead of pulling them down."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QListView

from desktop.views.widgets import button

NEAR_BOTTOM = 4  # pixels: "at the bottom" survives a rounding of the scroll range


class FollowBottom(QObject):
    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self._at_bottom = True
        self.new_messages = button(self.tr("New messages"), view)
        self.new_messages.setObjectName("newMessages")
        self.new_messages.hide()
        self.new_messages.clicked.connect(self.to_bottom)
        bar = view.verticalScrollBar()
        bar.valueChanged.connect(self._moved)
        # The range changes as rows come in and as the view resizes (a banner above it, a
        # smaller window): a reader at the bottom stays there, the newest bubble whole.
        bar.rangeChanged.connect(self._range_changed)
        view.installEventFilter(self)

    @property
    def at_bottom(self) -> bool:
        return self._at_bottom

    def rows_arrived(self, at_the_end: bool) -> None:
        """New rows: below the reader's place (while they read history), the button says so."""
        if at_the_end and not self._at_bottom:
            self._place()
            self.new_messages.show()
            self.new_messages.raise_()

    def to_bottom(self) -> None:
        self._at_bottom = True
        self.new_messages.hide()
        self._view.scrollToBottom()

    def _moved(self, value: int) -> None:
        self._at_bottom = value >= self._view.verticalScrollBar().maximum() - NEAR_BOTTOM
        if self._at_bottom:
            self.new_messages.hide()

    def _range_changed(self, _minimum: int, _maximum: int) -> None:
        if self._at_bottom:
            self._view.scrollToBottom()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        hint = self.new_messages.sizeHint()
        area = self._view.viewport().geometry()
        self.new_messages.setGeometry(
            area.right() - hint.width() - 16, area.bottom() - hint.height() - 12,
            hint.width(), hint.height(),
        )  # fmt: skip
