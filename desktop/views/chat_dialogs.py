"""The "More" menu's dialogs: "Update Pet Details" and "Hand off"."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from desktop.services.records import Chat, Colleague
from desktop.views.widgets import button, named, say, wrapped_label


class DetailsDialog(QDialog):
    """Signals: sig_save(owner_name, pet_name)."""

    sig_save = Signal(str, str)

    def __init__(self, chat: Chat, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Update Pet Details"))
        self.setMinimumWidth(400)
        self.owner = QLineEdit(chat.get("owner_name") or "")
        named(self.owner, self.tr("Owner name"))
        self.pet = QLineEdit(chat.get("pet_name") or "")
        named(self.pet, self.tr("Pet name"))
        self.message = wrapped_label()
        self.save = button(self.tr("Save"))
        self.save.setDefault(True)
        cancel = button(self.tr("Cancel"))
        form = QFormLayout(self)
        form.addRow(self.tr("Owner name"), self.owner)
        form.addRow(self.tr("Pet name"), self.pet)
        form.addRow(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.save)
        form.addRow(row)
        self.save.clicked.connect(self._save)
        cancel.clicked.connect(self.reject)

    def _save(self) -> None:
        owner, pet = self.owner.text().strip(), self.pet.text().strip()
        if not owner:
            say(self.message, self.tr("Enter the owner's name."), "error")
            self.owner.setFocus()
            return
        self.save.setEnabled(False)
        say(self.message, self.tr("Saving…"))
        self.sig_save.emit(owner, pet)

    def show_problem(self, text: str) -> None:
        self.save.setEnabled(True)
        say(self.message, text, "error")


class HandOffDialog(QDialog):
    """Signals: sig_hand_off(colleague id, note)."""

    sig_hand_off = Signal(int, str)

    def __init__(
        self, colleagues: list[Colleague], me_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hand off"))
        self.setMinimumWidth(420)
        self.colleague = QComboBox()
        named(self.colleague, self.tr("Colleague"))
        for person in colleagues:
            if person["id"] != me_id:
                self.colleague.addItem(person["name"], person["id"])
        self.note = QPlainTextEdit()
        named(self.note, self.tr("Note"))
        self.note.setPlaceholderText(self.tr("What should your colleague know? (internal)"))
        self.note.setFixedHeight(90)
        self.note.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.message = wrapped_label(
            self.tr("Hand-off notes are internal: the client never sees them.")
        )
        self.hand_off = button(self.tr("Hand off"))
        self.hand_off.setDefault(True)
        cancel = button(self.tr("Cancel"))
        form = QFormLayout(self)
        form.addRow(self.tr("Colleague"), self.colleague)
        form.addRow(self.tr("Note"), self.note)
        form.addRow(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(cancel)
        row.addWidget(self.hand_off)
        form.addRow(row)
        self.hand_off.clicked.connect(self._hand_off)
        cancel.clicked.connect(self.reject)
        if self.colleague.count() == 0:
            self.hand_off.setEnabled(False)
            say(self.message, self.tr("There is no colleague to hand off to."), "error")

    def _hand_off(self) -> None:
        note = self.note.toPlainText().strip()
        if not note:
            say(self.message, self.tr("Write a hand-off note for your colleague."), "error")
            self.note.setFocus()
            return
        self.hand_off.setEnabled(False)
        say(self.message, self.tr("Handing off…"))
        self.sig_hand_off.emit(int(self.colleague.currentData()), note)

    def show_problem(self, text: str) -> None:
        self.hand_off.setEnabled(True)
        say(self.message, text, "error")


class SignOutWords(QObject):
    """The sign-out question's words, translated in their own context (a plural needs a
    bound ``tr``)."""

    def title(self) -> str:
        return self.tr("Sign out")

    def question(self, pending: int) -> str:
        return self.tr(
            "%n message(s) or change(s) have not reached the server yet. Signing out deletes "
            "them from this computer. Sign out anyway?",
            "",
            pending,
        )


def ask_sign_out_with_pending(parent: QWidget, pending: int) -> bool:
    """Signing out with unsent items deletes them: the one question worth a dialog."""
    words = SignOutWords()
    answer = QMessageBox.question(
        parent,
        words.title(),
        words.question(pending),
        QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes
