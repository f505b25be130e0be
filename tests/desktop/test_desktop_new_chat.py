""" "New chat" cases by visible label, against the real backend."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import unquote

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from backend.admin import enable_sms
from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from backend.models import Clinic
from desktop.views.main_window import MainWindow
from desktop.views.new_chat_dialog import NewChatDialog
from desktop.views.sms_request import SmsRequestDialog
from tests.desktop.ui import by_label, is_visible, sign_in, texts
from tests.support import sandbox_messages, text_in


def _new_chat(qtbot: QtBot, window: MainWindow, number: str) -> NewChatDialog:
    qtbot.mouseClick(by_label(QPushButton, "New chat", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Phone number"), timeout=5_000)
    dialog = window.findChild(NewChatDialog)
    assert dialog is not None
    qtbot.keyClicks(by_label(QLineEdit, "Phone number", dialog), number)
    return dialog


def test_a_registered_owner_is_offered_a_petsapp_chat_instead(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    dialog = _new_chat(qtbot, window, "07400 123001")
    qtbot.mouseClick(by_label(QPushButton, "Start", dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_visible(QPushButton, "Start PetsApp chat"), timeout=10_000)
    hint = dialog.findChild(QLabel, "phoneHint")
    assert "Jane Cooper already uses PetsApp" in hint.text()
    assert not dialog.welcome.isVisible()  # nothing is texted to a PetsApp user
    assert not by_label(QPushButton, "Start", dialog).isEnabled()
    qtbot.mouseClick(by_label(QPushButton, "Start PetsApp chat"), Qt.MouseButton.LeftButton)

    panel = window.chat_panel
    qtbot.waitUntil(lambda: panel.chat is not None and panel.chat["kind"] == "app", timeout=10_000)
    assert not panel.sms_notice.isVisible()
    assert texts(window.queue_model) == ["Bella · Jane Cooper"]
    assert sandbox_messages(demo, "+447400123001") == []  # no SMS, no welcome text


def test_a_number_that_is_not_a_mobile_is_explained_and_cannot_start(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    dialog = _new_chat(qtbot, window, "020 7946 0000")
    hint = dialog.findChild(QLabel, "phoneHint")
    assert "landline" in hint.text()
    assert not by_label(QPushButton, "Start", dialog).isEnabled()
    by_label(QLineEdit, "Phone number", dialog).clear()
    qtbot.keyClicks(by_label(QLineEdit, "Phone number", dialog), "+44 7400 123456")
    assert hint.text() == "Mobile number 07400 123456"
    assert by_label(QPushButton, "Start", dialog).isEnabled()


def _clinic_ids(demo: EmbeddedDemo) -> tuple[int, int]:
    """The demo group's clinic with SMS, and the one without."""
    assert demo.database is not None
    with demo.database.read() as session:
        clinics = session.scalars(select(Clinic).order_by(Clinic.id)).all()
        with_sms = next(c.id for c in clinics if c.sms_number)
        without = next(
            c.id for c in clinics if not c.sms_number and c.group_id == clinics[0].group_id
        )
    return with_sms, without


def test_with_sms_off_the_dialog_says_how_to_request_it(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    with_sms, _without = _clinic_ids(demo)
    assert demo.database is not None
    with demo.database.write() as session:
        enable_sms(session, with_sms, None)
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    qtbot.mouseClick(by_label(QPushButton, "New chat", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Phone number"), timeout=5_000)
    dialog = window.findChild(NewChatDialog)
    assert dialog is not None
    hint = dialog.findChild(QLabel, "phoneHint")
    support = window.app.workspace.me["support_email"]
    assert "SMS chat is not enabled for your clinics yet" in hint.text()
    assert f"email your request to {support}" in hint.text()
    link = re.search(r'href="([^"]+)"', hint.text())
    assert link is not None and link.group(1).startswith(f"mailto:{support}?")
    request = unquote(html.unescape(link.group(1)))
    for clinic in window.app.workspace.me["clinics"]:
        assert f"- {clinic['name']}" in request
    assert not by_label(QLineEdit, "Phone number", dialog).isEnabled()
    assert not by_label(QPushButton, "Start", dialog).isEnabled()

    # "Write the request" shows the e-mail whole, to copy on a PC with no mail program.
    hint.linkActivated.emit(html.unescape(link.group(1)))  # as a click hands it over
    qtbot.waitUntil(lambda: is_visible(QPushButton, "Copy text"), timeout=5_000)
    assert by_label(QLineEdit, "To").text() == support
    assert (
        "Please enable SMS chat for these clinics"
        in by_label(QPlainTextEdit, "Request").toPlainText()
    )
    qtbot.mouseClick(by_label(QPushButton, "Copy text"), Qt.MouseButton.LeftButton)
    assert "Please enable SMS chat" in QApplication.clipboard().text()
    request_dialog = by_label(QPushButton, "Copy text").window()
    assert isinstance(request_dialog, SmsRequestDialog)
    assert request_dialog.said.text() == "Text copied."
    qtbot.mouseClick(by_label(QPushButton, "Copy address"), Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == support
    assert request_dialog.said.text() == "Address copied."
    assert is_visible(QPushButton, "Open in e-mail program")


def test_with_several_sms_clinics_the_user_picks_the_one_to_text_from(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    _with_sms, without = _clinic_ids(demo)
    assert demo.database is not None
    with demo.database.write() as session:
        enable_sms(session, without, "+447700900600")
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    dialog = _new_chat(qtbot, window, "07400 123456")
    clinic = by_label(QComboBox, "Clinic", dialog)
    names = [clinic.itemText(i) for i in range(clinic.count())]
    assert len(names) == 2
    clinic.setCurrentIndex(clinic.findData(without))
    qtbot.mouseClick(by_label(QPushButton, "Start", dialog), Qt.MouseButton.LeftButton)
    panel = window.chat_panel
    qtbot.waitUntil(lambda: panel.chat is not None, timeout=10_000)
    assert panel.chat["clinic_id"] == without
    qtbot.waitUntil(lambda: bool(sandbox_messages(demo, "+447400123456")), timeout=10_000)
    assert sandbox_messages(demo, "+447400123456")[0]["from"] == "+447700900600"


def test_a_number_with_an_open_chat_opens_that_chat(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    text_in(demo, "+447400123456", "Hi, it's Priya about Rex")
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 1, timeout=10_000)
    existing = window.queue_model.chat_at(0)["id"]

    dialog = _new_chat(qtbot, window, "07400 123456")
    qtbot.mouseClick(by_label(QPushButton, "Start", dialog), Qt.MouseButton.LeftButton)
    panel = window.chat_panel
    qtbot.waitUntil(lambda: panel.chat is not None, timeout=10_000)
    assert panel.chat["id"] == existing
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: "Hi, it's Priya about Rex" in texts(panel.model), timeout=5_000)
    assert window.queue_model.rowCount() == 1
