"""A receptionist at the keyboard, in the real window by label: a chat started from
Settings is shown with the cursor in Message, and the counter says plainly how a text goes
and when it is too long."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
)
from pytestqt.qtbot import QtBot

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from desktop.views.main_window import MainWindow
from desktop.views.new_chat_dialog import NewChatDialog
from tests.desktop.ui import by_label, is_visible, open_chat_texted_in, sign_in


def test_ctrl_n_on_settings_shows_the_started_chat_with_the_cursor_in_message(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    qtbot.mouseClick(by_label(QToolButton, "Settings", window), Qt.MouseButton.LeftButton)
    assert window.settings_page.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Phone number"), timeout=5_000)
    dialog = window.findChild(NewChatDialog)
    assert dialog is not None
    qtbot.keyClicks(by_label(QLineEdit, "Phone number", dialog), "07400 123456")
    qtbot.mouseClick(by_label(QPushButton, "Start", dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.chat_panel.chat is not None, timeout=10_000)
    editor = by_label(QPlainTextEdit, "Message", window)  # visible: the Chat page is shown
    assert not window.settings_page.isVisible()
    assert by_label(QToolButton, "Chat", window).isChecked()
    # The window's keyboard focus is in Message (offscreen, no window is active once the
    # dialog has gone: activated again, as a desktop does, the cursor is there).
    qtbot.waitUntil(lambda: window.focusWidget() is editor, timeout=2_000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    assert QApplication.focusWidget() is editor


def test_the_counter_says_how_a_text_goes_and_how_far_over_the_limit_it_is(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, "+447400123456", "Is Rex ready?")
    editor = by_label(QPlainTextEdit, "Message", window)
    counter = window.chat_panel.counter
    send = by_label(QPushButton, "Send", window)
    assert "Ctrl+Enter to send" in editor.placeholderText()

    editor.setPlainText("Rex is ready")
    assert counter.text() == "148 characters left in one text"
    editor.setPlainText("x" * 200)
    assert counter.text() == "Goes as 2 texts · 106 characters left in the last"
    editor.setPlainText("Rex is ready 🐶")
    assert counter.text().endswith("shorter texts (emoji or symbols)")
    assert "70 characters instead of 160" in counter.toolTip()

    editor.setPlainText("x" * 1_650)
    assert counter.text() == "50 characters over the 1,600 limit"
    assert counter.property("level") == "error"
    assert not send.isEnabled() and "1,600" in send.toolTip()
    editor.setPlainText("x" * 1_600)
    assert send.isEnabled() and counter.property("level") == ""
    assert isinstance(counter, QLabel)
