"""Network faults: three desktop-services instances (cache, outbox, sync engine) talk to
the real backend through a proxy that refuses, resets, answers 503, delays by 2 s and loses
answers. 1,000 messages all arrive exactly once, in order per chat and writer, and the
three caches converge."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.demo import EmbeddedDemo
from desktop.services import outbox as outbox_module
from desktop.services.api import ApiClient
from desktop.services.cache import Cache
from desktop.services.outbox import Outbox
from desktop.services.sync import SyncEngine
from tests.fault_proxy import FaultProxy, Odds
from tests.support import BackendClient, wait_until

MESSAGES = int(os.environ.get("PETSAPP_FAULT_MESSAGES", "1000"))  # a longer soak: 20000
INSTANCES = 3


@pytest.fixture
def line(demo: EmbeddedDemo) -> Iterator[FaultProxy]:
    odds = Odds(refuse=0.1, reset=0.05, http503=0.05, delay=0.03, lose_answer=0.1, max_lifetime=0.5)
    proxy = FaultProxy(int(demo.backend_url.rsplit(":", 1)[1]), odds=odds, seed=5).start()
    yield proxy
    proxy.stop()


def test_a_thousand_messages_through_a_bad_line_arrive_once_in_order_and_caches_converge(
    demo: EmbeddedDemo,
    alex: BackendClient,
    line: FaultProxy,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The same back-off, scaled down so the run fits the suite.
    monkeypatch.setattr(outbox_module, "BASE_BACKOFF", 0.02)
    monkeypatch.setattr(outbox_module, "MAX_BACKOFF", 0.3)
    chats = [alex.start_sms_chat(f"07400 12300{n}").json()["chat"]["id"] for n in range(3, 6)]
    token = alex.http.headers["Authorization"].split()[1]
    me = alex.me["staff"]["id"]
    instances = []
    for n in range(INSTANCES):
        cache = Cache(tmp_path / f"pc{n}")
        client = lambda: ApiClient(line.url, token=token)  # noqa: E731
        box = Outbox(cache, client, me)
        engine = SyncEngine(client, cache, wait=2)
        box.start()
        engine.start()
        instances.append((cache, box, engine))
    try:
        for k in range(MESSAGES):
            _cache, box, _engine = instances[k % INSTANCES]
            box.write_message(chats[k % len(chats)], f"pc{k % INSTANCES} #{k}")
        wait_until(
            lambda: all(box.store.count() == 0 for _c, box, _e in instances),
            timeout=240,
            what="every outbox to empty",
        )
        for _cache, box, _engine in instances:
            box.stop()
    finally:
        for _cache, box, engine in instances:
            box.stop()
            engine.stop()

    for chat_id in chats:
        sent = [m for m in alex.messages_all(chat_id) if m["client_id"]]
        for writer in range(INSTANCES):
            mine = [
                int(m["body"].split("#")[1]) for m in sent if m["body"].startswith(f"pc{writer} ")
            ]
            assert mine == sorted(mine), "a writer's messages arrived out of order"
        assert len({m["client_id"] for m in sent}) == len(sent)
    everything = [
        m["body"] for chat_id in chats for m in alex.messages_all(chat_id) if m["client_id"]
    ]
    assert sorted(everything) == sorted(f"pc{k % INSTANCES} #{k}" for k in range(MESSAGES))
    faults = ("refuse", "reset", "http503", "lose_answer", "delay", "cut")
    assert all(line.counts.get(f, 0) > 0 for f in faults), line.counts
    assert sum(line.counts.get(f, 0) for f in faults) > 100, line.counts

    line.odds = Odds()  # the line heals; the sync engines catch up

    def snapshot(cache: Cache) -> list[tuple]:
        return sorted(
            (m["id"], m["chat_id"], m["body"], m["status"])
            for chat_id in chats
            for m in cache.messages(chat_id, 10_000)
        )

    engines = [
        SyncEngine(lambda: ApiClient(line.url, token=token), c, wait=1) for c, _b, _e in instances
    ]
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
