"""Demo → "Text in as the client…": what the open chat's owner writes in, in one field."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from desktop.views.widgets import button, named, wrapped_label


class TextInDialog(QDialog):
    """Signals: sig_text(body) when "Text in" is pressed with something written."""

    sig_text = Signal(str)

    def __init__(self, owner: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Text in as the client"))
        self.setMinimumWidth(420)
        explain = wrapped_label(
            self.tr("What %1 writes to the clinic. It arrives as their message would.").replace(
                "%1", owner
            )
        )
        self.text = QLineEdit()
        named(self.text, self.tr("Text"))
        self.text.setPlaceholderText(self.tr("e.g. Can I bring Rex in this afternoon?"))
        self.send = button(self.tr("Text in"))
        self.send.setDefault(True)
        self.send.setEnabled(False)
        cancel = button(self.tr("Cancel"))
        buttons = QDialogButtonBox()
        buttons.addButton(self.send, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.text.textChanged.connect(lambda text: self.send.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self._send)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.text)
        layout.addWidget(buttons)

    def _send(self) -> None:
        body = self.text.text().strip()
        if body:
            self.sig_text.emit(body)
            self.accept()
