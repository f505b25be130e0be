"""The sync engine against the real backend: changes arrive, and the cursor is kept."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from backend.demo import EmbeddedDemo
from desktop.services.api import ApiClient
from desktop.services.cache import Cache
from desktop.services.cache_lane import LockedCache
from desktop.services.changes import ChangeSet
from desktop.services.sync import SyncEngine
from tests.support import BackendClient, text_in


def test_engine_applies_the_feed_and_goes_offline_when_the_server_stops(
    qtbot: QtBot, demo: EmbeddedDemo, alex: BackendClient, tmp_path: Path
) -> None:
    token = alex.http.headers["Authorization"].split()[1]
    cache = Cache(tmp_path)
    received: list[ChangeSet] = []
    engine = SyncEngine(
        lambda: ApiClient(demo.backend_url, token=token),
        LockedCache(cache, received.append),
        wait=5,
    )
    with qtbot.waitSignal(
        engine.sig_state, check_params_cb=lambda s: s == "online", timeout=10_000
    ):
        engine.start()
    text_in(demo, "+447400123456", "Hello from the owner")
    qtbot.waitUntil(lambda: any(c.messages for c in received), timeout=10_000)
    chat_id = next(chat["id"] for c in received for chat in c.chats)
    assert cache.messages(chat_id)[-1]["body"] == "Hello from the owner"
    assert [m["body"] for c in received for m in c.inbound] == ["Hello from the owner"]  # live
    assert cache.cursor == alex.sync()["cursor"]  # the cursor went in with the batch

    with qtbot.waitSignal(
        engine.sig_state, check_params_cb=lambda s: s == "offline", timeout=20_000
    ):
        demo.stop()
    engine.stop()
    cache.close()


def test_offline_from_the_start_is_reported_with_a_reason(qtbot: QtBot, tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    engine = SyncEngine(
        lambda: ApiClient("http://127.0.0.1:9", token="t"), LockedCache(cache), wait=5
    )
    with qtbot.waitSignal(engine.sig_offline_reason, timeout=5_000) as blocker:
        engine.start()
    assert "cannot be reached" in blocker.args[0]
    engine.stop()
    cache.close()
