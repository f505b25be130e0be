"""The chat panel with its real model and delegate: unsent messages carry their own
"Retry" / "Send anyway" and "Discard" under their bubble, and lose them once resolved."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.views.chat_panel import ChatPanel
from desktop.views.message_model import MessageListModel
from tests.desktop.ui import by_label, is_visible

CHAT = {"id": 7, "kind": "sms", "is_guest": True, "phone": "+447400123456", "status": "open"}


def _note(status: str, stamp: str, **extra: Any) -> dict[str, Any]:
    return {
        "key": "c-1",
        "client_id": "c-1",
        "chat_id": 7,
        "direction": "out",
        "body": "Is Tuesday OK?",
        "status": status,
        "pending": True,
        "updated_at": stamp,
        "created_at": "2026-01-01T10:00:00Z",
        **extra,
    }


def test_unsent_messages_carry_their_own_ways_on(qtbot: QtBot) -> None:
    model = MessageListModel()
    panel = ChatPanel(model)
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    panel.show_chat(CHAT)
    model.show_chat(7, True, [])
    retried: list[str] = []
    discarded: list[str] = []
    panel.sig_retry.connect(retried.append)
    panel.sig_discard.connect(discarded.append)

    model.upsert(_note("failed", "1", error="SMS chat is no longer enabled for this clinic."))
    qtbot.waitUntil(lambda: is_visible(QPushButton, "Retry"), timeout=2_000)
    qtbot.mouseClick(by_label(QPushButton, "Retry", panel), Qt.MouseButton.LeftButton)
    assert retried == ["c-1"]

    model.upsert(_note("held", "2", error="The chat changed after you wrote this."))
    qtbot.waitUntil(lambda: is_visible(QPushButton, "Send anyway"), timeout=2_000)
    assert not is_visible(QPushButton, "Retry")
    qtbot.mouseClick(by_label(QPushButton, "Discard", panel), Qt.MouseButton.LeftButton)
    assert discarded == ["c-1"]

    model.upsert(_note("pending", "3"))  # "Send anyway" taken: on its way again
    qtbot.waitUntil(lambda: not is_visible(QPushButton, "Send anyway"), timeout=2_000)
    assert not is_visible(QPushButton, "Discard")
