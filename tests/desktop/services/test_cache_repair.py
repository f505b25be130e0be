"""Opening damaged cache files (real SQLite files, pages overwritten): what is moved aside,
what is salvaged, in which order, and what the fresh files hold."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from desktop.services.cache import Cache
from desktop.services.cache_errors import (
    DiskFullError,
    is_damage,
    is_disk_full,
)
from desktop.services.cache_lane import LockedCache
from desktop.services.cache_paths import CACHE_FILE, OUTBOX_FILE
from desktop.services.cache_repair import (
    DAMAGED_COPIES_KEPT,
    damaged_copies,
    open_cache,
    reconcile_pending,
    salvage_file,
)
from desktop.services.outbox import Outbox
from desktop.services.outbox_store import OutboxStore
from tests.damage import damage, pages_of

CHAT = 7


def _chat() -> dict:
    return {
        "id": CHAT, "kind": "sms", "status": "open", "assignee_id": None,
        "created_at": "2026-12-01T09:00:00Z", "last_message_at": "2026-12-01T09:00:00Z",
        "updated_at": "2026-12-01T09:00:00Z",
    }  # fmt: skip


def _outbox(cache: Cache) -> Outbox:
    def no_client() -> None:
        raise AssertionError("nothing is sent here")

    return Outbox(LockedCache(cache), no_client, me=3)  # type: ignore[arg-type]


def _filled(folder: Path, messages: int = 3, body: str = "Rex can come home at {n}pm") -> list[str]:
    """A cache with a chat, ``messages`` unsent messages, a draft and a signed-in person;
    returns the messages' client ids, in the order written."""
    cache = Cache(folder)
    cache.apply_changes([{"type": "chat", "data": _chat()}], 5)
    cache.put("me", {"staff": {"id": 3}})
    cache.put("staff_id", 3)
    cache.put("unread", {str(CHAT): {"read": 4, "upto": 9, "n": 2}})
    outbox = _outbox(cache)
    for n in range(messages):
        outbox.write_message(cache, CHAT, body.format(n=n))
    cache.save_draft(CHAT, "and his tablets")
    ids = [item["client_id"] for item in OutboxStore(cache).items()]
    cache.close()
    return ids


def test_both_files_are_readable_by_their_user_only(tmp_path: Path) -> None:
    Cache(tmp_path).close()
    for name in (CACHE_FILE, OUTBOX_FILE):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600


def test_a_sound_cache_opens_as_it_is(tmp_path: Path) -> None:
    ids = _filled(tmp_path)
    cache, repair = open_cache(tmp_path)
    assert repair is None
    assert [i["client_id"] for i in OutboxStore(cache).items()] == ids
    assert cache.cursor == 5
    cache.close()
    assert damaged_copies(tmp_path) == []


def test_a_cache_file_that_is_not_a_database_is_rebuilt_and_the_outbox_kept(
    tmp_path: Path,
) -> None:
    ids = _filled(tmp_path)
    (tmp_path / CACHE_FILE).write_bytes(b"this is not a database" * 500)
    cache, repair = open_cache(tmp_path)
    assert repair is not None and repair.rebuilt and not repair.outbox_damaged
    assert repair.kept == 3 and repair.salvaged == 0  # nothing to salvage: the outbox was safe
    [aside] = repair.moved_aside
    assert aside.startswith("cache.damaged-") and (tmp_path / aside).exists()
    # A fresh cache: no cursor, so the next sync is a first sync; the outbox as it was,
    # each pending bubble back in its chat, the draft and who is signed in kept.
    assert cache.cursor == 0
    assert [i["client_id"] for i in OutboxStore(cache).items()] == ids
    bubbles = cache.messages(CHAT)
    assert [(m["key"], m["pending"], m["body"]) for m in bubbles] == [
        (ids[n], True, f"Rex can come home at {n}pm") for n in range(3)
    ]
    assert cache.draft(CHAT) == "and his tablets"
    assert cache.get("staff_id") == 3
    assert cache.get("unread") == {str(CHAT): {"read": 4, "upto": 9, "n": 2}}  # read here
    cache.close()


def test_a_cache_from_a_newer_build_is_set_aside_not_a_dead_end(tmp_path: Path) -> None:
    ids = _filled(tmp_path)
    engine = create_engine(f"sqlite:///{tmp_path / CACHE_FILE}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE desktop_alembic_version SET version_num = 'c9999'"))
    engine.dispose()
    cache, repair = open_cache(tmp_path)
    assert repair is not None and repair.rebuilt
    assert [i["client_id"] for i in OutboxStore(cache).items()] == ids
    cache.close()


def test_outbox_rows_past_a_damaged_page_are_salvaged_in_order_with_their_ids(
    tmp_path: Path,
) -> None:
    """Sixty long messages fill several pages of outbox.db; one of them is overwritten.
    The others are read row by row past it, queued again in the order written."""
    ids = _filled(tmp_path, messages=60, body="{n} " + "Rex's tablets, twice a day. " * 20)
    outbox_file = tmp_path / OUTBOX_FILE
    leaves = pages_of(outbox_file, "outbox", leaves_only=True)
    assert len(leaves) >= 4, leaves
    damage(outbox_file, [leaves[1]], seed=3)

    cache, repair = open_cache(tmp_path)
    assert repair is not None and repair.outbox_damaged and not repair.rebuilt
    kept = [i["client_id"] for i in OutboxStore(cache).items()]
    assert 0 < len(kept) < 60
    assert kept == [client_id for client_id in ids if client_id in kept]  # in order
    lost = [client_id for client_id in ids if client_id not in kept]
    assert len(lost) <= 60 // len(leaves) + 2, "only the damaged page's rows are lost"
    assert repair.salvaged == len(kept) == repair.kept
    # The chat's bubbles are the outbox's: a lost item's bubble goes too.
    assert {m["key"] for m in cache.messages(CHAT, 500) if m["pending"]} == set(kept)
    assert any(p.name.startswith("outbox.damaged-") for p in damaged_copies(tmp_path))
    cache.close()


def test_salvage_reads_nothing_it_cannot_trust(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\0" * 100 + b"noise" * 1000)
    found = salvage_file(junk)
    assert (found.items, found.drafts, found.values) == ([], [], {})


def test_older_damaged_copies_make_room_for_new_ones(tmp_path: Path) -> None:
    _filled(tmp_path)
    for _ in range(DAMAGED_COPIES_KEPT + 2):
        (tmp_path / CACHE_FILE).write_bytes(b"not a database" * 100)
        cache, _repair = open_cache(tmp_path)
        cache.close()
    copies = [p for p in damaged_copies(tmp_path) if p.suffix == ".db"]
    assert len(copies) == DAMAGED_COPIES_KEPT


def test_a_kill_between_the_two_files_commits_leaves_nothing_dangling(tmp_path: Path) -> None:
    """The two files commit one after the other: a pending bubble whose item never made it
    goes; an item whose bubble never made it gets one back."""
    ids = _filled(tmp_path, messages=2)
    cache = Cache(tmp_path)
    with cache.engine.begin() as connection:
        connection.execute(text("DELETE FROM outbox.outbox WHERE client_id = :c"), {"c": ids[0]})
        connection.execute(text("DELETE FROM main.messages WHERE key = :c"), {"c": ids[1]})
    assert reconcile_pending(cache) == 1
    assert [(m["key"], m["pending"]) for m in cache.messages(CHAT)] == [(ids[1], True)]
    cache.close()


def test_errors_are_told_apart() -> None:
    connection = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError) as not_damage:
        connection.execute("SELECT * FROM nowhere")
    assert not is_damage(not_damage.value) and not is_disk_full(not_damage.value)
    assert is_disk_full(DiskFullError()) and is_disk_full(OSError(28, "No space left"))
    assert "disk is full" in str(DiskFullError())


def test_a_database_error_never_quotes_what_was_written(tmp_path: Path) -> None:
    """Errors are logged with their tracebacks: the values of the statement stay out."""
    _filled(tmp_path, messages=1, body="Rex's results: {n} positive")
    cache = Cache(tmp_path)
    [item] = OutboxStore(cache).items()
    with pytest.raises(Exception) as error:  # the same client id twice: refused
        OutboxStore(cache).add({**item, "payload": {"body": "Rex's results"}}, None)
    assert "UNIQUE" in str(error.value) and "Rex" not in str(error.value)
    cache.close()
