""" "New chat": a phone number → "Start" (an SMS chat from the clinic's own number)."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from desktop.services.records import Clinic, Owner
from desktop.views.sms_request import show_request, sms_request_html
from desktop.views.widgets import button, named, say, wrapped_label
from petsapp_common.phones import abroad
from petsapp_common.sms import WELCOME_TEMPLATE, PhoneNumberError, format_phone, normalise_phone

TYPING_PAUSE_MS = 800
LONG_ENOUGH_DIGITS = 11  # a UK mobile typed in full (07400 123456): judged at once


class NewChatDialog(QDialog):
    """Signals: sig_start(clinic_id, phone as E.164). The caller answers with
    :meth:`show_refusal` or closes the dialog when the chat is open."""

    sig_start = Signal(int, str)
    sig_start_app = Signal(int, int)  # clinic id, registered owner id

    def __init__(
        self,
        clinics: list[Clinic],
        support_email: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New chat"))
        self.setAccessibleName(self.tr("New chat"))
        self._clinics = [c for c in clinics if c.get("sms_enabled")]
        self._e164: str | None = None

        self.clinic = QComboBox()
        named(self.clinic, self.tr("Clinic"))
        for clinic in self._clinics:
            self.clinic.addItem(clinic["name"], clinic["id"])
        self.phone = QLineEdit()
        named(self.phone, self.tr("Phone number"))
        self.phone.setPlaceholderText(self.tr("e.g. 07700 900123"))
        # Formatting beside the field, never inside it: rewriting a field as it is typed
        # fights the cursor and garbles fast typing.
        self.hint = wrapped_label()
        self.hint.setObjectName("phoneHint")
        # A number in another country than the clinic's: said before anything is sent.
        self.abroad = wrapped_label()
        named(self.abroad, self.tr("Abroad"))
        self.abroad.hide()
        # What Start sends first: the clinic's welcome text, word for word.
        self.welcome = wrapped_label()
        self.welcome.setObjectName("phoneHint")
        # An unfinished number is not an error yet: said once typing pauses or it is long.
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(lambda: self._check(finished=True))
        self.start = button(self.tr("Start"))
        self.start.setDefault(True)
        self.cancel = button(self.tr("Cancel"))
        # Offered when the number belongs to an owner registered with the group.
        self.start_app = button(self.tr("Start PetsApp chat"))
        self.start_app.hide()
        self._owner_id: int | None = None

        form = QFormLayout(self)
        self.setMinimumWidth(460)
        if len(self._clinics) > 1:
            form.addRow(self.tr("Clinic"), self.clinic)
        form.addRow(self.tr("Phone number"), self.phone)
        form.addRow("", self.hint)
        form.addRow("", self.abroad)
        form.addRow("", self.welcome)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.start_app)
        buttons.addWidget(self.start)
        form.addRow(buttons)

        self.phone.textChanged.connect(lambda _text: self._check())
        self.clinic.currentIndexChanged.connect(lambda _index: self._check(finished=True))
        self.start.clicked.connect(self._start)
        self.start_app.clicked.connect(self._start_app)
        self.cancel.clicked.connect(self.reject)
        if not self._clinics:
            # Said where the user is, with the request ready to send (the help page's words).
            self.phone.setEnabled(False)
            self.hint.setTextFormat(Qt.TextFormat.RichText)
            self.hint.linkActivated.connect(lambda link: show_request(link, self))
            self.hint.setText(
                sms_request_html(
                    support_email,
                    clinics,
                    self.tr(
                        "SMS chat is not enabled for your clinics yet. To get set up, email "
                        "your request to %1 and include all of the clinics you would like to "
                        "enable SMS chat with."
                    ),
                )
            )
        self._check()

    def _region(self) -> str:
        if not self._clinics:
            return "GB"
        return str(self._clinics[self.clinic.currentIndex()].get("country") or "GB")

    def _check(self, finished: bool = False) -> None:
        text = self.phone.text()
        self._e164 = None
        self._owner_id = None
        self.start_app.hide()
        self.abroad.hide()
        self.welcome.hide()
        self._pause.stop()
        if self._clinics and text.strip():
            try:
                self._e164 = normalise_phone(text, self._region())
            except PhoneNumberError as exc:
                digits = sum(ch.isdigit() for ch in text)
                if finished or digits >= LONG_ENOUGH_DIGITS:
                    say(self.hint, str(exc), "error")
                else:
                    say(self.hint, self.tr("Enter the client's mobile number."))
                    self._pause.start()
            else:
                shown = format_phone(self._e164, self._region())
                say(self.hint, self.tr("Mobile number %s") % shown)
                self._say_where_it_goes(self._e164)
        elif self._clinics:
            say(self.hint, self.tr("Enter the client's mobile number."))
        self.start.setEnabled(self._e164 is not None)
        self.adjustSize()  # grow with the reason instead of cutting it off

    def _say_where_it_goes(self, e164: str) -> None:
        """A number abroad is named with its country; the welcome text is shown as sent."""
        code = abroad(e164, self._region())
        if code:
            country = QLocale.territoryToString(QLocale.codeToTerritory(code)) or code
            say(
                self.abroad,
                self.tr(
                    "This is a number in %1: the texts go abroad, and the clinic's provider "
                    "may charge more for them."
                ).replace("%1", country),
                "error",
            )
            self.abroad.show()
        clinic = self._clinics[self.clinic.currentIndex()]
        self.welcome.setText(
            self.tr("A number new to the clinic first gets this text: “%1”").replace(
                "%1", WELCOME_TEMPLATE.format(clinic=clinic["name"])
            )
        )
        self.welcome.show()

    def _start(self) -> None:
        if self._e164 is None:
            return
        self.start.setEnabled(False)
        say(self.hint, self.tr("Starting the chat…"))
        self.sig_start.emit(int(self.clinic.currentData()), self._e164)

    def _start_app(self) -> None:
        if self._owner_id is None:
            return
        self.start_app.setEnabled(False)
        self.hint.setText(self.tr("Starting the PetsApp chat…"))
        self.sig_start_app.emit(int(self.clinic.currentData()), self._owner_id)

    def show_registered_owner(self, owner: Owner) -> None:
        """The number is a PetsApp user of this group: no SMS chat; offer the app chat."""
        self._owner_id = int(owner["id"])
        self.welcome.hide()  # no text goes: the chat is in the app
        self.abroad.hide()
        pets = ", ".join(pet["name"] for pet in owner.get("pets", []))
        self.hint.setText(
            self.tr(
                "%1 already uses PetsApp with your group%2. Chat with them in the app "
                "instead of by SMS."
            )
            .replace("%1", owner["name"])
            .replace("%2", f" ({pets})" if pets else "")
        )
        self.start.setEnabled(False)
        self.start_app.setEnabled(True)
        self.start_app.show()
        self.start_app.setDefault(True)
        self.adjustSize()

    def show_refusal(self, message: str) -> None:
        say(self.hint, message, "error")
        self.start.setEnabled(self._e164 is not None)
        self.adjustSize()
