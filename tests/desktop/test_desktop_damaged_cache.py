"""A damaged cache file in the real window: pages of a real cache (with unsent messages
waiting) overwritten at several places, as a disk fault or a scanner leaves them. The app
starts, moves the file aside, says so in one sentence, rebuilds from the server with the
first sync's progress, and every unsent text reaches the owner's phone once; damage that
only shows when a page is read, later in the session, is rebuilt the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from backend.domain.chats.records import add_message
from backend.models import Chat, Staff
from desktop.services import cache_repair
from desktop.services.cache_paths import CACHE_FILE
from desktop.services.outbox_store import OutboxStore
from desktop.views.main_window import MainWindow
from tests.damage import PAGE, damage, pages_of
from tests.desktop.ui import by_label, look_in_cache, sign_in
from tests.fault_proxy import FaultProxy
from tests.file_keyring import FileKeyring
from tests.support import sandbox_messages, text_in

GUEST = "+447400123456"
UNSENT = ["Rex can come home at 4pm", "Please bring his lead", "The bill is £42.50"]
NOTES = 700  # more than one sync answer (500 changes): the rebuild shows its progress
REBUILT = (
    "The local copy of your chats was damaged and is being rebuilt from the server. "
    "3 unsent messages were kept."
)


@pytest.fixture
def stored_sign_in(tmp_path: Path) -> Iterator[None]:
    keyring.set_keyring(FileKeyring(tmp_path / "keyring.json"))  # a restart stays signed in
    yield
    keyring.set_keyring(keyring.backends.fail.Keyring())


@pytest.fixture
def line(demo: EmbeddedDemo) -> Iterator[FaultProxy]:
    """The practice's broadband between the desktop and the backend."""
    proxy = FaultProxy(int(demo.backend_url.rsplit(":", 1)[1])).start()
    yield proxy
    proxy.stop()


def _history(demo: EmbeddedDemo) -> None:
    """The owner's chat, with ``NOTES`` internal notes (one transaction: fast)."""
    text_in(demo, GUEST, "Is Rex ready?")
    assert demo.database is not None
    with demo.database.write() as session:
        chat = session.scalars(select(Chat)).one()  # the demo starts with no chats
        staff = session.scalars(select(Staff).where(Staff.email == DEMO_EMAIL)).one()
        for n in range(NOTES):
            add_message(
                session, chat, direction="internal", body=f"note {n}", status="internal",
                sender_id=staff.id,
            )  # fmt: skip


def _click_first_chat(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.queue_model.rowCount() >= 1, timeout=20_000)
    qtbot.mouseClick(
        window.queue.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.queue.visualRect(window.queue_model.index(0)).center(),
    )
    qtbot.waitUntil(lambda: window.chat_panel.chat is not None, timeout=5_000)


def _unsent_texts_left_offline(
    qtbot: QtBot, window: MainWindow, line: FaultProxy
) -> tuple[Path, int]:
    """Signed in and synced, then the line goes down and three texts are sent: they wait
    in the outbox. Returns the cache folder and the chat."""
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    _click_first_chat(qtbot, window)
    workspace = window.app.workspace  # type: ignore[attr-defined]
    chat_id = window.chat_panel.chat["id"]  # type: ignore[index]
    cache = look_in_cache(workspace)
    qtbot.waitUntil(lambda: len(cache.messages(chat_id, 5_000)) > NOTES, timeout=30_000)
    line.go_offline()
    editor = by_label(QPlainTextEdit, "Message", window)
    for body in UNSENT:
        editor.setPlainText(body)
        qtbot.mouseClick(by_label(QPushButton, "Send", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(OutboxStore(cache).items()) == len(UNSENT), timeout=10_000)
    cache.close()
    return workspace.cache_dir, chat_id


def _quit(window: MainWindow) -> None:
    window.app.shutdown()  # type: ignore[attr-defined]
    window.close()


def _where(path: Path, place: str) -> list[int]:
    if place == "header":
        return [1]
    if place == "last":
        return [path.stat().st_size // PAGE]
    return pages_of(path, place)[-1:]  # a leaf of the chats or the messages table


def _provider_bodies(demo: EmbeddedDemo) -> list[str]:
    return [m["body"] for m in sandbox_messages(demo, GUEST)]


def _reopen(
    qtbot: QtBot, open_window: Callable[..., MainWindow], line: FaultProxy, data: Path
) -> tuple[MainWindow, list[str], list[tuple[int, int]]]:
    """The app started again; what it says and the first sync's reports are recorded."""
    window = open_window("--server", line.url, "--data-dir", str(data))
    said: list[str] = []
    window.app.notices.sig_notice.connect(lambda _level, text: said.append(text))  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: window.app.workspace is not None, timeout=10_000)  # type: ignore[attr-defined]
    progress: list[tuple[int, int]] = []
    window.app.workspace.sig_first_sync.connect(lambda done, total: progress.append((done, total)))  # type: ignore[attr-defined]
    return window, said, progress


def _rebuilt_and_sent_once(
    qtbot: QtBot,
    demo: EmbeddedDemo,
    window: MainWindow,
    said: list[str],
    progress: list[tuple[int, int]],
    cache_dir: Path,
) -> None:
    qtbot.waitUntil(lambda: REBUILT in said, timeout=20_000)
    damaged = sorted(p.name for p in cache_dir.glob("cache.damaged-*.db"))
    assert len(damaged) == 1, sorted(p.name for p in cache_dir.iterdir())
    # The rebuild is a first sync: its progress, then its end.
    qtbot.waitUntil(lambda: (-1, -1) in progress, timeout=30_000)
    assert any(0 < done < total for done, total in progress), progress
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 1, timeout=10_000)
    # Every unsent text reaches the owner's phone, once.
    qtbot.waitUntil(lambda: all(body in _provider_bodies(demo) for body in UNSENT), timeout=30_000)
    cache = look_in_cache(window.app.workspace)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: OutboxStore(cache).items() == [], timeout=10_000)
    qtbot.wait(500)  # a duplicate would have had time to arrive (texts go in ~0.1 s)
    sent = _provider_bodies(demo)
    assert [sent.count(body) for body in UNSENT] == [1, 1, 1], sent
    cache.close()


@pytest.mark.parametrize("place", ["header", "chats", "messages", "last"])
def test_a_damaged_cache_is_rebuilt_and_each_unsent_text_reaches_the_owner_once(
    place: str,
    qtbot: QtBot,
    demo: EmbeddedDemo,
    line: FaultProxy,
    open_window: Callable[..., MainWindow],
    stored_sign_in: None,
    tmp_path: Path,
) -> None:
    _history(demo)
    data = tmp_path / "pc"
    window = open_window("--server", line.url, "--data-dir", str(data))
    cache_dir, _chat_id = _unsent_texts_left_offline(qtbot, window, line)
    _quit(window)
    cache_file = cache_dir / CACHE_FILE
    damage(cache_file, _where(cache_file, place))
    line.offline = False

    window, said, progress = _reopen(qtbot, open_window, line, data)
    _rebuilt_and_sent_once(qtbot, demo, window, said, progress, cache_dir)


def test_damage_found_later_in_the_session_is_rebuilt_the_same_way(
    qtbot: QtBot,
    demo: EmbeddedDemo,
    line: FaultProxy,
    open_window: Callable[..., MainWindow],
    stored_sign_in: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large cache is checked whole once a day, not at every start: damage in it shows
    when the app first reads that page (here: opening the chat)."""
    monkeypatch.setattr(cache_repair, "ALWAYS_CHECKED_BYTES", 0)  # every cache counts as large
    _history(demo)
    data = tmp_path / "pc"
    window = open_window("--server", line.url, "--data-dir", str(data))
    cache_dir, _chat_id = _unsent_texts_left_offline(qtbot, window, line)
    _quit(window)
    cache_file = cache_dir / CACHE_FILE
    damage(cache_file, pages_of(cache_file, "messages"))  # every page of the messages

    # Still offline: nothing is sent or synced, so nothing reads those pages at start.
    window, said, progress = _reopen(qtbot, open_window, line, data)
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 1, timeout=20_000)
    status = by_label(QLabel, "Connection", window)
    qtbot.waitUntil(lambda: status.text() == "Offline · 3 pending", timeout=10_000)
    assert not any("damaged" in text for text in said)
    _click_first_chat(qtbot, window)  # its messages are read: the damage shows
    qtbot.waitUntil(lambda: REBUILT in said, timeout=20_000)
    # Rebuilt, still offline: the kept texts wait, and the status line says so.
    qtbot.waitUntil(lambda: status.text() == "Offline · 3 pending", timeout=10_000)
    assert _provider_bodies(demo) == []

    line.offline = False
    _rebuilt_and_sent_once(qtbot, demo, window, said, progress, cache_dir)
