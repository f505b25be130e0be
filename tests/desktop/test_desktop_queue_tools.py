"""The queue's tools by visible label, on the real backend: the filters ("All", "Mine",
"Unassigned", "Closed", "Clinic"), "Search" (online and with the backend stopped), the
keyboard's way through the queue, and "Mark as unread" (kept across a restart)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from desktop.views.main_window import MainWindow
from desktop.views.queue_model import UnreadRole
from tests.desktop.ui import by_label, look_in_cache, sign_in, texts
from tests.support import OWNER_JANE, BackendClient, text_in

SAM = "sam@riverside.example"
ALT = Qt.KeyboardModifier.AltModifier
ALT_SHIFT = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier

# The chats of the demo group, made through the API (see _make_chats).
UNASSIGNED = "Guest · 07400 123401"  # an owner texted in: nobody has it yet
ALEXS = "Guest · 07400 123402"  # started by Alex: Alex's
SAMS = "Guest · 07400 123403"  # started by Alex, handed off to Sam
CLOSED = "Guest · 07400 123404"  # started by Alex, then closed
HILLSIDE = "Bella · Jane Cooper"  # a PetsApp chat at Hillside Animal Clinic, Alex's


def _make_chats(demo: EmbeddedDemo) -> tuple[BackendClient, int]:
    """Alex's client, and the id of Alex's SMS chat."""
    alex = BackendClient(demo).sign_in(DEMO_EMAIL)
    sam = BackendClient(demo).sign_in(SAM)
    text_in(demo, "+447400123401", "Is the vaccination booked?")
    alexs = alex.start_sms_chat("07400 123402").json()["chat"]
    assert alex.send(alexs["id"], "Your invoice is ready", "inv-1").status_code == 201
    sams = alex.start_sms_chat("07400 123403").json()["chat"]
    handed = alex.call(
        "POST",
        f"/api/v1/chats/{sams['id']}/handoff",
        json={"to_staff_id": sam.me["staff"]["id"], "note": "Can you take this?"},
    )
    assert handed.status_code == 200, handed.text
    closed = alex.start_sms_chat("07400 123404").json()["chat"]
    assert alex.call("POST", f"/api/v1/chats/{closed['id']}/close").status_code == 200
    jane = alex.start_sms_chat(OWNER_JANE).json()["owner"]  # registered: offered a PetsApp chat
    started = alex.call(
        "POST",
        "/api/v1/chats",
        json={"clinic_id": alex.clinic(sms=False)["id"], "owner_id": jane["id"]},
    )
    assert started.status_code == 201, started.text
    return alex, alexs["id"]


def _open_signed_in(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow], *args: str
) -> MainWindow:
    window = open_window("--server", demo.backend_url, *args)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    _wait_online(qtbot, window)
    return window


def _wait_online(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.connection.text() == "Online", timeout=10_000)
    qtbot.waitUntil(window.queue.isVisible, timeout=5_000)


def _rows(window: MainWindow) -> set[str]:
    return set(texts(window.queue_model))


def _click(qtbot: QtBot, window: MainWindow, label: str) -> None:
    qtbot.mouseClick(by_label(QPushButton, label, window), Qt.MouseButton.LeftButton)


def _shows(qtbot: QtBot, window: MainWindow, *titles: str) -> None:
    qtbot.waitUntil(lambda: _rows(window) == set(titles), timeout=5_000)


def test_filters_show_open_mine_unassigned_closed_and_one_clinic(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    alex, alexs = _make_chats(demo)
    window = _open_signed_in(qtbot, demo, open_window)
    _shows(qtbot, window, UNASSIGNED, ALEXS, SAMS, HILLSIDE)  # "All": the open chats
    assert by_label(QPushButton, "All", window).isChecked()

    _click(qtbot, window, "Mine")
    _shows(qtbot, window, ALEXS, HILLSIDE)
    _click(qtbot, window, "Unassigned")
    _shows(qtbot, window, UNASSIGNED)
    _click(qtbot, window, "Closed")
    _shows(qtbot, window, CLOSED)
    assert not by_label(QPushButton, "Mine", window).isChecked()  # one at a time

    _click(qtbot, window, "All")
    clinic = by_label(QComboBox, "Clinic", window)
    assert [clinic.itemText(i) for i in range(clinic.count())] == [
        "All clinics",
        "Riverside Vets",
        "Hillside Animal Clinic",
    ]
    clinic.setCurrentIndex(clinic.findText("Hillside Animal Clinic"))
    _shows(qtbot, window, HILLSIDE)
    clinic.setCurrentIndex(clinic.findText("Riverside Vets"))
    _shows(qtbot, window, UNASSIGNED, ALEXS, SAMS)
    _click(qtbot, window, "Mine")  # the clinic filter and the view combine
    _shows(qtbot, window, ALEXS)

    # Chats change while a filter is on: they leave it, or enter it.
    assert alex.call("POST", f"/api/v1/chats/{alexs}/close").status_code == 200
    _shows(qtbot, window)
    _click(qtbot, window, "Unassigned")
    text_in(demo, "+447400123405", "Hello?")
    _shows(qtbot, window, UNASSIGNED, "Guest · 07400 123405")
    clinic.setCurrentIndex(0)
    _click(qtbot, window, "Closed")
    _shows(qtbot, window, CLOSED, ALEXS)


def _search(qtbot: QtBot, window: MainWindow, typed: str, *titles: str) -> None:
    field = by_label(QLineEdit, "Search", window)
    if field.text():
        qtbot.keyClick(field, Qt.Key.Key_Escape)
    qtbot.keyClicks(field, typed)
    _shows(qtbot, window, *titles)


def _searches_by_name_number_and_message_text(qtbot: QtBot, window: MainWindow) -> None:
    _search(qtbot, window, "bella", HILLSIDE)
    _search(qtbot, window, "07400 123402", ALEXS)
    _search(qtbot, window, "+44 7400 123402", ALEXS)
    _search(qtbot, window, "vaccin", UNASSIGNED)  # an owner's text, as the word is typed
    _search(qtbot, window, "invoice", ALEXS)  # the clinic's own message
    _search(qtbot, window, "07400 123404", CLOSED)  # every chat: closed ones too
    _search(qtbot, window, "zebra")
    no_match = window.queue_panel.no_match
    qtbot.waitUntil(no_match.isVisible, timeout=5_000)
    assert isinstance(no_match, QLabel) and no_match.text() == "No chats match “zebra”"
    assert not by_label(QPushButton, "Closed", window).isEnabled()  # filters wait meanwhile

    field = by_label(QLineEdit, "Search", window)
    qtbot.keyClick(field, Qt.Key.Key_Escape)  # Esc clears: the filtered queue is back
    assert field.text() == ""
    _shows(qtbot, window, UNASSIGNED, ALEXS, SAMS, HILLSIDE)
    assert not no_match.isVisible()
    assert by_label(QPushButton, "Closed", window).isEnabled()


def test_search_finds_names_numbers_and_message_text_online_and_offline(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    _make_chats(demo)
    window = _open_signed_in(qtbot, demo, open_window)
    _shows(qtbot, window, UNASSIGNED, ALEXS, SAMS, HILLSIDE)
    qtbot.waitUntil(  # the messages are in the cache's index
        lambda: bool(look_in_cache(window.app.workspace).search_messages("invoice")), timeout=5_000
    )
    _searches_by_name_number_and_message_text(qtbot, window)

    demo.stop()  # offline: the same searches answer from the cache
    qtbot.waitUntil(lambda: window.connection.text().startswith("Offline"), timeout=15_000)
    _searches_by_name_number_and_message_text(qtbot, window)


def _open_chat_title(window: MainWindow) -> str:
    chat = window.chat_panel.chat
    return window.queue_model.data(window.queue_model.index(window.queue_model.row_of(chat["id"])))


def test_keyboard_opens_next_previous_and_unread_chats_and_focuses_search(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    for n in (1, 2, 3):
        text_in(demo, f"+44740012341{n}", f"Hello {n}")  # newest first: 3, 2, 1
    window = _open_signed_in(qtbot, demo, open_window)
    model = window.queue_model
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=10_000)
    qtbot.waitUntil(lambda: all(model.data(model.index(r), UnreadRole) for r in range(3)))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    first, second, third = texts(model)
    assert first == "Guest · 07400 123413"

    qtbot.keyClick(window.queue, Qt.Key.Key_Down, ALT)  # nothing open yet: the first chat
    qtbot.waitUntil(lambda: window.chat_panel.chat is not None, timeout=5_000)
    assert _open_chat_title(window) == first
    assert window.queue.currentIndex().row() == 0
    qtbot.keyClick(window.queue, Qt.Key.Key_Down, ALT)
    qtbot.waitUntil(lambda: _open_chat_title(window) == second, timeout=5_000)
    qtbot.keyClick(window.queue, Qt.Key.Key_Up, ALT)
    qtbot.waitUntil(lambda: _open_chat_title(window) == first, timeout=5_000)
    qtbot.keyClick(window.queue, Qt.Key.Key_Up, ALT)  # at the top it stays
    assert _open_chat_title(window) == first

    # Alt+Shift+Down: the next chat with unread messages (the second was read on the way).
    qtbot.waitUntil(lambda: model.data(model.index(1), UnreadRole) == 0, timeout=5_000)
    qtbot.keyClick(window.queue, Qt.Key.Key_Down, ALT_SHIFT)
    qtbot.waitUntil(lambda: _open_chat_title(window) == third, timeout=5_000)
    qtbot.waitUntil(lambda: model.data(model.index(2), UnreadRole) == 0, timeout=5_000)
    qtbot.keyClick(window.queue, Qt.Key.Key_Down, ALT_SHIFT)  # none left: it says so
    assert window.notice.text() == "No unread chats in this list."
    text_in(demo, "+447400123412", "One more thing")  # the second: unread, now at the top
    qtbot.waitUntil(lambda: model.data(model.index(0), UnreadRole) == 1, timeout=10_000)
    assert texts(model)[0] == second
    qtbot.keyClick(window.queue, Qt.Key.Key_Up, ALT_SHIFT)  # from the bottom, going up
    qtbot.waitUntil(lambda: _open_chat_title(window) == second, timeout=5_000)

    # Ctrl+K: to "Search", from anywhere in the window, even the composer.
    composer = by_label(QPlainTextEdit, "Message", window)
    composer.setFocus()
    qtbot.keyClicks(composer, "Half a reply")
    qtbot.keyClick(composer, Qt.Key.Key_Home)
    qtbot.keyClick(composer, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    search = by_label(QLineEdit, "Search", window)
    qtbot.waitUntil(search.hasFocus, timeout=5_000)
    assert composer.toPlainText() == "Half a reply"  # not eaten by the editor's own Ctrl+K


def _row_menu(qtbot: QtBot, window: MainWindow, title: str) -> QMenu:
    """Right-click the queue row with this title; the menu that opens."""
    row = texts(window.queue_model).index(title)
    pos = window.queue.visualRect(window.queue_model.index(row)).center()
    viewport = window.queue.viewport()
    QApplication.sendEvent(
        viewport,
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos)),
    )
    menus: list[QMenu] = []

    def menu_open() -> bool:
        menus[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu)]
        menus[:] = [m for m in menus if m.isVisible()]
        return len(menus) == 1

    qtbot.waitUntil(menu_open, timeout=5_000)
    return menus[0]


def _choose(qtbot: QtBot, menu: QMenu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text() == text)
    assert action.isEnabled(), text
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def _unread(window: MainWindow, title: str) -> Any:
    model = window.queue_model
    return model.data(model.index(texts(model).index(title)), UnreadRole)


@pytest.fixture
def keyring_file(tmp_path: Path) -> Any:
    import keyring

    from tests.file_keyring import FileKeyring

    keyring.set_keyring(FileKeyring(tmp_path / "keyring.json"))  # a restart stays signed in
    yield
    keyring.set_keyring(keyring.backends.fail.Keyring())


def test_mark_as_unread_shows_the_badge_until_opened_and_survives_a_restart(
    qtbot: QtBot,
    demo: EmbeddedDemo,
    open_window: Callable[..., MainWindow],
    tmp_path: Path,
    keyring_file: Any,
) -> None:
    text_in(demo, "+447400123401", "Is the vaccination booked?")
    BackendClient(demo).sign_in(DEMO_EMAIL).start_sms_chat("07400 123402")
    pc = str(tmp_path / "pc")
    window = _open_signed_in(qtbot, demo, open_window, "--data-dir", pc)
    _shows(qtbot, window, UNASSIGNED, ALEXS)
    qtbot.waitUntil(lambda: _unread(window, UNASSIGNED) == 1, timeout=5_000)
    assert _unread(window, ALEXS) == 0

    menu = _row_menu(qtbot, window, ALEXS)
    assert not next(a for a in menu.actions() if a.text() == "Mark as read").isEnabled()
    _choose(qtbot, menu, "Mark as unread")
    qtbot.waitUntil(lambda: _unread(window, ALEXS) == 1, timeout=5_000)
    model = window.queue_model
    row = texts(model).index(ALEXS)
    assert "1 unread" in model.data(model.index(row), Qt.ItemDataRole.AccessibleTextRole)
    _choose(qtbot, _row_menu(qtbot, window, UNASSIGNED), "Mark as read")
    qtbot.waitUntil(lambda: _unread(window, UNASSIGNED) == 0, timeout=5_000)
    window.app.shutdown()
    window.close()

    again = open_window("--server", demo.backend_url, "--data-dir", pc)
    _wait_online(qtbot, again)
    _shows(qtbot, again, UNASSIGNED, ALEXS)
    qtbot.waitUntil(lambda: _unread(again, ALEXS) == 1, timeout=10_000)
    assert _unread(again, UNASSIGNED) == 0
    row = texts(again.queue_model).index(ALEXS)
    qtbot.mouseClick(
        again.queue.viewport(),
        Qt.MouseButton.LeftButton,
        pos=again.queue.visualRect(again.queue_model.index(row)).center(),
    )
    qtbot.waitUntil(lambda: _unread(again, ALEXS) == 0, timeout=5_000)  # opened: read
