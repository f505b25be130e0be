"""The send journal and its replay, on the real cache: a message Send was pressed for is
written to the outbox once, whatever point the app was killed at, and the chat's draft goes
with it unless it is newer typing."""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.services.api import ApiClient
from desktop.services.cache import Cache
from desktop.services.cache_lane import LockedCache
from desktop.services.outbox import Outbox
from desktop.services.outbox_store import OutboxStore
from desktop.services.send_journal import STALE_TEMP_SECONDS, SendJournal

CHAT = 7


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    opened = Cache(tmp_path / "pc")
    yield opened
    opened.close()


def _outbox(cache: Cache) -> Outbox:
    # Never started: these tests only write; nothing is sent, so no server is needed.
    return Outbox(LockedCache(cache), lambda: ApiClient("http://127.0.0.1:9"), 1)


def _journal(cache: Cache) -> SendJournal:
    return SendJournal(cache.path.parent / "sending")


def _replay(journal: SendJournal, outbox: Outbox, cache: Cache) -> list[str]:
    """What the workspace does at start: each leftover into the outbox, then removed."""
    written = []
    for entry in journal.entries():
        if outbox.write_journalled(cache, entry) is not None:
            written.append(entry.body)
        journal.remove(entry)
    return written


def _pending_bodies(cache: Cache) -> list[str]:
    return [item["payload"]["body"] for item in OutboxStore(cache).items()]


def test_the_journal_is_one_private_file_per_message_in_the_order_pressed(cache: Cache) -> None:
    journal = _journal(cache)
    first = journal.write(CHAT, "Bella can come home at 4pm")
    second = journal.write(CHAT, "Bring her lead, please 🐕")
    assert stat.S_IMODE(os.stat(journal.folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(first.path).st_mode) == 0o600
    assert first.client_id != second.client_id
    assert [(e.client_id, e.chat_id, e.body) for e in journal.entries()] == [
        (first.client_id, CHAT, "Bella can come home at 4pm"),
        (second.client_id, CHAT, "Bring her lead, please 🐕"),
    ]
    assert not [p for p in journal.folder.iterdir() if p.name.endswith(".tmp")]
    journal.remove(first)
    journal.remove(first)  # twice is harmless (a replay after a kill may find it gone)
    assert [e.body for e in journal.entries()] == ["Bring her lead, please 🐕"]
    journal.wipe()
    assert journal.entries() == []


def test_a_leftover_not_yet_in_the_outbox_is_written_once_as_pressed(cache: Cache) -> None:
    journal, outbox = _journal(cache), _outbox(cache)
    entries = [journal.write(CHAT, f"message {n}") for n in range(3)]
    assert _replay(journal, outbox, cache) == ["message 0", "message 1", "message 2"]
    items = OutboxStore(cache).items()
    assert [i["client_id"] for i in items] == [e.client_id for e in entries]  # the same ids
    assert [i["written_at"] for i in items] == [e.written_at for e in entries]
    shown = cache.messages(CHAT)
    assert [(m["key"], m["body"], m["pending"]) for m in shown] == [
        (e.client_id, e.body, True) for e in entries
    ]
    assert journal.entries() == []
    # Killed after the outbox write but before the files went: a second start adds nothing.
    for entry in entries:
        assert outbox.write_journalled(cache, entry) is None
    assert _pending_bodies(cache) == ["message 0", "message 1", "message 2"]


def test_a_leftover_whose_lane_job_committed_is_not_written_twice(cache: Cache) -> None:
    journal, outbox = _journal(cache), _outbox(cache)
    entry = journal.write(CHAT, "Written, then killed before the file went")
    outbox.write_message(cache, entry.chat_id, entry.body, entry.client_id)  # the lane job
    assert _replay(journal, outbox, cache) == []
    assert _pending_bodies(cache) == ["Written, then killed before the file went"]
    assert journal.entries() == []


def test_a_leftover_already_sent_and_confirmed_is_not_written_again(cache: Cache) -> None:
    journal, outbox = _journal(cache), _outbox(cache)
    entry = journal.write(CHAT, "Already at the client")
    outbox.write_message(cache, entry.chat_id, entry.body, entry.client_id)
    confirmed = {
        "id": 41,
        "client_id": entry.client_id,
        "chat_id": CHAT,
        "direction": "out",
        "body": entry.body,
        "status": "delivered",
        "sender_id": 1,
        "created_at": "2026-01-01T09:00:00Z",
        "updated_at": "2026-01-01T09:00:01Z",
    }
    OutboxStore(cache).done(entry.client_id, message=confirmed)  # what the worker does once sent
    assert OutboxStore(cache).count() == 0
    assert _replay(journal, outbox, cache) == []
    assert OutboxStore(cache).count() == 0
    assert [m["body"] for m in cache.messages(CHAT)] == ["Already at the client"]


def test_the_lane_job_clears_the_chats_draft_with_the_outbox_write(cache: Cache) -> None:
    cache.save_draft(CHAT, "Bella can come home at 4")  # saved while typing
    cache.save_draft(CHAT + 1, "another chat's draft")
    _outbox(cache).write_message(cache, CHAT, "Bella can come home at 4pm")
    assert cache.draft(CHAT) == ""
    assert cache.draft(CHAT + 1) == "another chat's draft"


def test_replay_clears_the_draft_when_it_is_the_text_sent(cache: Cache) -> None:
    journal = _journal(cache)
    entry = journal.write(CHAT, "See you at 4")
    cache.save_draft(CHAT, "See you at 4\n")  # the draft keeps what the box held, unstripped
    assert _replay(journal, _outbox(cache), cache) == [entry.body]
    assert cache.draft(CHAT) == ""


def test_replay_keeps_a_different_draft_typed_after_send(cache: Cache) -> None:
    journal = _journal(cache)
    journal.write(CHAT, "See you at 4")
    time.sleep(0.002)
    cache.save_draft(CHAT, "And bring the lead")  # typed after Send (its write had failed)
    cache.save_draft(CHAT + 1, "See you at 4")  # the same words in another chat
    assert _replay(journal, _outbox(cache), cache) == ["See you at 4"]
    assert cache.draft(CHAT) == "And bring the lead"
    assert cache.draft(CHAT + 1) == "See you at 4"


def test_replay_clears_a_draft_saved_part_way_through_typing_before_send(cache: Cache) -> None:
    journal = _journal(cache)
    cache.save_draft(CHAT, "See you")  # the draft timer fired at a pause
    time.sleep(0.002)
    journal.write(CHAT, "See you at 4")  # then the rest was typed and Send pressed
    assert _replay(journal, _outbox(cache), cache) == ["See you at 4"]
    assert cache.draft(CHAT) == ""  # not both the sent text and its first half


def test_a_broken_file_is_dropped_with_a_log_line_that_names_no_text(
    cache: Cache, caplog: pytest.LogCaptureFixture
) -> None:
    journal = _journal(cache)
    good = journal.write(CHAT, "Kept")
    broken = {
        "00000000000000000001-cut.json": '{"client_id": "x", "chat_id": 7, "body": "Secr',
        "00000000000000000002-list.json": '["Secret words"]',
        "00000000000000000003-types.json": '{"client_id": "y", "chat_id": "7", '
        '"body": "Secret words", "written_at": 1}',
        "00000000000000000004-empty.json": '{"client_id": "z", "chat_id": 7, '
        '"body": "  ", "written_at": 1}',
    }
    for name, content in broken.items():
        (journal.folder / name).write_text(content)
    fresh_temp = journal.folder / "00000000000000000005-mid-write.json.tmp"
    fresh_temp.write_text('{"body": "Secret')
    old_temp = journal.folder / "00000000000000000006-killed.json.tmp"
    old_temp.write_text('{"body": "Secret')
    long_ago = time.time() - STALE_TEMP_SECONDS - 5
    os.utime(old_temp, (long_ago, long_ago))

    with caplog.at_level(logging.WARNING, logger="desktop.services.send_journal"):
        entries = journal.entries()
    assert [e.client_id for e in entries] == [good.client_id]
    left = sorted(p.name for p in journal.folder.iterdir())
    assert left == sorted([good.path.name, fresh_temp.name])  # a Send may be writing that one
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == 5 and all("Secret" not in line for line in logged)
    assert _replay(journal, _outbox(cache), cache) == ["Kept"]


def test_an_unwritable_journal_raises_so_the_composer_keeps_the_text(tmp_path: Path) -> None:
    blocked = tmp_path / "sending"
    blocked.write_text("")  # a file where the folder should be
    with pytest.raises(OSError):
        SendJournal(blocked).write(CHAT, "Not lost")
