"""The two ways on for a message the outbox could not send, shown under its own bubble.

Only unsent messages get one (a few at most), placed by the message delegate as the
list's index widget: the list itself stays one model and one delegate.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from desktop.views.widgets import button


class UnsentActions(QWidget):
    """ "Retry" (a failed message) or "Send anyway" (one held because the chat changed
    since it was written), and "Discard"."""

    sig_retry = Signal(str)
    sig_discard = Signal(str)

    def __init__(self, key: str, state: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.state = state
        self.setObjectName("unsentActions")
        held = state == "held"
        self.retry = button(self.tr("Send anyway") if held else self.tr("Retry"))
        self.retry.setToolTip(
            self.tr("The chat changed after you wrote this. Send it as it is.")
            if held
            else self.tr("Try to send this message again.")
        )
        self.discard = button(self.tr("Discard"))
        self.discard.setToolTip(self.tr("Delete this message without sending it."))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addStretch(1)
        row.addWidget(self.retry)
        row.addWidget(self.discard)
        self.retry.clicked.connect(lambda: self.sig_retry.emit(self.key))
        self.discard.clicked.connect(lambda: self.sig_discard.emit(self.key))
