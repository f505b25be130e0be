"""The queue panel on its own: the clinic filter only where a group has clinics to choose
between, and search answers that come back late."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.views.queue_model import ChatListModel
from desktop.views.queue_panel import QueuePanel
from tests.desktop.ui import by_label, texts


def _chat(chat_id: int, clinic_id: int, title: str) -> dict[str, Any]:
    when = f"2026-01-01T10:00:0{chat_id}Z"
    return {
        "id": chat_id,
        "kind": "app",
        "status": "open",
        "clinic_id": clinic_id,
        "is_guest": False,
        "title": title,
        "created_at": when,
        "last_message_at": when,
    }


def _panel(qtbot: QtBot) -> QueuePanel:
    model = ChatListModel()
    model.set_chats([_chat(1, 10, "Rex · Priya Shah"), _chat(2, 20, "Bella · Jane Cooper")])
    panel = QueuePanel(model)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_the_clinic_filter_shows_only_when_there_is_a_choice(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    assert not panel.clinic.isVisible()  # before sign-in nothing is known
    me = {"staff": {"id": 1}, "clinics": [{"id": 10, "name": "Riverside Vets"}]}
    panel.show_me(me)
    assert not panel.clinic.isVisible()
    me["clinics"].append({"id": 20, "name": "Hillside Animal Clinic"})
    panel.show_me(me)
    clinic = by_label(QComboBox, "Clinic", panel)
    clinic.setCurrentIndex(clinic.findText("Hillside Animal Clinic"))
    assert texts(panel.model) == ["Bella · Jane Cooper"]
    panel.show_me(me)  # signed in again (the same group): the choice stays
    assert clinic.currentText() == "Hillside Animal Clinic"
    assert texts(panel.model) == ["Bella · Jane Cooper"]


def test_search_waits_for_a_pause_and_drops_late_answers(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    asked: list[str] = []
    panel.sig_search.connect(asked.append)
    field = by_label(QLineEdit, "Search", panel)
    assert field.placeholderText() == "Search"
    qtbot.keyClicks(field, "rex")
    assert asked == []  # typing: not yet
    qtbot.waitUntil(lambda: asked == ["rex"], timeout=2_000)
    panel.show_search("re", [2])  # an answer to an earlier text: dropped
    assert len(texts(panel.model)) == 2
    panel.show_search("rex", [])  # names match in the queue itself
    assert texts(panel.model) == ["Rex · Priya Shah"]
    field.clear()
    assert len(texts(panel.model)) == 2
