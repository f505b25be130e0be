"""What a first sign-in on this PC shows while the group's chats come down: progress, not
an empty queue that looks as if the practice had no chats."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from desktop.views.widgets import named, wrapped_label


class FirstSyncPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstSync")
        heading = QLabel(self.tr("Setting up PetsApp on this computer"))
        heading.setObjectName("chatTitle")
        explanation = wrapped_label(
            self.tr(
                "Your group's chats are being copied to this computer, so they stay readable "
                "when the connection drops. This happens once; you can keep using the other "
                "pages meanwhile."
            )
        )
        self.bar = QProgressBar()
        named(self.bar, self.tr("Sync progress"))
        self.bar.setTextVisible(False)
        self.detail = QLabel()
        named(self.detail, self.tr("Sync status"))
        column = QVBoxLayout(self)
        column.addStretch(1)
        for widget in (heading, explanation, self.bar, self.detail):
            column.addWidget(widget)
            column.setAlignment(widget, Qt.AlignmentFlag.AlignHCenter)
        explanation.setMaximumWidth(520)
        self.bar.setFixedWidth(420)
        column.addStretch(2)
        self.show_progress(0, 0)

    def show_progress(self, done: int, total: int) -> None:
        """``total`` 0: not known yet (the first answer is on its way)."""
        if total <= 0:
            self.bar.setRange(0, 0)  # a busy bar
            self.detail.setText(self.tr("Connecting to the server…"))
            return
        self.bar.setRange(0, total)
        self.bar.setValue(min(done, total))
        self.detail.setText(
            self.tr("%1 of %2 changes").replace("%1", f"{done:,}").replace("%2", f"{total:,}")
        )

    def show_connection(self, text: str, offline: bool) -> None:
        """Offline during the first sync: say so, rather than a bar that seems stuck."""
        if offline:
            self.detail.setText(text)
