"""A first sign-in on a PC: the Chat page shows the first sync's progress, then the queue."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QProgressBar
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from backend.domain.chats.records import add_message
from backend.models import Chat, Staff
from desktop.views.main_window import MainWindow
from tests.desktop.ui import by_label, sign_in
from tests.support import BackendClient

NOTES = 1_200  # more than two sync answers' worth, so progress is reported


def _long_history(demo: EmbeddedDemo, alex: BackendClient) -> int:
    """A chat with ``NOTES`` internal notes, written in one transaction (fast)."""
    chat_id = alex.start_sms_chat("07400 123456").json()["chat"]["id"]
    assert demo.database is not None
    with demo.database.write() as session:
        chat = session.get_one(Chat, chat_id)
        staff = session.scalars(select(Staff).where(Staff.email == DEMO_EMAIL)).one()
        for n in range(NOTES):
            add_message(
                session, chat, direction="internal", body=f"note {n}", status="internal",
                sender_id=staff.id,
            )  # fmt: skip
    return chat_id


def test_first_sign_in_shows_sync_progress_then_the_queue(
    qtbot: QtBot,
    demo: EmbeddedDemo,
    alex: BackendClient,
    open_window: Callable[..., MainWindow],
) -> None:
    _long_history(demo, alex)
    window = open_window("--server", demo.backend_url)
    qtbot.waitUntil(lambda: window.app.workspace is not None, timeout=10_000)
    seen: list[tuple[int, bool, str, int, int]] = []

    def look(done: int, _total: int) -> None:  # runs after the window's own slot
        page = window.first_sync
        bar = by_label(QProgressBar, "Sync progress", window) if page.isVisible() else page.bar
        seen.append((done, page.isVisible(), page.detail.text(), bar.value(), bar.maximum()))

    window.app.workspace.sig_first_sync.connect(look)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    # The end of the first sync, (-1, -1): not the queue's first row, which the first answer
    # already brings while the progress reports are still on their way.
    qtbot.waitUntil(lambda: any(done == -1 for done, *_ in seen), timeout=20_000)
    assert seen[-1][0] == -1 and not window.first_sync.isVisible()

    counting = [s for s in seen[:-1] if s[1]]
    assert counting, seen
    _done, _shown, detail, value, maximum = counting[-1]
    assert detail == f"{value:,} of {maximum:,} changes" and 0 < value < maximum
    assert maximum > NOTES
    assert window.queue_model.rowCount() == 1 and window.queue.isVisible()
    assert not by_label(QLabel, "Connection", window).text().startswith("Syncing")
