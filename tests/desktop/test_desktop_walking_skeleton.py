"""The whole path by visible labels: sign in → "Chat" → "New chat" → number → "Start" →
"Message" → "Send", then the owner texts back and it shows up without a click."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton, QToolButton
from pytestqt.qtbot import QtBot

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from desktop.views.main_window import MainWindow
from desktop.views.message_model import MessageRole
from desktop.views.theme import LIGHT
from tests.desktop.ui import bubble_colour, by_label, is_visible, sign_in, texts
from tests.support import sandbox_messages, text_in

OWNER = "+447400123987"


def test_sms_chat_round_trip_by_visible_labels(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)

    # Sign in (a stored token would skip this; CI has no keyring).
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: "Alex Morgan" in window.windowTitle(), timeout=10_000)

    # Sidebar "Chat" → "New chat" at the bottom of the queue → number → "Start".
    qtbot.mouseClick(by_label(QToolButton, "Chat", window), Qt.MouseButton.LeftButton)
    new_chat = by_label(QPushButton, "New chat", window)
    assert new_chat.geometry().top() > window.queue.geometry().bottom() - 1
    qtbot.mouseClick(new_chat, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Phone number"), timeout=5_000)
    qtbot.keyClicks(by_label(QLineEdit, "Phone number"), "07400 123987")
    qtbot.mouseClick(by_label(QPushButton, "Start"), Qt.MouseButton.LeftButton)

    # The chat opens with its SMS look.
    panel = window.chat_panel
    qtbot.waitUntil(lambda: panel.chat is not None and panel.chat["kind"] == "sms", timeout=10_000)
    assert panel.sms_notice.isVisible()
    assert "SMS" in panel.sms_notice.text()
    assert "Guest" in panel.title.text()
    assert texts(window.queue_model) == ["Guest · 07400 123987"]
    assert not by_label(QPushButton, "Attach file", window).isEnabled()
    assert "MMS" in by_label(QPushButton, "Request payment", window).toolTip()

    # The welcome reached the provider; it shows in the chat through the sync feed.
    model = panel.model
    qtbot.waitUntil(lambda: any("Reply STOP" in t for t in texts(model)), timeout=10_000)
    assert "Riverside Vets" in sandbox_messages(demo, OWNER)[0]["body"]

    # Type in "Message", press "Send": the text goes out the same way.
    qtbot.keyClicks(by_label(QPlainTextEdit, "Message", window), "Bella can come home at 4pm")
    qtbot.mouseClick(by_label(QPushButton, "Send", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: _status(model, "Bella can come home at 4pm") in {"sent", "delivered"},
        timeout=10_000,
    )
    assert [m["body"] for m in sandbox_messages(demo, OWNER)][-1] == "Bella can come home at 4pm"

    # The owner texts back: it appears in the open chat with no click.
    text_in(demo, OWNER, "Brilliant, see you then!")
    qtbot.waitUntil(lambda: "Brilliant, see you then!" in texts(model), timeout=10_000)
    inbound = model.data(model.index(model.rowCount() - 1), MessageRole)
    assert inbound["direction"] == "in"
    # SMS bubbles in their own colour, read off the screen.
    outbound = next(
        row for row in range(model.rowCount())
        if model.data(model.index(row), MessageRole)["body"] == "Bella can come home at 4pm"
    )  # fmt: skip
    assert bubble_colour(window.chat_panel, outbound) == LIGHT.sms_out
    assert bubble_colour(window.chat_panel, model.rowCount() - 1) == LIGHT.inbound
    assert window.connection.text() == "Online"


def _status(model: object, body: str) -> str:
    for row in range(model.rowCount()):  # type: ignore[attr-defined]
        message = model.data(model.index(row), MessageRole)  # type: ignore[attr-defined]
        if message["body"] == body:
            return str(message["status"])
    return ""


def test_drafts_are_kept_per_chat_and_across_a_restart(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow], tmp_path
) -> None:
    import keyring

    from tests.file_keyring import FileKeyring

    keyring.set_keyring(FileKeyring(tmp_path / "keyring.json"))  # the restart stays signed in
    try:
        text_in(demo, "+447400123001", "first")
        text_in(demo, "+447400123002", "second")
        window = open_window("--server", demo.backend_url, "--data-dir", str(tmp_path / "pc"))
        sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
        qtbot.waitUntil(lambda: window.queue_model.rowCount() == 2, timeout=10_000)
        window.app.open_chat(window.queue_model.chat_at(0))
        editor = by_label(QPlainTextEdit, "Message", window)
        qtbot.keyClicks(editor, "Half-written reply")
        window.app.open_chat(window.queue_model.chat_at(1))
        assert editor.toPlainText() == ""
        window.app.open_chat(window.queue_model.chat_at(0))
        qtbot.waitUntil(lambda: editor.toPlainText() == "Half-written reply", timeout=5_000)
        qtbot.keyClicks(editor, ", and more")
        window.app.shutdown()  # quitting saves what is in the composer
        window.close()

        again = open_window("--server", demo.backend_url, "--data-dir", str(tmp_path / "pc"))
        qtbot.waitUntil(lambda: again.queue_model.rowCount() == 2, timeout=10_000)
        again.app.open_chat(again.queue_model.chat_at(0))
        editor = by_label(QPlainTextEdit, "Message", again)
        qtbot.waitUntil(
            lambda: editor.toPlainText() == "Half-written reply, and more", timeout=5_000
        )
    finally:
        keyring.set_keyring(keyring.backends.fail.Keyring())


def test_the_queue_shows_previews_and_counts_unread_until_opened(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    from PySide6.QtCore import Qt as QtNames

    from desktop.views.queue_model import PreviewRole, UnreadRole

    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    text_in(demo, "+447400123001", "Is Bella ready?")
    text_in(demo, "+447400123001", "We're outside")
    model = window.queue_model
    qtbot.waitUntil(
        lambda: model.rowCount() == 1 and model.data(model.index(0), UnreadRole) == 2,
        timeout=10_000,
    )
    assert model.data(model.index(0), PreviewRole) == "We're outside"
    assert "2 unread" in model.data(model.index(0), QtNames.ItemDataRole.AccessibleTextRole)
    window.app.open_chat(model.chat_at(0))
    qtbot.waitUntil(lambda: model.data(model.index(0), UnreadRole) == 0, timeout=5_000)
    text_in(demo, "+447400123001", "Thanks!")  # arrives in the open chat: not unread
    qtbot.waitUntil(lambda: "Thanks!" in texts(window.chat_panel.model), timeout=5_000)
    assert model.data(model.index(0), UnreadRole) == 0


def test_older_history_loads_when_scrolled_to_the_top(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    from tests.support import BackendClient

    alex = BackendClient(demo).sign_in(DEMO_EMAIL)
    owner = alex.start_sms_chat("+447400123001").json()["owner"]
    chat = alex.call(
        "POST", "/api/v1/chats", json={"clinic_id": alex.clinic()["id"], "owner_id": owner["id"]}
    ).json()
    for n in range(260):
        alex.send(chat["chat"]["id"], f"history {n}", f"hist-{n}")
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: window.connection.text() == "Online", timeout=10_000)
    window.app.open_chat(window.queue_model.chat_at(0))
    model = window.chat_panel.model
    qtbot.waitUntil(lambda: model.rowCount() == 200, timeout=5_000)
    assert texts(model)[-1] == "history 259"
    bar = window.chat_panel.messages.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5_000)
    bar.setValue(bar.minimum())
    qtbot.waitUntil(lambda: model.rowCount() == 260, timeout=5_000)
    assert texts(model)[0] == "history 0"
    assert bar.value() > bar.minimum()  # the user still looks at what they were reading
