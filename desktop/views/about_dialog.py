"""Help → "About PetsApp Desktop": what support asks for on the phone, each line selectable,
and "Copy details" to paste it into an email. The values come from the caller (no I/O here).
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from desktop.views.widgets import bold, button, named


class AboutDialog(QDialog):
    def __init__(
        self,
        version: str,
        server: str,
        data_dir: str,
        log_dir: str,
        system: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About PetsApp Desktop"))
        self.setAccessibleName(self.tr("About PetsApp Desktop"))
        self.setMinimumWidth(560)
        rows = [
            (self.tr("Version"), version or self.tr("unknown")),
            (self.tr("Server"), server or self.tr("not connected")),
            (self.tr("Data folder"), data_dir),
            (self.tr("Log folder"), log_dir),
        ]
        if system:
            rows.append((self.tr("System"), system))
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        form.addRow(QLabel(bold(self.tr("PetsApp Desktop"))))
        for label, value in rows:
            field = QLineEdit(value)  # read-only: selectable and copyable, not editable
            field.setReadOnly(True)
            field.setCursorPosition(0)
            named(field, label)
            form.addRow(label, field)
            self.fields[label] = field
        self.copy = button(self.tr("Copy details"))
        self.copy.setToolTip(self.tr("Copy these details, to paste them for PetsApp support"))
        self.close_button = button(self.tr("Close"))
        self.close_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        form.addRow(buttons)
        self.copy.clicked.connect(self._copy)
        self.close_button.clicked.connect(self.accept)

    def details(self) -> str:
        lines = [f"{label}: {field.text()}" for label, field in self.fields.items()]
        return "\n".join([self.tr("PetsApp Desktop"), *lines])

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details())
