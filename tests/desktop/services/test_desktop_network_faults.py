"""Network faults on both links: three practice PCs (cache, outbox, sync engine each) write
into the same chats through a line to the backend that refuses, resets, answers 503, holds
answers past the client's timeout and loses them; the backend reaches the provider through a
line that does the same to it. Counted at the provider: every text reaches its owner once,
each PC's texts in the order typed, after the welcome; and the three caches converge."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest

from backend.demo import EmbeddedDemo
from desktop.services import outbox as outbox_module
from desktop.services.api import ApiClient
from desktop.services.cache import Cache
from desktop.services.cache_lane import LockedCache
from desktop.services.outbox import Outbox
from desktop.services.outbox_store import OutboxStore
from desktop.services.sync import SyncEngine
from tests.backend.crash_support import provider_copies
from tests.fault_proxy import FaultProxy, Odds
from tests.support import BackendClient, wait_until

MESSAGES = int(os.environ.get("PETSAPP_FAULT_MESSAGES", "600"))  # a longer soak: 20000
INSTANCES = 3
NUMBERS = [f"+4474001230{n:02d}" for n in range(3, 7)]
CLIENT_TIMEOUT = 1.0  # the PCs' read timeout: a held answer outlasts it
HELD_FOR = 1.6  # how long a "delay" fault holds an answer, on both links


@dataclass
class Lines:
    demo: EmbeddedDemo
    to_backend: FaultProxy
    to_provider: FaultProxy


@pytest.fixture
def lines(tmp_path: Path) -> Iterator[Lines]:
    made: list[FaultProxy] = []

    def provider_line(sandbox_url: str) -> str:
        odds = Odds(
            refuse=0.03,
            reset=0.02,
            http503=0.03,
            delay=0.03,
            lose_answer=0.05,
            delay_seconds=HELD_FOR,  # past the backend's 1 s provider timeout
            max_lifetime=1.0,
        )
        made.append(FaultProxy(int(sandbox_url.rsplit(":", 1)[1]), odds=odds, seed=11).start())
        return made[0].url

    demo = EmbeddedDemo(
        tmp_path / "server",
        provider_link=provider_line,
        provider_timeout="1",
        provider_connect_timeout="1",
    ).start()
    odds = Odds(
        refuse=0.1,
        reset=0.05,
        http503=0.05,
        delay=0.03,
        lose_answer=0.1,
        delay_seconds=HELD_FOR,
        max_lifetime=0.5,
    )
    to_backend = FaultProxy(int(demo.backend_url.rsplit(":", 1)[1]), odds=odds, seed=5).start()
    try:
        yield Lines(demo, to_backend, made[0])
    finally:
        to_backend.stop()
        demo.stop()
        made[0].stop()


@pytest.mark.timeout(300)
def test_texts_from_three_pcs_into_the_same_chats_reach_each_owner_once_in_order(
    lines: Lines, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same back-off, scaled down so the run fits the suite.
    monkeypatch.setattr(outbox_module, "BASE_BACKOFF", 0.02)
    monkeypatch.setattr(outbox_module, "MAX_BACKOFF", 0.3)
    alex = BackendClient(lines.demo).sign_in("alex@riverside.example")
    chats = {alex.start_sms_chat(n).json()["chat"]["id"]: n for n in NUMBERS}
    chat_ids = list(chats)
    token = alex.http.headers["Authorization"].split()[1]
    me = alex.me["staff"]["id"]

    def client() -> ApiClient:
        return ApiClient(lines.to_backend.url, token=token, read_timeout=CLIENT_TIMEOUT)

    instances = []
    lanes: list[LockedCache] = []
    for n in range(INSTANCES):
        cache = Cache(tmp_path / f"pc{n}")
        # Each PC's cache is used one operation at a time, as the app's lane does.
        calls = LockedCache(cache)
        box = Outbox(calls, client, me)
        engine = SyncEngine(client, calls, wait=2)
        box.start()
        engine.start()
        instances.append((cache, box, engine))
        lanes.append(calls)
    typed: dict[int, list[str]] = {chat_id: [] for chat_id in chat_ids}
    try:
        for k in range(MESSAGES):
            writer = k % INSTANCES
            chat_id = chat_ids[(k // INSTANCES) % len(chat_ids)]  # every PC writes every chat
            body = f"pc{writer} #{k}"
            box = instances[writer][1]
            lanes[writer].call(partial(box.write_message, chat_id=chat_id, body=body))
            typed[chat_id].append(body)
        wait_until(
            lambda: all(lane.call(lambda c: OutboxStore(c).count()) == 0 for lane in lanes),
            timeout=150,
            what="every outbox to empty",
        )
        wait_until(
            lambda: all(m["status"] != "accepted" for c in chat_ids for m in alex.messages(c)),
            timeout=60,
            what="every text to reach the provider",
        )
    finally:
        for _cache, box, engine in instances:
            box.stop()
            engine.stop()
        for _cache, box, engine in instances:
            box.join(CLIENT_TIMEOUT + 5)
            engine.join(CLIENT_TIMEOUT + 5)

    for chat_id, number in chats.items():
        copies = provider_copies(lines.demo.sandbox_url, number)
        assert copies[0].startswith("Hi, this is Riverside Vets"), "the welcome goes first"
        assert sorted(copies[1:]) == sorted(typed[chat_id]), f"lost or repeated in {number}"
        for writer in range(INSTANCES):
            mine = [int(b.split("#")[1]) for b in copies[1:] if b.startswith(f"pc{writer} ")]
            assert mine == sorted(mine), f"pc{writer}'s texts to {number} out of order"
    faults = ("refuse", "reset", "http503", "lose_answer", "delay", "cut")
    for line in (lines.to_backend, lines.to_provider):
        assert all(line.counts.get(f, 0) > 0 for f in faults), line.counts

    lines.to_backend.odds = Odds()  # the line heals; the sync engines catch up

    def snapshot(cache: Cache) -> list[tuple]:
        return sorted(
            (m["id"], m["chat_id"], m["body"], m["status"])
            for chat_id in chat_ids
            for m in cache.messages(chat_id, 10_000)
        )

    engines = [SyncEngine(client, LockedCache(c), wait=1) for c, _b, _e in instances]
    for engine in engines:
        engine.start()
    try:
        wait_until(
            lambda: (
                len({tuple(snapshot(c)) for c, _b, _e in instances}) == 1
                and len(snapshot(instances[0][0])) >= MESSAGES
            ),
            timeout=60,
            what="the three caches to converge",
        )
    finally:
        for engine in engines:
            engine.stop()
        for engine in engines:
            engine.join(CLIENT_TIMEOUT + 5)
