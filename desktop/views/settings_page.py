"""Settings: for each clinic, its information, then its SMS number, then its magic link."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.services.records import Clinic, Me
from desktop.views.sms_request import show_request, sms_request_html
from desktop.views.widgets import bold, button, wrapped_label
from petsapp_common.sms import format_phone


class SettingsPage(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName(self.tr("Settings"))
        self._body = QWidget()
        self._layout = QVBoxLayout(self._body)
        self.setWidget(self._body)
        self.sign_out = button(self.tr("Sign out"))

    def show_me(self, me: Me) -> None:
        _clear(self._layout, keep=self.sign_out)
        clinics: list[Clinic] = me.get("clinics", [])
        for clinic in clinics:
            self._layout.addWidget(self._clinic_box(clinic, clinics, me.get("support_email", "")))
        staff = me.get("staff", {})
        who = QLabel(
            self.tr("Signed in as %s") % f"{staff.get('name', '')} <{staff.get('email', '')}>"
        )
        who.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout()
        row.addWidget(who, 1)
        row.addWidget(self.sign_out)
        self._layout.addLayout(row)
        self._layout.addStretch(1)

    def _clinic_box(self, clinic: Clinic, clinics: list[Clinic], support: str) -> QGroupBox:
        box = QGroupBox(clinic["name"])
        layout = QVBoxLayout(box)
        layout.addWidget(QLabel(bold(self.tr("Clinic information"))))
        layout.addWidget(wrapped_label(f"{clinic['address']}\n{clinic['phone']}"))
        layout.addWidget(QLabel(bold(self.tr("SMS number"))))
        if clinic.get("sms_enabled"):
            sms_number = cast(str, clinic["sms_number"])  # SMS enabled: the clinic has one
            number = QLabel(format_phone(sms_number, clinic.get("country") or "GB"))
            number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(number)
        else:
            request = wrapped_label(
                sms_request_html(
                    support,
                    clinics,
                    self.tr(
                        "SMS chat is off for this clinic. To set it up, email your request to "
                        "%1 and include all of the clinics you would like to enable SMS chat "
                        "with."
                    ),
                )
            )
            request.setObjectName("smsRequest")
            request.linkActivated.connect(lambda link: show_request(link, self))
            layout.addWidget(request)
        layout.addWidget(QLabel(bold(self.tr("Magic link"))))
        link_row = QHBoxLayout()
        link = QLabel(clinic["magic_link"])
        link.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = button(self.tr("Copy"))
        copy.setAccessibleName(self.tr("Copy magic link"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(clinic["magic_link"]))
        link_row.addWidget(link, 1)
        link_row.addWidget(copy)
        layout.addLayout(link_row)
        return box


def _clear(layout: QLayout, keep: QWidget) -> None:
    """Empty a layout, nested ones included, deleting every widget but ``keep``."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget, inner = item.widget(), item.layout()
        if inner is not None:
            _clear(inner, keep)
        elif widget is not None and widget is not keep:
            widget.deleteLater()
