"""Accessibility: every control is named as it is labelled, and the keyboard alone reaches
every control of the main window and of each dialog (Tab, as a person would press it)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from desktop.views.main_window import MainWindow
from tests.desktop.ui import by_label, is_visible, open_chat_texted_in, sign_in, trigger_menu_action

CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractItemView)


def _controls(root: QWidget) -> list[QWidget]:
    """What a keyboard user must be able to reach: visible, enabled controls."""
    return [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, CONTROLS)
        and w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.window() is root
    ]


def _check_names(root: QWidget) -> None:
    for widget in _controls(root):
        name = widget.accessibleName()
        assert name, f"{type(widget).__name__} {widget.objectName()!r} has no accessible name"
        if isinstance(widget, QAbstractButton) and widget.text():
            assert name == widget.text().replace("&", ""), (name, widget.text())


def _tab_through(qtbot: QtBot, root: QWidget, presses: int = 80) -> set[int]:
    """Press Tab from the window's first control; the controls that got focus."""
    root.activateWindow()
    qtbot.waitUntil(root.isActiveWindow, timeout=5_000)
    _controls(root)[0].setFocus(Qt.FocusReason.TabFocusReason)
    reached: set[int] = set()
    for _ in range(presses):
        focused = QApplication.focusWidget()
        assert focused is not None
        reached.add(id(focused))
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    return reached


def _arrow_through_groups(qtbot: QtBot, root: QWidget) -> int:
    """Exclusive button groups (the sidebar, the queue filters) take one Tab stop, like
    radio buttons: the arrow keys move among their buttons. Each must be reachable so.
    Returns how many groups there were."""
    groups = 0
    for group in root.findChildren(QButtonGroup):
        buttons = [b for b in group.buttons() if b.isVisible() and b.isEnabled()]
        if not group.exclusive() or len(buttons) < 2:
            continue
        start = group.checkedButton() or buttons[0]
        start.setFocus(Qt.FocusReason.TabFocusReason)
        reached = set()
        for key in [Qt.Key.Key_Right, Qt.Key.Key_Down] * len(buttons):
            focused = QApplication.focusWidget()
            reached.add(id(focused))
            qtbot.keyClick(focused, key)
        missed = [b.accessibleName() for b in buttons if id(b) not in reached]
        assert not missed, f"not reachable by the arrow keys: {missed}"
        start.click()  # back to where the test was
        groups += 1
    return groups


def _assert_all_reached(qtbot: QtBot, root: QWidget) -> int:
    """Names and Tab order of ``root``; returns how many button groups it has."""
    _check_names(root)
    reached = _tab_through(qtbot, root)
    missed = [
        f"{type(w).__name__} {w.accessibleName()!r}"
        for w in _controls(root)
        if id(w) not in reached
    ]
    assert not missed, f"not reachable by Tab: {missed}"
    return _arrow_through_groups(qtbot, root)


def test_the_main_window_and_its_dialogs_by_keyboard_alone(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, "+447400123456", "Hello")
    assert _assert_all_reached(qtbot, window) == 2  # the sidebar and the queue filters

    qtbot.mouseClick(by_label(QPushButton, "New chat", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Phone number"), timeout=5_000)
    dialog = by_label(QLineEdit, "Phone number").window()
    qtbot.keyClicks(by_label(QLineEdit, "Phone number"), "07400 123457")
    _assert_all_reached(qtbot, dialog)
    dialog.close()

    for entry, field in (("Update Pet Details", "Owner name"), ("Hand off", "Note")):
        trigger_menu_action(qtbot, by_label(QToolButton, "More", window), entry)
        kind = QPlainTextEdit if field == "Note" else QLineEdit
        qtbot.waitUntil(lambda kind=kind, field=field: is_visible(kind, field), timeout=5_000)
        dialog = by_label(kind, field).window()
        _assert_all_reached(qtbot, dialog)
        dialog.close()


def test_the_sign_in_dialog_by_keyboard_alone(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Email"), timeout=10_000)
    dialog = by_label(QLineEdit, "Email").window()
    _assert_all_reached(qtbot, dialog)
    assert window.isVisible()
