"""The outbox against the real backend, through a loopback proxy that breaks the line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backend.demo import EmbeddedDemo
from desktop.services.api import ApiClient
from desktop.services.cache import Cache
from desktop.services.cache_lane import LockedCache
from desktop.services.changes import ChangeSet
from desktop.services.outbox import GIVE_UP_AFTER, HOLD_AFTER, Outbox
from desktop.services.outbox_store import OutboxStore
from tests.fault_proxy import FaultProxy, Odds
from tests.support import BackendClient, text_in, wait_until

GUEST = "+447400123456"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def proxy(demo: EmbeddedDemo) -> Iterator[FaultProxy]:
    port = int(demo.backend_url.rsplit(":", 1)[1])
    line = FaultProxy(port).start()
    yield line
    line.stop()


class Heard:
    """What the outbox told: its change sets, and the sessions it found ended."""

    def __init__(self) -> None:
        self.changes: list[ChangeSet] = []
        self.signed_out: list[str] = []

    def chats(self) -> list[dict[str, Any]]:
        return [chat for c in self.changes for chat in c.chats]


def _outbox(
    tmp_path: Path, proxy: FaultProxy, alex: BackendClient, clock: Clock | None = None
) -> tuple[Outbox, Cache, Heard]:
    token = alex.http.headers["Authorization"].split()[1]
    cache = Cache(tmp_path / "pc")
    heard = Heard()
    outbox = Outbox(
        LockedCache(cache, heard.changes.append),
        lambda: ApiClient(proxy.url, token=token),
        alex.me["staff"]["id"],
        heard.signed_out.append,
        clock or Clock(),
    )
    return outbox, cache, heard


def _bodies(alex: BackendClient, chat_id: int) -> list[str]:
    return [m["body"] for m in alex.messages(chat_id) if m["direction"] == "out" and m["client_id"]]


def test_written_offline_shown_pending_then_sent_in_order_when_the_line_is_back(
    tmp_path: Path, demo: EmbeddedDemo, alex: BackendClient, proxy: FaultProxy
) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    outbox, cache, _events = _outbox(tmp_path, proxy, alex)
    proxy.offline = True
    written = [outbox.write_message(cache, chat["id"], f"offline {n}") for n in range(5)]
    shown = [changes.messages[0] for changes in written]
    assert all(m["status"] == "pending" and m["pending"] for m in shown)
    assert [m["body"] for m in cache.messages(chat["id"])] == [f"offline {n}" for n in range(5)]
    client = ApiClient(proxy.url, token=alex.http.headers["Authorization"].split()[1])
    assert outbox.drain(client) == 0
    assert OutboxStore(cache).count() == 5 and written[-1].pending == 5

    proxy.offline = False
    OutboxStore(cache).reset_schedule(0)  # as at start: try at once
    assert outbox.drain(client) == 5
    assert _bodies(alex, chat["id"]) == [f"offline {n}" for n in range(5)]
    assert OutboxStore(cache).count() == 0
    assert not any(m["pending"] for m in cache.messages(chat["id"]))


def test_a_lost_answer_is_resent_and_recognised_never_duplicated(
    tmp_path: Path, demo: EmbeddedDemo, alex: BackendClient, proxy: FaultProxy
) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    outbox, cache, _events = _outbox(tmp_path, proxy, alex)
    client = ApiClient(proxy.url, token=alex.http.headers["Authorization"].split()[1])
    proxy.odds = Odds(lose_answer=1.0)
    outbox.write_message(cache, chat["id"], "Only once")
    assert outbox.drain(client) == 0  # the backend stored it; the answer was lost
    assert _bodies(alex, chat["id"]) == ["Only once"]
    proxy.odds = Odds()
    OutboxStore(cache).reset_schedule(0)
    assert outbox.drain(client) == 1
    assert _bodies(alex, chat["id"]) == ["Only once"]


def test_a_refusal_fails_at_once_with_the_reason_and_blocks_only_its_chat(
    tmp_path: Path, demo: EmbeddedDemo, alex: BackendClient, proxy: FaultProxy
) -> None:
    stopped = alex.start_sms_chat(GUEST).json()["chat"]
    other = alex.start_sms_chat("07400 123999").json()["chat"]
    text_in(demo, GUEST, "STOP")
    outbox, cache, _events = _outbox(tmp_path, proxy, alex)
    client = ApiClient(proxy.url, token=alex.http.headers["Authorization"].split()[1])
    outbox.write_message(cache, stopped["id"], "first")
    outbox.write_message(cache, stopped["id"], "second, waits behind the first")
    outbox.write_message(cache, other["id"], "unaffected")
    outbox.drain(client)
    states = {i["payload"]["body"]: (i["state"], i["error"]) for i in OutboxStore(cache).items()}
    assert states["first"][0] == "failed" and "opted out" in states["first"][1]
    assert states["second, waits behind the first"][0] == "pending"
    assert _bodies(alex, other["id"]) == ["unaffected"]
    failed = next(m for m in cache.messages(stopped["id"]) if m["body"] == "first")
    assert failed["status"] == "failed" and "opted out" in failed["error"]

    outbox.discard(cache, failed["key"])
    assert [m["body"] for m in cache.messages(stopped["id"])] == ["second, waits behind the first"]
    text_in(demo, GUEST, "START")
    outbox.drain(client)
    assert _bodies(alex, stopped["id"]) == ["second, waits behind the first"]


def test_an_item_that_waited_while_the_chat_changed_is_held_for_the_user(
    tmp_path: Path, demo: EmbeddedDemo, alex: BackendClient, proxy: FaultProxy
) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    clock = Clock()
    outbox, cache, _events = _outbox(tmp_path, proxy, alex, clock)
    cache.apply_changes(alex.sync()["changes"], alex.sync()["cursor"])
    client = ApiClient(proxy.url, token=alex.http.headers["Authorization"].split()[1])
    proxy.offline = True
    outbox.write_message(cache, chat["id"], "Yes, Tuesday works")
    outbox.drain(client)
    text_in(demo, GUEST, "Actually, can we do Wednesday?")  # the client wrote meanwhile
    wait_until(lambda: any("Wednesday" in str(c) for c in alex.sync()["changes"]))
    feed = alex.sync()
    cache.apply_changes(feed["changes"], feed["cursor"])
    delivered = alex.sync()
    cache.apply_changes(delivered["changes"], delivered["cursor"])
    proxy.offline = False
    clock.now += HOLD_AFTER + 1
    OutboxStore(cache).reset_schedule(clock.now)
    assert outbox.drain(client) == 0
    held = OutboxStore(cache).items()[0]
    assert held["state"] == "held" and "changed" in held["error"]
    assert _bodies(alex, chat["id"]) == []

    outbox.retry(cache, held["client_id"])  # "Send anyway"
    assert outbox.drain(client) == 1
    assert _bodies(alex, chat["id"]) == ["Yes, Tuesday works"]


def test_after_24_hours_without_the_server_an_item_fails_with_the_reason(
    tmp_path: Path, demo: EmbeddedDemo, alex: BackendClient, proxy: FaultProxy
) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    clock = Clock()
    outbox, cache, _events = _outbox(tmp_path, proxy, alex, clock)
    client = ApiClient(proxy.url, token=alex.http.headers["Authorization"].split()[1])
    proxy.offline = True
    outbox.write_details(cache, chat["id"], "Priya Shah", "Rex")
    outbox.drain(client)
    item = OutboxStore(cache).items()[0]
    assert item["state"] == "pending" and item["next_attempt_at"] > clock.now  # backing off
    clock.now += GIVE_UP_AFTER + 1
    OutboxStore(cache).reset_schedule(clock.now)
    outbox.drain(client)
    item = OutboxStore(cache).items()[0]
    assert item["state"] == "failed" and "24 hours" in item["error"]
    proxy.offline = False
    outbox.retry(cache, item["client_id"])
    assert outbox.drain(client) == 1
    named = [c["data"] for c in alex.sync()["changes"] if c["type"] == "chat"][-1]
    assert named["title"] == "Rex · Priya Shah"


def test_an_ended_session_stops_the_outbox_and_keeps_the_items(
    tmp_path: Path, demo: EmbeddedDemo, alex: BackendClient, proxy: FaultProxy
) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    outbox, cache, events = _outbox(tmp_path, proxy, alex)
    outbox.write_message(cache, chat["id"], "Written just before the token was revoked")
    alex.call("POST", "/api/v1/auth/logout")
    client = ApiClient(proxy.url, token=alex.http.headers["Authorization"].split()[1])
    assert outbox.drain(client) == 0
    assert events.signed_out
    assert OutboxStore(cache).count() == 1  # kept for the next sign-in
    assert outbox.drain(client) == 0  # stopped: no more requests with a dead token


def test_closing_offline_happens_when_the_line_is_back_and_a_refusal_keeps_the_note(
    tmp_path: Path, demo: EmbeddedDemo, alex: BackendClient, proxy: FaultProxy
) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    clock = Clock()
    outbox, cache, events = _outbox(tmp_path, proxy, alex, clock)
    client = ApiClient(proxy.url, token=alex.http.headers["Authorization"].split()[1])
    proxy.offline = True
    outbox.write_status(cache, chat["id"], "closed")
    outbox.write_handoff(cache, chat["id"], 999_999, "Call the owner about Rex's tablets")
    outbox.write_message(cache, chat["id"], "behind them, still goes")
    assert outbox.drain(client) == 0 and OutboxStore(cache).count() == 3
    proxy.offline = False
    OutboxStore(cache).reset_schedule(clock.now)

    outbox.drain(client)
    assert events.chats()[0]["status"] == "closed"
    assert alex.chat(chat["id"])["status"] == "open"  # the message reopened it, in order
    refused = [r for c in events.changes for r in c.refused]
    assert len(refused) == 1 and refused[0].kind == "handoff", refused
    assert refused[0].payload["note"] == "Call the owner about Rex's tablets"
    assert refused[0].error
    assert _bodies(alex, chat["id"]) == ["behind them, still goes"]
    assert OutboxStore(cache).count() == 0

    outbox.write_status(cache, chat["id"], "closed")
    outbox.drain(client)
    assert alex.chat(chat["id"])["status"] == "closed"
    outbox.write_status(cache, chat["id"], "open")
    outbox.drain(client)
    assert alex.chat(chat["id"])["status"] == "open"
