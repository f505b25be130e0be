"""The status line's words and the first sync's progress, from the engine's reports."""

from __future__ import annotations

from desktop.services.connection_status import ConnectionStatus


def test_the_status_line_follows_sync_and_outbox() -> None:
    status = ConnectionStatus()
    said: list[str] = []
    status.sig_text.connect(said.append)
    status.state_changed("syncing")
    status.progress(1_200, 4_000)
    status.pending_changed(2)
    status.state_changed("online")
    status.state_changed("offline")
    status.pending_changed(1)
    status.pending_changed(0)
    assert said == [
        "Syncing…",
        "Syncing… 1,200 of 4,000",
        "Syncing… 1,200 of 4,000 · 2 pending",
        "Online · 2 pending",
        "Offline · 2 pending",
        "Offline · 1 pending",
        "Offline",
    ]


def test_first_sync_progress_only_for_an_empty_cache_and_then_its_end() -> None:
    status = ConnectionStatus()
    seen: list[tuple[int, int]] = []
    status.sig_first_sync.connect(lambda done, total: seen.append((done, total)))
    status.sync_started(empty_cache=True)
    status.state_changed("syncing")
    status.progress(500, 1_300)
    status.progress(1_000, 1_300)
    status.state_changed("online")
    assert seen == [(500, 1_300), (1_000, 1_300), (-1, -1)]

    status.sync_started(empty_cache=True)  # small enough for one answer: no progress shown
    status.state_changed("online")
    status.sync_started(empty_cache=False)  # catching up an existing cache is not a first sync
    status.progress(10, 20)
    status.state_changed("online")
    assert seen == [(500, 1_300), (1_000, 1_300), (-1, -1)]
