"""The queue and message models, checked by Qt's own model tester."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from desktop.views.message_model import MessageListModel, MessageRole, SenderRole, UnsentRole
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
            "created_at": "2026-01-01T09:59:59Z",  # this PC's clock is behind the server's
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
            "created_at": "2026-01-01T10:01:00Z",
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
    assert model.data(model.index(0), Qt.ItemDataRole.AccessibleTextRole) == (
        "Automatic message: Welcome (Delivered)"
    )


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


def _message(n: int, direction: str, minute: int, sender: int | None = None, **extra: Any) -> dict:
    return {
        "id": n,
        "client_id": None,
        "chat_id": 7,
        "direction": direction,
        "body": f"message {n}",
        "status": {"in": "received", "out": "delivered"}.get(direction, "internal"),
        "sender_id": sender,
        "created_at": f"2026-01-01T10:{minute:02d}:00Z",
        **extra,
    }


def test_bubbles_group_by_writer_and_name_them_once(qtmodeltester: Any) -> None:
    model = MessageListModel()
    model.me_id, model.colleagues = 1, {1: "Alex Morgan", 2: "Sam Patel"}
    model.show_chat(
        7,
        True,
        [
            _message(1, "out", 0),  # the automatic welcome text
            _message(2, "in", 1),
            _message(3, "in", 2),
            _message(4, "out", 3, sender=1),
            _message(5, "out", 4, sender=2),
            _message(6, "out", 5, sender=2),
            _message(7, "out", 20, sender=2),  # after a long pause: a new group
            _message(8, "internal", 21, sender=2),
        ],
        client_name="Jane Cooper",
    )
    qtmodeltester.check(model)
    names = [model.data(model.index(row), SenderRole) for row in range(model.rowCount())]
    assert names == [
        "Automatic message",
        "Jane Cooper",
        "",
        "You",
        "Sam Patel",
        "",
        "Sam Patel",
        "Internal note · Sam Patel",
    ]
    spoken = model.data(model.index(2), Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "Jane Cooper: message 3"  # every bubble names its writer when read out
    assert model.data(model.index(5), Qt.ItemDataRole.AccessibleTextRole) == (
        "Sam Patel: message 6 (Delivered)"
    )
    model.remove("s2")  # the second of the client's two becomes the first of its group
    assert model.data(model.index(1), SenderRole) == "Jane Cooper"
    qtmodeltester.check(model)


def test_unsent_rows_are_tracked_as_they_change(qtmodeltester: Any) -> None:
    model = MessageListModel()
    model.show_chat(7, False, [_message(1, "in", 0)])
    pending = {"key": "c-1", "client_id": "c-1", "chat_id": 7, "direction": "out", "body": "Hi"}
    model.upsert({**pending, "status": "pending", "pending": True, "updated_at": "1"})
    assert model.unsent_rows() == []
    model.upsert({**pending, "status": "failed", "pending": True, "updated_at": "2"})
    assert model.unsent_rows() == [1]
    assert model.data(model.index(1), UnsentRole) == "failed"
    model.upsert({**pending, "status": "held", "pending": True, "updated_at": "3"})
    assert model.data(model.index(1), UnsentRole) == "held"
    model.upsert({**pending, "status": "pending", "pending": True, "updated_at": "4"})
    assert model.unsent_rows() == [] and model.data(model.index(1), UnsentRole) == ""
    qtmodeltester.check(model)


def test_messages_on_their_way_stay_below_and_move_up_once_the_server_has_them(
    qtmodeltester: Any,
) -> None:
    model = MessageListModel()
    model.show_chat(7, True, [_message(1, "in", 0)])
    first = {"key": "c-1", "client_id": "c-1", "chat_id": 7, "direction": "out", "body": "one"}
    second = {"key": "c-2", "client_id": "c-2", "chat_id": 7, "direction": "out", "body": "two"}
    # Written on a PC whose clock is ahead; the server's clock decides once it has them.
    model.upsert({**first, "status": "pending", "created_at": "2026-01-01T10:30:00Z"})
    model.upsert({**second, "status": "pending", "created_at": "2026-01-01T10:30:01Z"})
    model.upsert(_message(2, "in", 5))  # the owner's text reaches the server meanwhile
    assert [model.data(model.index(r)) for r in range(4)] == [
        "message 1",
        "message 2",
        "one",
        "two",
    ]
    # The second reaches the server first, then the first: both move up, in server order.
    model.upsert({**second, "id": 11, "status": "queued", "created_at": "2026-01-01T10:06:00Z"})
    assert [model.data(model.index(r)) for r in range(4)] == [
        "message 1",
        "message 2",
        "two",
        "one",
    ]
    model.upsert({**first, "id": 12, "status": "queued", "created_at": "2026-01-01T10:07:00Z"})
    assert [model.data(model.index(r)) for r in range(4)] == [
        "message 1",
        "message 2",
        "two",
        "one",
    ]
    model.upsert(_message(3, "in", 6))  # between them by the server's clock
    assert [model.data(model.index(r)) for r in range(5)] == [
        "message 1", "message 2", "two", "message 3", "one"
    ]  # fmt: skip
    assert model.row_of("c-1") == 4 and model.row_of("s3") == 3
    qtmodeltester.check(model)


def test_dates_use_the_users_language() -> None:
    from PySide6.QtCore import QLocale

    from desktop.views.formatting import day_label

    before = QLocale()
    try:
        QLocale.setDefault(QLocale("en_GB"))
        assert day_label("2025-03-02T12:00:00Z") == "Sun 2 Mar 2025"
        QLocale.setDefault(QLocale("de_DE"))
        assert day_label("2025-03-02T12:00:00Z") == "So. 2 März 2025"
    finally:
        QLocale.setDefault(before)
