"""Sign-in: "Email", "Password", "Sign in"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QWidget

from desktop.views.widgets import button, named, wrapped_label


class LoginDialog(QDialog):
    sig_sign_in = Signal(str, str)

    def __init__(self, server: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in to PetsApp"))
        self.email = QLineEdit()
        named(self.email, self.tr("Email"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        named(self.password, self.tr("Password"))
        self.message = wrapped_label(self.tr("Server: %s") % server)
        self.sign_in = button(self.tr("Sign in"))
        self.sign_in.setDefault(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Email"), self.email)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.message)
        form.addRow(self.sign_in)
        self.sign_in.clicked.connect(self._submit)

    def _submit(self) -> None:
        if not self.email.text().strip() or not self.password.text():
            self.message.setText(self.tr("Enter your email and password."))
            return
        self.sign_in.setEnabled(False)
        self.message.setText(self.tr("Signing in…"))
        self.sig_sign_in.emit(self.email.text().strip(), self.password.text())

    def show_problem(self, text: str) -> None:
        self.sign_in.setEnabled(True)
        self.message.setText(text or self.tr("Please sign in."))
