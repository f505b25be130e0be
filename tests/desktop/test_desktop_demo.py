"""The demo as a newcomer meets it, driven by label: a lived-in queue, owners who answer,
and Demo → "Text in as the client…". None of it outside the demo."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from backend.demo import EmbeddedDemo
from desktop.views.main_window import MainWindow
from tests.desktop.ui import by_label, texts

DEMO_START = 60_000  # the demo's own process imports the whole server on a first start


def _demo_menu_action(window: MainWindow, text: str) -> object | None:
    """The Demo menu's entry with this visible text, if the menu bar shows a Demo menu."""
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == "Demo" and action.isVisible():
            entries = [a for a in action.menu().actions() if a.text() == text]  # type: ignore[union-attr]
            return entries[0] if entries else None
    return None


def _open(qtbot: QtBot, window: MainWindow, title_part: str) -> None:
    """Clicks the queue's row whose title holds ``title_part``."""
    model = window.queue_model
    row = next(r for r in range(model.rowCount()) if title_part in model.data(model.index(r)))
    qtbot.mouseClick(
        window.queue.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.queue.visualRect(model.index(row)).center(),
    )
    qtbot.waitUntil(lambda: window.chat_panel.chat is not None, timeout=5_000)
    qtbot.waitUntil(lambda: window.chat_panel.model.rowCount() > 0, timeout=5_000)


def _bodies(window: MainWindow) -> list[str]:
    return texts(window.chat_panel.model)


def test_the_demo_opens_on_a_lived_in_group_whose_owners_answer(
    qtbot: QtBot, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--demo")
    qtbot.waitUntil(lambda: window.queue_model.rowCount() >= 8, timeout=DEMO_START)
    titles = texts(window.queue_model)
    for expected in ("Priya Shah", "Jane Cooper", "Tom Harris", "Guest · 07400 123777"):
        assert any(expected in title for title in titles), titles
    # A named SMS chat with its history, the clinic's welcome text first.
    _open(qtbot, window, "Priya Shah")
    bodies = _bodies(window)
    assert bodies[0].startswith("Hi, this is Riverside Vets"), bodies
    assert "Can he have his usual chews yet?" in bodies

    # A text to the owner is answered a few seconds later, on screen.
    editor = by_label(QPlainTextEdit, "Message", window)
    editor.setPlainText("Not yet: soft food until Monday's check. Does that work for you?")
    qtbot.mouseClick(by_label(QPushButton, "Send", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Yes, that works perfectly, thank you!" in _bodies(window), timeout=20_000
    )

    # Demo → "Text in as the client…": the owner writes, and it shows in the open chat.
    action = _demo_menu_action(window, "Text in as the client…")
    assert action is not None, "no Demo menu"
    action.trigger()  # type: ignore[attr-defined]
    by_label(QLineEdit, "Text").setText("Also, is his wound meant to look a bit pink?")
    qtbot.mouseClick(by_label(QPushButton, "Text in"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Also, is his wound meant to look a bit pink?" in _bodies(window),
        timeout=15_000,
    )

    # And in a PetsApp chat, by the owner's side.
    _open(qtbot, window, "Tom Harris")
    action.trigger()  # type: ignore[attr-defined]
    by_label(QLineEdit, "Text").setText("He's also shaking his head")
    qtbot.mouseClick(by_label(QPushButton, "Text in"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "He's also shaking his head" in _bodies(window), timeout=15_000)


def test_outside_the_demo_there_is_no_demo_menu_and_nobody_answers(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    from tests.desktop.ui import open_chat_texted_in, sign_in

    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, "alex@riverside.example", "demo-password")
    assert window.queue_model.rowCount() == 0  # a real group starts empty
    assert _demo_menu_action(window, "Text in as the client…") is None
    open_chat_texted_in(qtbot, demo, window, "+447400123456", "Is Rex ready?")
    editor = by_label(QPlainTextEdit, "Message", window)
    editor.setPlainText("Yes, he's ready. Does 4pm work?")
    qtbot.mouseClick(by_label(QPushButton, "Send", window), Qt.MouseButton.LeftButton)
    qtbot.wait(6_000)  # longer than a demo owner takes to answer
    assert _bodies(window)[-1] == "Yes, he's ready. Does 4pm work?"
