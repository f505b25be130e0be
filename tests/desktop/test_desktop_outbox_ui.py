"""What the outbox shows in the window: a refused message is flagged in its chat with the
reason, "Retry" and "Discard"; signing out with unsent items asks first, then wipes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QPushButton, QToolButton
from pytestqt.qtbot import QtBot

from backend.admin import enable_sms
from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from desktop.services.outbox_store import OutboxStore
from desktop.views.main_window import MainWindow
from tests.desktop.ui import (
    by_label,
    is_visible,
    look_in_cache,
    open_chat_texted_in,
    sign_in,
    texts,
)
from tests.support import CLINIC_SMS, sandbox_messages

GUEST = "+447400123456"


def _refused_message(qtbot: QtBot, demo: EmbeddedDemo, window: MainWindow) -> None:
    """The clinic's SMS is switched off while the chat is open: the next text is refused."""
    open_chat_texted_in(qtbot, demo, window, GUEST, "Hello")
    assert demo.database is not None
    with demo.database.write() as session:
        enable_sms(session, window.queue_model.chat_at(0)["clinic_id"], None)
    qtbot.keyClicks(by_label(QPlainTextEdit, "Message", window), "Are you still there?")
    qtbot.mouseClick(by_label(QPushButton, "Send", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_visible(QPushButton, "Retry"), timeout=10_000)


def test_a_refused_message_is_flagged_in_the_chat_and_can_be_discarded(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    _refused_message(qtbot, demo, window)
    panel = window.chat_panel
    last = panel.model.index(panel.model.rowCount() - 1)
    assert panel.model.data(last) == "Are you still there?"
    state = panel.model.data(last, Qt.ItemDataRole.ToolTipRole)
    assert state.startswith("Failed") and "no longer enabled" in state
    # The ways on sit under the failed bubble itself, inside its row of the list.
    retry = by_label(QPushButton, "Retry", window)
    row = panel.messages.visualRect(last)
    where = retry.mapTo(panel.messages.viewport(), retry.rect().center())
    assert row.contains(where)
    assert "1 pending" in window.connection.text()

    qtbot.mouseClick(by_label(QPushButton, "Discard", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Are you still there?" not in texts(panel.model), timeout=5_000)
    qtbot.waitUntil(lambda: not is_visible(QPushButton, "Retry"), timeout=5_000)
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
    assert "not reached the server" in asked[0]  # "1 message ... has" with the English .qm
    assert window.queue_model.rowCount() == 1  # cancelled: nothing changed

    QTimer.singleShot(200, lambda: answer(QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(by_label(QPushButton, "Sign out", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_visible(QPushButton, "Sign in"), timeout=10_000)
    assert window.queue_model.rowCount() == 0
    cache = look_in_cache(window.app.workspace)
    assert cache.chats() == [] and cache.get("me") is None
    # Nor does the unsent message wait to go out under the next person's name.
    assert OutboxStore(cache).count() == 0


def test_retry_sends_a_refused_message_once_the_cause_is_fixed(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    _refused_message(qtbot, demo, window)
    assert demo.database is not None
    with demo.database.write() as session:  # the practice has SMS switched back on
        enable_sms(session, window.queue_model.chat_at(0)["clinic_id"], CLINIC_SMS)

    qtbot.mouseClick(by_label(QPushButton, "Retry", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not is_visible(QPushButton, "Retry"), timeout=10_000)
    model = window.chat_panel.model
    last = model.index(model.rowCount() - 1)
    assert model.data(last) == "Are you still there?"
    qtbot.waitUntil(
        lambda: model.data(last, Qt.ItemDataRole.ToolTipRole) in {"Sent", "Delivered"},
        timeout=10_000,
    )
    bodies = [m["body"] for m in sandbox_messages(demo, GUEST)]
    assert bodies.count("Are you still there?") == 1
    qtbot.waitUntil(lambda: window.connection.text() == "Online", timeout=5_000)


def test_messages_sent_in_quick_succession_reach_the_client_in_that_order(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, GUEST, "Hello")
    editor = by_label(QPlainTextEdit, "Message", window)
    send = by_label(QPushButton, "Send", window)
    sent = [f"part {n} of 12" for n in range(1, 13)]
    for body in sent:  # as fast as a person pasting and clicking can
        editor.setPlainText(body)
        qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: [m["body"] for m in sandbox_messages(demo, GUEST)][-12:] == sent, timeout=15_000
    )
    model = window.chat_panel.model
    qtbot.waitUntil(lambda: texts(model)[-12:] == sent, timeout=5_000)
