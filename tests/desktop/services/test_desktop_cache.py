"""The local cache on a real SQLite file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from desktop.services.cache import Cache, CacheTooNewError
from desktop.services.outbox_store import OutboxStore, pending_message


def _message(mid: int, chat_id: int, when: str, client_id: str | None = None) -> dict:
    return {
        "id": mid,
        "client_id": client_id,
        "chat_id": chat_id,
        "direction": "in",
        "body": f"m{mid}",
        "status": "received",
        "error_code": None,
        "created_at": when,
    }


def _pending(cache: Cache, chat_id: int, client_id: str, body: str) -> dict:
    """A message typed but not yet confirmed, as the outbox writes it."""
    message = pending_message(chat_id, client_id, body, None)
    item = {
        "client_id": client_id,
        "chat_id": chat_id,
        "kind": "message",
        "payload": {"body": body},
        "state": "pending",
        "error": None,
        "attempts": 0,
        "next_attempt_at": 0.0,
        "first_tried_at": None,
        "written_at": 0.0,
        "seen": {},
    }
    OutboxStore(cache).add(item, message)
    return next(m for m in cache.messages(chat_id) if m["key"] == client_id)


def test_cache_file_is_readable_by_its_user_only(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    mode = stat.S_IMODE(cache.path.stat().st_mode)
    assert mode == 0o600
    cache.close()


def test_batches_and_cursor_apply_together_and_pending_rows_merge(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    chat = {"id": 1, "created_at": "2026-01-01T09:00:00Z", "last_message_at": None}
    cache.apply_changes(
        [
            {"type": "chat", "data": chat},
            {"type": "message", "data": _message(1, 1, "2026-01-01T09:00:01Z")},
        ],
        2,
    )
    assert cache.cursor == 2
    pending = _pending(cache, 1, "c-1", "typed offline")
    assert pending["pending"] is True
    server_copy = dict(
        _message(2, 1, "2026-01-01T09:00:02Z", "c-1"),
        body="typed offline",
        direction="out",
        status="queued",
    )
    cache.apply_changes([{"type": "message", "data": server_copy}], 3)
    rows = cache.messages(1)
    assert [r["key"] for r in rows] == ["s1", "c-1"]
    assert rows[1]["pending"] is False and rows[1]["status"] == "queued"
    assert cache.cursor == 3
    cache.close()
    reopened = Cache(tmp_path)  # survives a restart
    assert reopened.cursor == 3 and len(reopened.messages(1)) == 2
    reopened.wipe()
    assert reopened.chats() == [] and reopened.cursor == 0
    reopened.close()


def test_a_cache_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    Cache(tmp_path).close()
    engine = create_engine(f"sqlite:///{tmp_path / 'cache.db'}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE desktop_alembic_version SET version_num = 'c9999'"))
    engine.dispose()
    with pytest.raises(CacheTooNewError, match="newer version"):
        Cache(tmp_path)


def test_a_rest_answer_never_overwrites_a_newer_synced_chat(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    newer = {
        "id": 1,
        "created_at": "2026-01-01T09:00:00Z",
        "updated_at": "2026-01-01T09:05:00Z",
        "last_message_at": None,
        "title": "Rex · Priya",
    }
    older = dict(newer, updated_at="2026-01-01T09:01:00Z", title="Guest")
    cache.store_chat(older)
    cache.apply_changes([{"type": "chat", "data": newer}], 5)
    cache.store_chat(older)
    assert cache.chats()[0]["title"] == "Rex · Priya"
    cache.store_chat(dict(newer, updated_at="2026-01-01T09:06:00Z", title="Rex · Priya Shah"))
    assert cache.chats()[0]["title"] == "Rex · Priya Shah"
    cache.close()


def test_a_late_send_answer_never_undoes_a_delivery_status(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    _pending(cache, 1, "c-1", "hello")
    delivered = dict(
        _message(5, 1, "2026-01-01T09:00:00Z", "c-1"),
        status="delivered",
        updated_at="2026-01-01T09:00:03Z",
    )
    cache.apply_changes([{"type": "message", "data": delivered}], 9)
    OutboxStore(cache).done(
        "c-1", message=dict(delivered, status="accepted", updated_at="2026-01-01T09:00:00Z")
    )
    assert cache.messages(1)[0]["status"] == "delivered"
    cache.close()


def test_drafts_survive_a_restart_and_empty_ones_go(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.save_draft(4, "Half-typed reply")
    cache.close()
    cache = Cache(tmp_path)
    assert cache.draft(4) == "Half-typed reply"
    cache.save_draft(4, "   ")
    assert cache.draft(4) == ""
    cache.close()


def test_full_text_search_is_offline_newest_first_and_follows_edits(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    rows = [
        dict(_message(1, 1, "2026-01-01T09:00:01Z"), body="Bella's vaccination is due"),
        dict(_message(2, 2, "2026-01-01T09:00:02Z"), body="Milo needs his vaccine booster"),
        dict(_message(3, 1, "2026-01-01T09:00:03Z"), body="Payment received, thank you"),
    ]
    cache.apply_changes([{"type": "message", "data": m} for m in rows], 3)
    assert [m["id"] for m in cache.search_messages("vacc")] == [2, 1]
    assert [m["id"] for m in cache.search_messages("bella vacc")] == [1]
    assert cache.search_messages('"') == [] and cache.search_messages("   ") == []
    assert cache.search_messages('vaccine" OR "x') == []  # FTS5 syntax is taken as words
    pending = _pending(cache, 1, "c-9", "Collect Bella at five")
    assert cache.search_messages("collect")[0]["key"] == pending["key"]
    cache.wipe()
    assert cache.search_messages("vacc") == []
    cache.close()


def test_chats_are_found_by_name_or_by_number_however_typed(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    chats = [
        {
            "id": 1,
            "created_at": "2026-01-01T09:00:00Z",
            "title": "Rex · Priya Shah",
            "owner_name": "Priya Shah",
            "pet_name": "Rex",
            "phone": "+447400123456",
        },
        {"id": 2, "created_at": "2026-01-01T09:00:01Z", "title": "Guest", "phone": "+447400999888"},
    ]
    cache.apply_changes([{"type": "chat", "data": c} for c in chats], 2)
    assert [c["id"] for c in cache.search_chats("priya")] == [1]
    assert [c["id"] for c in cache.search_chats("07400 999")] == [2]
    assert [c["id"] for c in cache.search_chats("+44 7400 123")] == [1]
    cache.close()


def test_search_names_the_chats_whose_messages_match_newest_first(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    rows = [
        dict(_message(1, 7, "2026-01-01T09:00:01Z"), body="Bella's vaccination is due"),
        dict(_message(2, 8, "2026-01-01T09:00:02Z"), body="Milo needs his vaccine booster"),
        dict(_message(3, 7, "2026-01-01T09:00:03Z"), body="Is the vaccine in stock?"),
        dict(_message(4, 9, "2026-01-01T09:00:04Z"), body="Payment received"),
    ]
    cache.apply_changes([{"type": "message", "data": m} for m in rows], 4)
    assert cache.search_message_chats("vacc") == [7, 8]  # each chat once, by its newest match
    assert cache.search_message_chats("vacc", scan=1) == [7]
    assert cache.search_message_chats("zebra") == [] and cache.search_message_chats(" ") == []
    cache.close()
