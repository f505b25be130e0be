"""Help → "Keyboard shortcuts": every key the app answers to, in one list."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.tr_marks import QT_TRANSLATE_NOOP
from desktop.views.widgets import named


def _tr(text: str) -> str:
    return QCoreApplication.translate("ShortcutsDialog", text)


# (keys in Qt's portable form, what they do: marked for translation, translated when shown).
# The bindings live with their widgets; a test checks that each one listed here is bound.
SHORTCUTS: list[tuple[str, str]] = [
    ("Ctrl+N", QT_TRANSLATE_NOOP("ShortcutsDialog", "New chat")),
    ("Ctrl+K", QT_TRANSLATE_NOOP("ShortcutsDialog", "Search chats")),
    ("Alt+Up", QT_TRANSLATE_NOOP("ShortcutsDialog", "Previous chat")),
    ("Alt+Down", QT_TRANSLATE_NOOP("ShortcutsDialog", "Next chat")),
    ("Alt+Shift+Up", QT_TRANSLATE_NOOP("ShortcutsDialog", "Previous chat with unread messages")),
    ("Alt+Shift+Down", QT_TRANSLATE_NOOP("ShortcutsDialog", "Next chat with unread messages")),
    ("Ctrl+Return", QT_TRANSLATE_NOOP("ShortcutsDialog", "Send the message")),
    ("Esc", QT_TRANSLATE_NOOP("ShortcutsDialog", "Close a dialog, or clear the search")),
    ("F1", QT_TRANSLATE_NOOP("ShortcutsDialog", "Keyboard shortcuts")),
]


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        table = QTableWidget(len(SHORTCUTS), 2)
        named(table, self.tr("Keyboard shortcuts"))
        table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Does")])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(SHORTCUTS):
            shown = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            table.setItem(row, 0, QTableWidgetItem(shown))
            table.setItem(row, 1, QTableWidgetItem(_tr(what)))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(close)
        self.resize(460, 360)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
