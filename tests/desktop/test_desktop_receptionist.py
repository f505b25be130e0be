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
from desktop.views.message_model import SenderRole, TimeRole
from desktop.views.new_chat_dialog import NewChatDialog
from desktop.views.queue_model import AssigneeRole, PreviewRole
from tests.desktop.ui import (
    by_label,
    is_visible,
    open_chat_texted_in,
    sign_in,
    trigger_menu_action,
)
from tests.support import text_in

GUEST = "+447400123456"


def _texted_chat(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> MainWindow:
    """Signed in, with the chat an owner texted into open."""
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, GUEST, "Is Rex ready?")
    return window


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
    window = _texted_chat(qtbot, demo, open_window)
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


def test_bubbles_say_current_names_and_one_time_per_burst_and_the_queue_keeps_the_assignee(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = _texted_chat(qtbot, demo, open_window)
    text_in(demo, GUEST, "He has been sneezing since Tuesday")
    model = window.chat_panel.model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=10_000)
    # A burst: the writer named once above it, its time once under it.
    assert [model.data(model.index(r), SenderRole) for r in range(2)] == ["Guest", ""]
    assert model.data(model.index(0), TimeRole) == ""
    assert model.data(model.index(1), TimeRole) != ""

    trigger_menu_action(qtbot, by_label(QToolButton, "More", window), "Update Pet Details")
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Owner name"), timeout=5_000)
    qtbot.keyClicks(by_label(QLineEdit, "Owner name"), "Priya Shah")
    qtbot.mouseClick(by_label(QPushButton, "Save"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Priya Shah" in window.chat_panel.title.text(), timeout=10_000)
    assert model.data(model.index(0), SenderRole) == "Priya Shah"  # the older bubble too
    assert model.data(model.index(1), Qt.ItemDataRole.AccessibleTextRole).startswith("Priya")

    # Who has the chat sits beside the time, never cut off by a long preview.
    trigger_menu_action(qtbot, by_label(QToolButton, "More", window), "Hand off")
    qtbot.waitUntil(lambda: is_visible(QPlainTextEdit, "Note"), timeout=5_000)
    qtbot.keyClicks(by_label(QPlainTextEdit, "Note"), "Owner wants a call back")
    qtbot.mouseClick(by_label(QPushButton, "Hand off"), Qt.MouseButton.LeftButton)
    queue = window.queue_model
    qtbot.waitUntil(lambda: queue.data(queue.index(0), AssigneeRole) == "Sam P.", timeout=10_000)
    assert "Sam" not in queue.data(queue.index(0), PreviewRole)


def test_the_window_keeps_every_control_whole_and_shows_only_usable_ones(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    assert (window.minimumWidth(), window.minimumHeight()) >= (900, 600)
    assert window.queue.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, GUEST, "Is Rex ready?")
    window.resize(900, 600)
    qtbot.wait(100)
    send = by_label(QPushButton, "Send", window)
    # SMS chats cannot carry files or payments: the buttons say so; the counter is whole.
    attach = by_label(QPushButton, "Attach file", window)
    assert not attach.isEnabled() and "MMS" in attach.toolTip()
    counter = window.chat_panel.counter
    assert counter.width() >= counter.sizeHint().width()
    assert send.geometry().right() <= send.parentWidget().width()


def test_a_petsapp_chat_shows_no_control_it_cannot_use_yet(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    qtbot.mouseClick(by_label(QPushButton, "New chat", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Phone number"), timeout=5_000)
    qtbot.keyClicks(by_label(QLineEdit, "Phone number"), "07400 123001")  # Jane Cooper
    qtbot.mouseClick(by_label(QPushButton, "Start"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_visible(QPushButton, "Start PetsApp chat"), timeout=10_000)
    qtbot.mouseClick(by_label(QPushButton, "Start PetsApp chat"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.chat_panel.chat is not None, timeout=10_000)
    assert window.chat_panel.chat["kind"] == "app"  # type: ignore[index]
    assert not is_visible(QPushButton, "Attach file")
    assert not is_visible(QPushButton, "Request payment")
    assert is_visible(QPushButton, "Send")


def test_reading_history_is_not_interrupted_and_the_newest_bubble_stays_whole(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = _texted_chat(qtbot, demo, open_window)
    panel = window.chat_panel
    for n in range(30):  # a long conversation
        text_in(demo, GUEST, f"Question {n} about Rex's diet and his tablets")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 31, timeout=20_000)
    bar = panel.messages.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=5_000)

    bar.setValue(bar.maximum() // 3)  # reading older messages
    reading = bar.value()
    text_in(demo, GUEST, "Are you still there?")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 32, timeout=10_000)
    qtbot.wait(100)
    assert bar.value() == reading  # not pulled down
    jump = by_label(QPushButton, "New messages", window)
    qtbot.mouseClick(jump, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=5_000)
    assert not jump.isVisible()

    # At the bottom, the opted-out banner appears above the list: the newest stays in view.
    text_in(demo, GUEST, "STOP")
    qtbot.waitUntil(lambda: panel.banner.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=5_000)
    newest = panel.model.index(panel.model.rowCount() - 1)
    assert panel.messages.visualRect(newest).bottom() <= panel.messages.viewport().height()


def test_a_message_copies_its_text_or_the_number_and_says_so(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = _texted_chat(qtbot, demo, open_window)
    panel = window.chat_panel
    qtbot.waitUntil(lambda: panel.messages.visualRect(panel.model.index(0)).height() > 0)
    first = panel.messages.visualRect(panel.model.index(0)).center()
    panel.messages.customContextMenuRequested.emit(first)  # a right-click on the bubble
    menu = panel.message_menu
    assert menu is not None
    assert [a.text() for a in menu.actions()] == ["Copy text", "Copy number"]
    menu.actions()[0].trigger()
    assert QApplication.clipboard().text() == "Is Rex ready?"
    assert window.notice.text() == "Message copied."
    menu.actions()[1].trigger()
    assert QApplication.clipboard().text() == "07400 123456"
    assert window.notice.text() == "Number copied."

    menu.close()

    # Ctrl+C on the bubble clicked last.
    QApplication.clipboard().clear()
    qtbot.mouseClick(panel.messages.viewport(), Qt.MouseButton.LeftButton, pos=first)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    panel.messages.setFocus()
    qtbot.keyClick(panel.messages, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "Is Rex ready?"


def test_new_chat_says_what_start_sends_where_and_waits_before_calling_a_number_wrong(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    qtbot.mouseClick(by_label(QPushButton, "New chat", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Phone number"), timeout=5_000)
    dialog = window.findChild(NewChatDialog)
    assert dialog is not None
    field = by_label(QLineEdit, "Phone number", dialog)

    qtbot.keyClicks(field, "07")  # still typing: not called wrong yet
    assert dialog.hint.text() == "Enter the client's mobile number."
    assert dialog.hint.property("level") == ""
    qtbot.waitUntil(lambda: dialog.hint.property("level") == "error", timeout=3_000)
    assert "not a valid" in dialog.hint.text()  # once typing paused

    field.clear()
    qtbot.keyClicks(field, "07400 123456")
    assert dialog.hint.text() == "Mobile number 07400 123456"
    assert not is_visible(QLabel, "Abroad")
    welcome = dialog.welcome.text()
    assert welcome.startswith("A number new to the clinic first gets this text:")
    assert "Hi, this is Riverside Vets." in welcome and "Reply STOP to opt out." in welcome

    field.clear()
    qtbot.keyClicks(field, "+1 202 555 0123")
    warning = by_label(QLabel, "Abroad", dialog)
    assert "a number in United States" in warning.text() and "abroad" in warning.text()
    assert warning.property("level") == "error"
    assert by_label(QPushButton, "Start", dialog).isEnabled()  # said, not forbidden


def test_form_errors_look_the_same_and_say_what_to_do(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = _texted_chat(qtbot, demo, open_window)
    trigger_menu_action(qtbot, by_label(QToolButton, "More", window), "Update Pet Details")
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Owner name"), timeout=5_000)
    qtbot.mouseClick(by_label(QPushButton, "Save"), Qt.MouseButton.LeftButton)
    details = by_label(QLineEdit, "Owner name").window()
    said = details.message  # type: ignore[attr-defined]
    assert said.text() == "Enter the owner's name." and said.property("level") == "error"
    details.close()

    trigger_menu_action(qtbot, by_label(QToolButton, "More", window), "Hand off")
    qtbot.waitUntil(lambda: is_visible(QPlainTextEdit, "Note"), timeout=5_000)
    qtbot.mouseClick(by_label(QPushButton, "Hand off"), Qt.MouseButton.LeftButton)
    hand_off = by_label(QPlainTextEdit, "Note").window()
    said = hand_off.message  # type: ignore[attr-defined]
    assert said.text() == "Write a hand-off note for your colleague."
    assert said.property("level") == "error"


def test_tab_goes_from_search_through_the_queue_to_message(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = _texted_chat(qtbot, demo, open_window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    search = by_label(QLineEdit, "Search", window)
    search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search, timeout=2_000)
    qtbot.keyClick(search, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.queue
    qtbot.keyClick(window.queue, Qt.Key.Key_Tab)
    editor = by_label(QPlainTextEdit, "Message", window)
    assert QApplication.focusWidget() is editor
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is by_label(QPushButton, "Send", window)
