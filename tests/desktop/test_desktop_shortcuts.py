"""Keyboard shortcuts: Help lists them (F1), each one listed is bound, Ctrl+N starts a new
chat and Esc closes the dialog again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QTableWidget
from pytestqt.qtbot import QtBot

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from desktop.views.main_window import MainWindow
from desktop.views.shortcuts_dialog import SHORTCUTS
from tests.desktop.ui import by_label, is_visible, sign_in

BUILT_IN = {"Esc"}  # dialogs close on Esc and the search field clears on it: Qt's own keys


def _bound(window: MainWindow) -> set[str]:
    keys = {s.key().toString() for s in window.findChildren(QShortcut)}
    keys |= {a.shortcut().toString() for a in window.findChildren(QAction) if a.shortcut()}
    return keys


def test_every_listed_shortcut_is_bound_and_help_lists_them(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    bound = _bound(window)
    for keys, _what in SHORTCUTS:
        if keys not in BUILT_IN:
            assert QKeySequence(keys).toString() in bound, keys

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: is_visible(QTableWidget, "Keyboard shortcuts"), timeout=5_000)
    table = by_label(QTableWidget, "Keyboard shortcuts")
    listed = {table.item(row, 1).text() for row in range(table.rowCount())}
    assert {"New chat", "Search chats", "Send the message"} <= listed
    table.window().close()


def test_ctrl_n_opens_new_chat_and_esc_closes_it(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Phone number"), timeout=5_000)
    dialog = by_label(QLineEdit, "Phone number").window()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5_000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not is_visible(QLineEdit, "Phone number"), timeout=5_000)
