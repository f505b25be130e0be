""" "New chat" cases by visible label, against the real backend."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from desktop.views.main_window import MainWindow
from desktop.views.new_chat_dialog import NewChatDialog
from tests.desktop.ui import by_label, is_visible, sign_in, texts
from tests.support import sandbox_messages


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
    assert hint.text() == "Texts go to 07400 123456"
    assert by_label(QPushButton, "Start", dialog).isEnabled()
