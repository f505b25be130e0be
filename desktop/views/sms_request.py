"""The prepared e-mail that asks PetsApp to switch SMS chat on, as the help page says:
"email your request to [support] and include all of the clinics you would like to enable
SMS chat with". Shown on the Settings page and in "New chat" when SMS is off."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, quote, unquote, urlsplit

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.services.records import Clinic
from desktop.views.widgets import button, named


def sms_request_html(support_email: str, clinics: list[Clinic], lead: str) -> str:
    """``lead`` (plain text) then a "Write the request" mailto link whose e-mail lists the
    clinics that do not have SMS chat yet."""
    wanting = [c["name"] for c in clinics if not c.get("sms_enabled")] or [
        c["name"] for c in clinics
    ]
    names = "\n".join(f"- {name}" for name in wanting)
    ask = QCoreApplication.translate("SmsRequest", "Please enable SMS chat for these clinics:")
    body = quote(f"{ask}\n{names}\n")
    subject = quote(QCoreApplication.translate("SmsRequest", "SMS chat request"))
    link = f"mailto:{quote(support_email, safe='@.')}?subject={subject}&body={body}"
    return (
        html.escape(lead.replace("%1", support_email))
        + f' <a href="{html.escape(link)}">'
        + html.escape(QCoreApplication.translate("SmsRequest", "Write the request"))
        + "</a>"
    )


def show_request(link: str, parent: QWidget) -> SmsRequestDialog:
    """ "Write the request": the e-mail shown whole, with the address and the text to copy,
    and a button that hands it to the e-mail program (a practice PC may have none)."""
    dialog = SmsRequestDialog(link, parent)
    dialog.open()
    return dialog


class SmsRequestDialog(QDialog):
    def __init__(self, link: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Request SMS chat"))
        self._link = link
        parts = urlsplit(link)
        query = parse_qs(parts.query)
        self.address = unquote(parts.path)
        self.subject = query.get("subject", [""])[0]
        self.body = query.get("body", [""])[0]
        to = QLineEdit(self.address)
        to.setReadOnly(True)
        named(to, self.tr("To"))
        text = QPlainTextEdit(f"{self.subject}\n\n{self.body}")
        text.setReadOnly(True)
        named(text, self.tr("Request"))
        self.said = QLabel()
        self.said.setObjectName("phoneHint")
        copy_address = button(self.tr("Copy address"))
        copy_address.clicked.connect(lambda: self._copy(self.address, self.tr("Address copied.")))
        copy_text = button(self.tr("Copy text"))
        copy_text.clicked.connect(lambda: self._copy(self.body, self.tr("Text copied.")))
        mail = button(self.tr("Open in e-mail program"))
        mail.setDefault(True)
        mail.clicked.connect(self._open_mail)
        close = button(self.tr("Close"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(copy_address)
        row.addWidget(copy_text)
        row.addStretch(1)
        row.addWidget(mail)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Send this e-mail to PetsApp:")))
        layout.addWidget(to)
        layout.addWidget(text)
        layout.addWidget(self.said)
        layout.addLayout(row)

    def _copy(self, value: str, said: str) -> None:
        QGuiApplication.clipboard().setText(value)
        self.said.setText(said)

    def _open_mail(self) -> None:
        if QDesktopServices.openUrl(QUrl(self._link)):
            self.accept()
        else:
            self.said.setText(
                self.tr(
                    "No e-mail program opened on this computer: copy the address and the text "
                    "into your e-mail instead."
                )
            )
