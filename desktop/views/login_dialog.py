"""Sign-in: "Server", "Email", "Password", "Sign in" — or "Try the demo"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLineEdit, QWidget

from desktop.services.server_url import ServerUrlError, normalise_server_url
from desktop.views.widgets import button, named, wrapped_label


class LoginDialog(QDialog):
    """Signals: sig_sign_in(server, email, password), the server address normalised;
    sig_try_demo(). The caller answers with :meth:`show_problem`, or closes the dialog."""

    sig_sign_in = Signal(str, str, str)
    sig_try_demo = Signal()

    def __init__(self, server: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in to PetsApp"))
        self.setMinimumWidth(460)
        self.server = QLineEdit(server)
        named(self.server, self.tr("Server"))
        self.server.setPlaceholderText(self.tr("e.g. https://petsapp.example"))
        self.email = QLineEdit()
        named(self.email, self.tr("Email"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        named(self.password, self.tr("Password"))
        self.message = wrapped_label(
            ""
            if server
            else self.tr(
                "Welcome to PetsApp. Enter your PetsApp server's address (your practice's IT "
                "team has it), your email and your password — or try the demo first."
            )
        )
        self.sign_in = button(self.tr("Sign in"))
        self.sign_in.setDefault(True)
        self.try_demo = button(self.tr("Try the demo"))
        self.try_demo.setToolTip(
            self.tr("A demo clinic on this computer, with a stand-in for text messages")
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.try_demo)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_in)
        form = QFormLayout(self)
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("Email"), self.email)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.message)
        form.addRow(buttons)
        (self.email if server else self.server).setFocus()
        self.sign_in.clicked.connect(self._submit)
        self.try_demo.clicked.connect(self._demo)

    def server_problem(self) -> str:
        """What is wrong with the typed server address, in plain words; "" if nothing."""
        try:
            normalise_server_url(self.server.text())
        except ServerUrlError as exc:
            return {
                "empty": self.tr(
                    "Enter your PetsApp server's address, e.g. https://petsapp.example "
                    "(your practice's IT team has it)."
                ),
                "scheme": self.tr(
                    "The server address must start with https:// (or http://), "
                    "e.g. https://petsapp.example."
                ),
            }.get(
                exc.reason,
                self.tr("That is not a server address. It looks like https://petsapp.example."),
            )
        return ""

    def _submit(self) -> None:
        problem = self.server_problem()
        if problem:
            self.message.setText(problem)
            self.server.setFocus()
            return
        if not self.email.text().strip() or not self.password.text():
            self.message.setText(self.tr("Enter your email and password."))
            return
        server = normalise_server_url(self.server.text())
        self.server.setText(server)
        self.show_busy(self.tr("Signing in to %s…") % server)
        self.sig_sign_in.emit(server, self.email.text().strip(), self.password.text())

    def _demo(self) -> None:
        self.show_busy(self.tr("Starting the demo…"))
        self.sig_try_demo.emit()

    def show_busy(self, text: str) -> None:
        self.sign_in.setEnabled(False)
        self.try_demo.setEnabled(False)
        self.message.setText(text)

    def show_problem(self, text: str) -> None:
        self.sign_in.setEnabled(True)
        self.try_demo.setEnabled(True)
        self.message.setText(text or self.tr("Please sign in."))
