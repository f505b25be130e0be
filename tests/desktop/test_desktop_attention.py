"""Tray, window title and notifications, against the real backend: a client's new message
is announced (clicking opens its chat); the user's own and colleagues' messages are not;
muting silences them; the unread count shows in the title and on the tray icon."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from desktop.views.main_window import MainWindow
from desktop.views.tray import BADGE, Tray
from tests.desktop.ui import by_label, open_chat_texted_in, sign_in, texts
from tests.support import BackendClient, text_in

FIRST = "+447400123456"
SECOND = "+447400123999"


def test_new_client_messages_are_announced_and_counted(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    tray = window.app.attention.tray
    open_chat_texted_in(qtbot, demo, window, FIRST, "Hello")
    qtbot.waitUntil(lambda: window.windowTitle() == "PetsApp — Alex Morgan", timeout=5_000)

    assert tray.last is not None and tray.last["text"] == "Hello"  # before it was opened

    text_in(demo, SECOND, "Can Milo have his jab on Friday?")
    qtbot.waitUntil(lambda: tray.last["title"] == "Guest · 07400 123999", timeout=10_000)
    assert tray.last["text"] == "Can Milo have his jab on Friday?"
    # The count follows the notification: it is taken after the batch is stored.
    qtbot.waitUntil(lambda: window.windowTitle() == "(1) PetsApp — Alex Morgan", timeout=5_000)
    assert tray.icon.toolTip() == "PetsApp: 1 unread"
    assert _badge_shown(tray)

    # The user's own message and a colleague's are not announced.
    announced = dict(tray.last)
    qtbot.keyClicks(by_label(QPlainTextEdit, "Message", window), "We're on it")
    qtbot.mouseClick(by_label(QPushButton, "Send", window), Qt.MouseButton.LeftButton)
    sam = BackendClient(demo).sign_in("sam@riverside.example")
    chat_id = window.chat_panel.chat["id"]
    assert sam.send(chat_id, "Sam here, I'll call them", "sam-1").status_code == 201
    model = window.chat_panel.model
    qtbot.waitUntil(lambda: "Sam here, I'll call them" in texts(model), timeout=10_000)
    assert tray.last == announced

    # Muted: counted, not announced.
    tray.mute_action.trigger()
    text_in(demo, SECOND, "Also, he's limping a bit")
    qtbot.waitUntil(lambda: window.windowTitle().startswith("(2)"), timeout=10_000)
    assert tray.last == announced
    tray.mute_action.trigger()

    # Clicking the notification opens that chat, which reads it.
    tray.icon.messageClicked.emit()
    qtbot.waitUntil(
        lambda: window.chat_panel.chat is not None and window.chat_panel.chat["phone"] == SECOND,
        timeout=5_000,
    )
    qtbot.waitUntil(lambda: window.windowTitle() == "PetsApp — Alex Morgan", timeout=5_000)
    assert tray.icon.toolTip() == "PetsApp"
    assert not _badge_shown(tray)


def _badge_shown(tray: Tray) -> bool:
    """The tray icon carries the red unread disc (read off the icon's pixels)."""
    image = tray.icon.icon().pixmap(64, 64).toImage()
    return image.pixelColor(42, 3) == BADGE  # the disc's top, above its digits


def test_no_announcement_for_the_chat_on_screen(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    tray = window.app.attention.tray
    open_chat_texted_in(qtbot, demo, window, FIRST, "Hello")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    announced = tray.last
    text_in(demo, FIRST, "Just checking you got that")
    model = window.chat_panel.model
    qtbot.waitUntil(lambda: "Just checking you got that" in texts(model), timeout=10_000)
    assert tray.last == announced
    assert window.windowTitle() == "PetsApp — Alex Morgan"


def test_muting_is_kept_for_this_pc(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    pc = str(tmp_path / "pc")
    window = open_window("--server", demo.backend_url, "--data-dir", pc)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    assert not window.app.attention.tray.muted
    window.app.attention.tray.mute_action.trigger()
    settings = Path(pc) / "settings.json"
    qtbot.waitUntil(
        lambda: settings.exists() and json.loads(settings.read_text()).get("mute_notifications"),
        timeout=5_000,
    )
    window.app.shutdown()
    window.close()

    again = open_window("--server", demo.backend_url, "--data-dir", pc)
    sign_in(qtbot, again, DEMO_EMAIL, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: again.app.attention.tray.muted, timeout=5_000)
