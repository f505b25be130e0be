""" "More" → "Update Pet Details", "Hand off", "Close chat" / "Reopen chat", and the header of
a chat whose client registered, by visible label, on the real backend."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QPushButton, QToolButton
from pytestqt.qtbot import QtBot

from backend.admin import add_owner
from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from backend.models import Staff
from desktop.views.main_window import MainWindow
from desktop.views.message_model import MessageRole
from tests.desktop.ui import (
    by_label,
    is_visible,
    open_chat_texted_in,
    sign_in,
    texts,
    trigger_menu_action,
)
from tests.support import BackendClient, sandbox_messages

GUEST = "+447400123777"


def test_update_pet_details_names_a_guest_chat(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, GUEST, "Hello, it's about my dog")
    assert texts(window.queue_model) == ["Guest · 07400 123777"]

    trigger_menu_action(qtbot, by_label(QToolButton, "More", window), "Update Pet Details")
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Owner name"), timeout=5_000)
    qtbot.keyClicks(by_label(QLineEdit, "Owner name"), "Priya Shah")
    qtbot.keyClicks(by_label(QLineEdit, "Pet name"), "Rex")
    qtbot.mouseClick(by_label(QPushButton, "Save"), Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: texts(window.queue_model) == ["Rex · Priya Shah"], timeout=10_000)
    assert window.chat_panel.title.text() == "Rex · Priya Shah"
    assert not is_visible(QLineEdit, "Owner name")  # the dialog closed


def test_hand_off_keeps_the_chat_open_with_assignee_and_internal_note(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, GUEST, "Hello, it's about my dog")

    trigger_menu_action(qtbot, by_label(QToolButton, "More", window), "Hand off")
    qtbot.waitUntil(lambda: is_visible(QComboBox, "Colleague"), timeout=5_000)
    colleague = by_label(QComboBox, "Colleague")
    assert [colleague.itemText(i) for i in range(colleague.count())] == ["Sam Patel"]
    qtbot.mouseClick(by_label(QPushButton, "Hand off"), Qt.MouseButton.LeftButton)
    assert is_visible(QPlainTextEdit, "Note")  # a note is required; nothing was sent
    qtbot.keyClicks(by_label(QPlainTextEdit, "Note"), "Owner wants a call back about meds")
    qtbot.mouseClick(by_label(QPushButton, "Hand off"), Qt.MouseButton.LeftButton)

    panel = window.chat_panel
    qtbot.waitUntil(lambda: "Assigned to Sam Patel" in panel.subtitle.text(), timeout=10_000)
    model = panel.model
    qtbot.waitUntil(lambda: any("call back about meds" in t for t in texts(model)), timeout=10_000)
    note = next(
        model.data(model.index(r), MessageRole)
        for r in range(model.rowCount())
        if "call back" in model.data(model.index(r))
    )
    assert note["direction"] == "internal"
    assert all("call back" not in m["body"] for m in sandbox_messages(demo, GUEST))
    sam = BackendClient(demo).sign_in("sam@riverside.example")
    chats = [c["data"] for c in sam.sync()["changes"] if c["type"] == "chat"]
    assert chats[-1]["assignee_id"] == next(
        c["id"] for c in window.app.workspace.me["colleagues"] if c["name"] == "Sam Patel"
    )


def _menu_entries(window: MainWindow) -> list[str]:
    menu = by_label(QToolButton, "More", window).menu()
    return [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]


def test_close_chat_then_reopen_chat(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, GUEST, "Thanks, all sorted")
    panel = window.chat_panel
    assert _menu_entries(window) == ["Update Pet Details", "Hand off", "Close chat"]

    trigger_menu_action(qtbot, by_label(QToolButton, "More", window), "Close chat")
    qtbot.waitUntil(lambda: panel.subtitle.text().endswith("Closed"), timeout=10_000)
    assert _menu_entries(window) == ["Update Pet Details", "Hand off", "Reopen chat"]
    editor = by_label(QPlainTextEdit, "Message", window)
    assert editor.placeholderText() == "This chat is closed. Sending a message reopens it."
    alex = BackendClient(demo).sign_in(DEMO_EMAIL)
    chat_id = panel.chat["id"]
    assert alex.chat(chat_id)["status"] == "closed"

    trigger_menu_action(qtbot, by_label(QToolButton, "More", window), "Reopen chat")
    qtbot.waitUntil(lambda: not panel.subtitle.text().endswith("Closed"), timeout=10_000)
    assert "Close chat" in _menu_entries(window)
    assert alex.chat(chat_id)["status"] == "open"


def test_a_chat_whose_client_registers_says_it_can_continue_in_the_app(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, GUEST, "Is Rex's prescription ready?")
    panel = window.chat_panel
    assert not panel.continue_notice.isVisible()

    assert demo.database is not None
    with demo.database.write() as session:  # the owner downloads PetsApp and registers
        group_id = session.get_one(Staff, window.app.workspace.me["staff"]["id"]).group_id
        add_owner(session, group_id, "Priya Shah", GUEST, [("Rex", "dog")])

    qtbot.waitUntil(lambda: panel.continue_notice.isVisible(), timeout=10_000)
    assert panel.continue_notice.text().startswith("Priya Shah now uses the PetsApp app")
    assert window.chat_panel.title.text() == "Rex · Priya Shah"
    assert panel.sms_notice.isVisible()  # still an SMS chat until they continue in the app
