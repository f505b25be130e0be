"""The sync engine against the real backend: changes arrive, and the cursor is kept."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from backend.demo import EmbeddedDemo
from desktop.services.api import ApiClient
from desktop.services.cache import Cache
from desktop.services.sync import SyncEngine
from tests.support import BackendClient, text_in


def test_engine_applies_the_feed_and_goes_offline_when_the_server_stops(
    qtbot: QtBot, demo: EmbeddedDemo, alex: BackendClient, tmp_path: Path
) -> None:
    token = alex.http.headers["Authorization"].split()[1]
    cache = Cache(tmp_path)
    engine = SyncEngine(lambda: ApiClient(demo.backend_url, token=token), cache, wait=5)
    received: list[dict] = []
    engine.sig_changes.connect(received.extend)
    with qtbot.waitSignal(
        engine.sig_state, check_params_cb=lambda s: s == "online", timeout=10_000
    ):
        engine.start()
    text_in(demo, "+447400123456", "Hello from the owner")
    qtbot.waitUntil(lambda: any(c["type"] == "message" for c in received), timeout=10_000)
    chat_id = next(c["data"]["id"] for c in received if c["type"] == "chat")
    assert cache.messages(chat_id)[-1]["body"] == "Hello from the owner"
    assert cache.cursor == max(c["seq"] for c in received)

    with qtbot.waitSignal(
        engine.sig_state, check_params_cb=lambda s: s == "offline", timeout=20_000
    ):
        demo.stop()
    engine.stop()
    cache.close()


def test_offline_from_the_start_is_reported_with_a_reason(qtbot: QtBot, tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    engine = SyncEngine(lambda: ApiClient("http://127.0.0.1:9", token="t"), cache, wait=5)
    with qtbot.waitSignal(engine.sig_offline_reason, timeout=5_000) as blocker:
        engine.start()
    assert "cannot be reached" in blocker.args[0]
    engine.stop()
    cache.close()
