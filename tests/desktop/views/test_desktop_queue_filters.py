"""The queue's filters and search match (plain rules), and the model that applies them,
checked by Qt's own model tester."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.services.chat_filter import ChatFilter, TextQuery
from desktop.views.queue_model import PAGE, ChatListModel, UnreadRole

ME, COLLEAGUE = 1, 2
RIVERSIDE, HILLSIDE = 10, 20


def _chat(chat_id: int, minute: int, **extra: Any) -> dict[str, Any]:
    when = f"2026-01-01T10:{minute:02d}:00Z"
    return {
        "id": chat_id,
        "kind": "sms",
        "status": "open",
        "assignee_id": None,
        "clinic_id": RIVERSIDE,
        "is_guest": True,
        "phone": f"+4474001230{chat_id:02d}",
        "title": "Guest",
        "owner_name": None,
        "pet_name": None,
        "created_at": when,
        "last_message_at": when,
        "updated_at": when,
        **extra,
    }


CHATS = [
    _chat(1, 1),  # open, nobody's
    _chat(2, 2, assignee_id=ME),
    _chat(3, 3, assignee_id=COLLEAGUE),
    _chat(4, 4, assignee_id=ME, status="closed"),
    _chat(
        5,
        5,
        assignee_id=ME,
        clinic_id=HILLSIDE,
        kind="app",
        is_guest=False,
        title="Bella · Jane Cooper",
        owner_name="Jane Cooper",
        pet_name="Bella",
    ),
]


def _ids(model: ChatListModel) -> list[int]:
    return [model.chat_at(row)["id"] for row in range(model.rowCount())]


@pytest.mark.parametrize(
    ("chat_filter", "expected"),
    [
        (ChatFilter(), [5, 3, 2, 1]),
        (ChatFilter(view="mine", me_id=ME), [5, 2]),
        (ChatFilter(view="mine"), []),  # nobody signed in yet: nothing is "mine"
        (ChatFilter(view="unassigned"), [1]),
        (ChatFilter(view="closed"), [4]),
        (ChatFilter(clinic_id=HILLSIDE), [5]),
        (ChatFilter(view="mine", me_id=ME, clinic_id=RIVERSIDE), [2]),
        # A search looks through every chat, whatever the view and clinic.
        (ChatFilter(view="unassigned", clinic_id=HILLSIDE, search="jane"), [5]),
        (ChatFilter(search="07400 123004"), [4]),
        (ChatFilter(search="nothing", hits=frozenset({3})), [3]),
    ],
)
def test_each_filter_shows_its_chats(
    qtmodeltester: Any, chat_filter: ChatFilter, expected: list[int]
) -> None:
    model = ChatListModel()
    model.set_chats(CHATS)
    model.set_filter(chat_filter)
    qtmodeltester.check(model)
    assert _ids(model) == expected


def test_names_and_numbers_match_however_typed() -> None:
    bella = CHATS[4]
    assert TextQuery.parse("bella").matches(bella)
    assert TextQuery.parse("COOPER bel").matches(bella)  # every word, in any order
    assert not TextQuery.parse("bella smith").matches(bella)
    for typed in ("07400 123005", "+44 7400 123005", "7400123005", "(0)7400-123-005"):
        assert TextQuery.parse(typed).matches(bella), typed
    assert not TextQuery.parse("07400 123006").matches(bella)
    assert not TextQuery.parse("00").matches(bella)  # too few digits to mean a number
    assert not TextQuery.parse("   ").matches(bella)


@pytest.mark.parametrize(
    ("phone", "typed"),
    [
        ("+33612345678", "06 12 34 56 78"),  # France
        ("+4915123456789", "0151 23456789"),  # Germany
        ("+353851234567", "085 123 4567"),  # Ireland
        ("+61412345678", "0412 345 678"),  # Australia
        ("+12015550123", "(201) 555-0123"),  # the US: no national prefix
        ("+447400123005", "07400 123005"),
    ],
)
def test_a_number_is_found_as_written_in_its_own_country(phone: str, typed: str) -> None:
    chat = _chat(9, 9, phone=phone)
    assert TextQuery.parse(typed).matches(chat)
    # The shown form from the backend counts too (a clinic abroad shows it nationally).
    assert TextQuery.parse("0099 1234").matches(dict(chat, phone_display="0099 1234 5"))
    assert not TextQuery.parse("0099 1234").matches(chat)


def test_a_changed_chat_leaves_or_enters_the_filtered_list_in_order(
    qtmodeltester: Any,
) -> None:
    model = ChatListModel()
    model.set_chats(CHATS)
    model.set_filter(ChatFilter(view="mine", me_id=ME))
    qtmodeltester.check(model)
    assert _ids(model) == [5, 2]
    model.upsert(dict(CHATS[1], status="closed", updated_at="2026-01-01T11:00:00Z"))
    assert _ids(model) == [5]  # closed: no longer in "Mine"
    model.upsert(dict(CHATS[2], assignee_id=ME, updated_at="2026-01-01T11:00:01Z"))
    assert _ids(model) == [5, 3]  # handed to me: enters at its place by activity
    newest = "2026-01-01T12:00:00Z"
    model.upsert(dict(CHATS[0], assignee_id=ME, last_message_at=newest, updated_at=newest))
    assert _ids(model) == [1, 5, 3]
    model.upsert(dict(CHATS[0], assignee_id=None, updated_at="2026-01-01T09:00:00Z"))
    assert _ids(model) == [1, 5, 3]  # an older version changes nothing
    model.upsert(_chat(9, 0, assignee_id=COLLEAGUE))  # a new chat that does not match
    assert _ids(model) == [1, 5, 3]
    qtmodeltester.check(model)
    model.set_filter(ChatFilter())
    assert _ids(model) == [1, 5, 3, 9]
    assert model.row_of(2) is None  # closed meanwhile
    qtmodeltester.check(model)


def test_next_and_previous_rows_and_unread_ones() -> None:
    model = ChatListModel()
    model.set_chats(CHATS)  # open: 5, 3, 2, 1
    assert model.find_row(None, 1) == 0 and model.find_row(None, -1) == 3
    assert model.find_row(1, 1) == 2 and model.find_row(1, -1) == 0
    assert model.find_row(3, 1) is None and model.find_row(0, -1) is None  # no wrapping
    assert model.find_row(None, 1, unread=True, wrap=True) is None
    model.set_unread({5: 2, 1: 1, 4: 3})  # 4 is closed: not in this list
    assert model.data(model.index(0), UnreadRole) == 2
    assert model.find_row(0, 1, unread=True, wrap=True) == 3
    assert model.find_row(3, 1, unread=True, wrap=True) == 0  # round the end
    assert model.find_row(0, -1, unread=True, wrap=True) == 3
    model.set_unread({5: 0})
    assert model.find_row(3, 1, unread=True, wrap=True) == 3  # only itself is left


def test_a_closed_chat_says_so_to_screen_readers() -> None:
    model = ChatListModel()
    model.set_chats(CHATS)
    model.set_filter(ChatFilter(view="closed"))
    text = model.data(model.index(0), Qt.ItemDataRole.AccessibleTextRole)
    assert "Closed" in text


def _big_group(count: int) -> list[dict[str, Any]]:
    return [
        _chat(
            n,
            n % 60,
            status="closed" if n % 5 == 0 else "open",
            assignee_id=(None, ME, COLLEAGUE)[n % 3],
            clinic_id=(RIVERSIDE, HILLSIDE)[n % 2],
            phone=f"+447400{n:06d}",
            phone_display=f"07400 {n:06d}",  # as the backend sends it
            last_message_at=f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T10:{n % 60:02d}:00Z",
        )
        for n in range(1, count + 1)
    ]


def test_filtering_ten_thousand_chats_stays_quick(qtmodeltester: Any) -> None:
    model = ChatListModel()
    model.set_chats(_big_group(10_000))
    filters = [
        ChatFilter(view="mine", me_id=ME),
        ChatFilter(view="unassigned", clinic_id=HILLSIDE),
        ChatFilter(view="closed"),
        ChatFilter(search="07400 0012"),
        ChatFilter(search="bella"),
        ChatFilter(),
    ]
    # How long these take is bench/ui.py's ("queue: …"), not a test's: here, that they are right.
    for chat_filter in filters:
        model.set_filter(chat_filter)
        assert all(chat_filter.matches(model.chat_at(r)) for r in range(model.rowCount()))
    assert model.rowCount() == PAGE and model.canFetchMore()  # still paged
    for n in range(200):  # a busy sync batch: chats move to the top
        when = f"2027-01-01T00:00:{n % 60:02d}Z"
        model.upsert(_chat(n * 7 + 1, 0, last_message_at=when, updated_at=when))
    assert model.chat_at(0)["last_message_at"].startswith("2027-01-01")
    model.set_filter(ChatFilter(view="unassigned"))
    qtmodeltester.check(model)  # the tester also fetches every page
