"""The queue and message models, checked by Qt's own model tester."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop.views.message_model import MessageListModel, MessageRole
from desktop.views.queue_model import ChatListModel, IsSmsRole


def _chat(chat_id: int, when: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": chat_id,
        "kind": "sms",
        "is_guest": True,
        "phone": "+447400123456",
        "title": "Guest",
        "created_at": when,
        "last_message_at": when,
        **extra,
    }


def test_queue_model_keeps_newest_first(qtmodeltester: Any) -> None:
    model = ChatListModel()
    model.set_chats([_chat(1, "2026-01-01T10:00:00Z"), _chat(2, "2026-01-02T10:00:00Z")])
    qtmodeltester.check(model)
    assert [model.chat_at(r)["id"] for r in range(2)] == [2, 1]
    model.upsert(_chat(1, "2026-01-03T10:00:00Z", is_guest=False, title="Bella · Jane Cooper"))
    qtmodeltester.check(model)
    assert [model.chat_at(r)["id"] for r in range(2)] == [1, 2]
    assert model.data(model.index(0)) == "Bella · Jane Cooper"
    assert model.data(model.index(1)) == "Guest · 07400 123456"
    assert model.data(model.index(1), IsSmsRole) is True
    assert "SMS chat" in model.data(model.index(1), Qt.ItemDataRole.AccessibleTextRole)
    model.upsert(_chat(3, "2025-12-01T10:00:00Z", kind="app"))
    assert model.row_of(3) == 2
    qtmodeltester.check(model)


def test_message_model_merges_the_servers_copy_into_the_pending_row(qtmodeltester: Any) -> None:
    model = MessageListModel()
    model.show_chat(
        7,
        True,
        [
            {
                "id": 1,
                "client_id": None,
                "chat_id": 7,
                "direction": "out",
                "body": "Welcome",
                "status": "delivered",
                "created_at": "2026-01-01T10:00:00Z",
            },
        ],
    )
    qtmodeltester.check(model)
    model.upsert(
        {
            "key": "c-1",
            "id": None,
            "client_id": "c-1",
            "chat_id": 7,
            "direction": "out",
            "body": "Hello",
            "status": "pending",
        }
    )
    model.upsert(
        {
            "id": 2,
            "client_id": "c-1",
            "chat_id": 7,
            "direction": "out",
            "body": "Hello",
            "status": "queued",
        }
    )
    model.upsert(
        {
            "id": 9,
            "client_id": None,
            "chat_id": 8,
            "direction": "in",
            "body": "another chat",
            "status": "received",
        }
    )
    qtmodeltester.check(model)
    assert [model.data(model.index(r)) for r in range(model.rowCount())] == ["Welcome", "Hello"]
    assert model.data(model.index(1), MessageRole)["status"] == "queued"
    assert model.data(model.index(1), Qt.ItemDataRole.ToolTipRole) == "Sent to the network"
    assert model.data(model.index(0), Qt.ItemDataRole.AccessibleTextRole).startswith("You: ")


def test_history_from_the_cache_keeps_what_sync_delivered_meanwhile(qtmodeltester: Any) -> None:
    model = MessageListModel()
    model.show_chat(7, True, [])
    live = {
        "id": 3,
        "client_id": None,
        "chat_id": 7,
        "direction": "in",
        "body": "new",
        "status": "received",
        "created_at": "2026-01-01T10:00:03Z",
    }
    model.upsert(live)
    stale = [
        {
            "id": 1,
            "client_id": None,
            "chat_id": 7,
            "direction": "out",
            "body": "old",
            "status": "sent",
            "created_at": "2026-01-01T10:00:01Z",
        }
    ]
    model.show_loaded(7, stale)
    model.show_loaded(8, [])  # a late answer for a chat no longer open changes nothing
    qtmodeltester.check(model)
    assert [model.data(model.index(r)) for r in range(model.rowCount())] == ["old", "new"]


def test_an_older_version_never_replaces_a_newer_one(qtmodeltester: Any) -> None:
    messages = MessageListModel()
    messages.show_chat(7, True, [])
    newer = {
        "id": 2,
        "client_id": "c-1",
        "chat_id": 7,
        "direction": "out",
        "body": "Hi",
        "status": "delivered",
        "updated_at": "2026-01-01T10:00:05Z",
    }
    messages.upsert(newer)
    messages.upsert(dict(newer, status="accepted", updated_at="2026-01-01T10:00:01Z"))
    assert messages.data(messages.index(0), MessageRole)["status"] == "delivered"
    chats = ChatListModel()
    chats.upsert(
        _chat(
            1,
            "2026-01-02T10:00:00Z",
            updated_at="2026-01-02T10:00:09Z",
            is_guest=False,
            title="Rex · Priya",
        )
    )
    chats.upsert(_chat(1, "2026-01-02T10:00:00Z", updated_at="2026-01-02T10:00:01Z"))
    qtmodeltester.check(chats)
    assert chats.data(chats.index(0)) == "Rex · Priya"


def test_a_big_queue_is_handed_to_the_view_a_page_at_a_time(qtmodeltester: Any) -> None:
    from desktop.views.queue_model import PAGE

    model = ChatListModel()
    model.set_chats(
        [_chat(n, f"2026-01-01T10:{n // 60 % 60:02d}:{n % 60:02d}Z") for n in range(1, 1001)]
    )
    assert model.rowCount() == PAGE and model.canFetchMore()
    model.upsert(_chat(5000, "2027-01-01T00:00:00Z"))  # newest: visible at the top
    assert model.rowCount() == PAGE + 1 and model.chat_at(0)["id"] == 5000
    oldest = model.chat_at(model.rowCount() - 1)["id"]
    model.upsert(_chat(6000, "2000-01-01T00:00:00Z"))  # oldest: waits for fetchMore
    assert model.rowCount() == PAGE + 1
    row = model.row_of(6000)  # selecting it hands the view the rows before it
    assert row is not None and row < model.rowCount()
    assert model.chat_at(row)["id"] == 6000 and model.row_of(oldest) is not None
    qtmodeltester.check(model)  # the tester also fetches every page
    assert model.rowCount() == 1002 and not model.canFetchMore()


def test_a_day_label_starts_each_day(qtmodeltester: Any) -> None:
    from desktop.views.message_model import DayRole

    def at(mid: int, when: str) -> dict[str, Any]:
        return {
            "id": mid,
            "client_id": None,
            "chat_id": 7,
            "direction": "in",
            "body": f"m{mid}",
            "status": "received",
            "created_at": when,
        }

    model = MessageListModel()
    model.show_chat(
        7,
        False,
        [
            at(1, "2026-01-05T10:00:00Z"),
            at(2, "2026-01-05T11:00:00Z"),
            at(3, "2026-01-06T09:00:00Z"),
        ],
    )
    qtmodeltester.check(model)
    days = [model.data(model.index(r), DayRole) for r in range(3)]
    assert days[0] and days[1] == "" and days[2] and days[2] != days[0]
