"""What the outbox shows in the window: a refused message is flagged in its chat with the
reason, "Retry" and "Discard"; signing out with unsent items asks first, then wipes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QPushButton, QToolButton
from pytestqt.qtbot import QtBot

from backend.admin import enable_sms
from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from desktop.views.main_window import MainWindow
from tests.desktop.ui import by_label, is_visible, open_chat_texted_in, sign_in, texts

GUEST = "+447400123456"


def _refused_message(qtbot: QtBot, demo: EmbeddedDemo, window: MainWindow) -> None:
    """The clinic's SMS is switched off while the chat is open: the next text is refused."""
    open_chat_texted_in(qtbot, demo, window, GUEST, "Hello")
    assert demo.database is not None
    with demo.database.write() as session:
        enable_sms(session, window.queue_model.chat_at(0)["clinic_id"], None)
    qtbot.keyClicks(by_label(QPlainTextEdit, "Message", window), "Are you still there?")
    qtbot.mouseClick(by_label(QPushButton, "Send", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.chat_panel.unsent.isVisible(), timeout=10_000)


def test_a_refused_message_is_flagged_in_the_chat_and_can_be_discarded(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    _refused_message(qtbot, demo, window)
    panel = window.chat_panel
    assert "no longer enabled" in panel.unsent_text.text()
    assert "Are you still there?" in panel.unsent_text.text()
    assert by_label(QPushButton, "Retry", window).isVisible()
    assert "Failed" in panel.model.data(
        panel.model.index(panel.model.rowCount() - 1), Qt.ItemDataRole.ToolTipRole
    )
    assert "1 pending" in window.connection.text()

    qtbot.mouseClick(by_label(QPushButton, "Discard", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Are you still there?" not in texts(panel.model), timeout=5_000)
    assert not panel.unsent.isVisible()
    qtbot.waitUntil(lambda: window.connection.text() == "Online", timeout=5_000)


def test_signing_out_with_unsent_items_asks_first_then_wipes(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    _refused_message(qtbot, demo, window)
    qtbot.mouseClick(by_label(QToolButton, "Settings", window), Qt.MouseButton.LeftButton)
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(button).click()

    QTimer.singleShot(200, lambda: answer(QMessageBox.StandardButton.Cancel))
    qtbot.mouseClick(by_label(QPushButton, "Sign out", window), Qt.MouseButton.LeftButton)
    assert "have not reached the server" in asked[0]
    assert window.queue_model.rowCount() == 1  # cancelled: nothing changed

    QTimer.singleShot(200, lambda: answer(QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(by_label(QPushButton, "Sign out", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_visible(QPushButton, "Sign in"), timeout=10_000)
    assert window.queue_model.rowCount() == 0
    cache = window.app.workspace._cache
    assert cache.chats() == [] and cache.get("me") is None
