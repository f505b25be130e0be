"""Send in the real window, offscreen: from the click on, the text is on disk (the send
journal) before the ordered lane has written it to the outbox; a journal that cannot be
written leaves the text in the composer; a journal left by a killed app is sent once at the
next start, its draft gone from the composer; and signing out leaves none of it behind."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QToolButton
from pytestqt.qtbot import QtBot

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from desktop.services.outbox_store import OutboxStore
from desktop.services.send_journal import JOURNAL_FOLDER, SendJournal
from desktop.views.chat_panel import DRAFT_SAVE_MS
from desktop.views.main_window import MainWindow
from tests.desktop.ui import by_label, is_visible, look_in_cache, open_chat_texted_in, sign_in
from tests.file_keyring import FileKeyring
from tests.support import sandbox_messages

GUEST = "+447400123456"


def _journal(window: MainWindow) -> SendJournal:
    return SendJournal(window.app.workspace.cache_dir / JOURNAL_FOLDER)  # type: ignore[attr-defined]


def _sent_bodies(demo: EmbeddedDemo) -> list[str]:
    return [m["body"] for m in sandbox_messages(demo, GUEST)]


def _wait_for_the_lane(qtbot: QtBot, window: MainWindow) -> None:
    """Until every job queued on the ordered lane so far has run."""
    done = threading.Event()
    window.app.tasks.run_in_order(done.set)  # type: ignore[attr-defined]
    qtbot.waitUntil(done.is_set, timeout=5_000)


@pytest.fixture
def stored_sign_in(tmp_path: Path) -> Iterator[None]:
    keyring.set_keyring(FileKeyring(tmp_path / "keyring.json"))  # a restart stays signed in
    yield
    keyring.set_keyring(keyring.backends.fail.Keyring())


def test_the_text_is_on_disk_before_the_lane_writes_it_to_the_outbox(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, GUEST, "Is Bella ready?")
    chat_id = window.chat_panel.chat["id"]  # type: ignore[index]
    editor = by_label(QPlainTextEdit, "Message", window)
    editor.insertPlainText("Bella can come home at 4pm")
    qtbot.wait(DRAFT_SAVE_MS + 200)  # the draft is saved, as it would be during a pause
    _wait_for_the_lane(qtbot, window)
    cache = look_in_cache(window.app.workspace)  # type: ignore[attr-defined]
    assert cache.draft(chat_id) == "Bella can come home at 4pm"

    # The lane is busy (a slow disk, a long write before this one): Send still keeps it.
    busy = threading.Event()
    window.app.tasks.run_in_order(lambda: busy.wait(10))  # type: ignore[attr-defined]
    qtbot.mouseClick(by_label(QPushButton, "Send", window), Qt.MouseButton.LeftButton)
    assert editor.toPlainText() == ""
    [entry] = _journal(window).entries()  # written by the click itself
    assert (entry.chat_id, entry.body) == (chat_id, "Bella can come home at 4pm")
    assert OutboxStore(cache).items() == []  # the lane has not written it yet
    assert cache.draft(chat_id) == "Bella can come home at 4pm"  # nor touched the draft

    busy.set()
    _wait_for_the_lane(qtbot, window)
    assert _journal(window).entries() == []
    assert cache.draft(chat_id) == ""  # gone with the outbox write, in its transaction
    qtbot.waitUntil(lambda: "Bella can come home at 4pm" in _sent_bodies(demo), timeout=10_000)
    assert _sent_bodies(demo).count("Bella can come home at 4pm") == 1


def test_a_journal_that_cannot_be_written_leaves_the_text_in_the_composer(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, GUEST, "Is Bella ready?")
    folder = _journal(window).folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("")  # a file where the folder should be: every write fails
    editor = by_label(QPlainTextEdit, "Message", window)
    editor.insertPlainText("Bella can come home at 4pm")
    qtbot.mouseClick(by_label(QPushButton, "Send", window), Qt.MouseButton.LeftButton)
    assert editor.toPlainText() == "Bella can come home at 4pm"
    assert "could not be saved" in window.notice.text()
    _wait_for_the_lane(qtbot, window)
    cache = look_in_cache(window.app.workspace)  # type: ignore[attr-defined]
    assert OutboxStore(cache).items() == []
    qtbot.wait(DRAFT_SAVE_MS + 200)  # and, as anything typed, it becomes the draft
    _wait_for_the_lane(qtbot, window)
    assert cache.draft(window.chat_panel.chat["id"]) == "Bella can come home at 4pm"  # type: ignore[index]


def test_a_send_cut_short_by_a_kill_goes_once_at_the_next_start_and_leaves_no_draft(
    qtbot: QtBot,
    demo: EmbeddedDemo,
    open_window: Callable[..., MainWindow],
    tmp_path: Path,
    stored_sign_in: None,
) -> None:
    pc = str(tmp_path / "pc")
    window = open_window("--server", demo.backend_url, "--data-dir", pc)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, GUEST, "Is Bella ready?")
    chat_id = window.chat_panel.chat["id"]  # type: ignore[index]
    by_label(QPlainTextEdit, "Message", window).insertPlainText("Bella can come home at 4pm")
    journal = _journal(window)
    window.app.shutdown()  # type: ignore[attr-defined]  # quitting saves the draft...
    window.close()
    # ...and Send was pressed just before the end: the click's journal file, no lane job.
    journal.write(chat_id, "Bella can come home at 4pm")

    again = open_window("--server", demo.backend_url, "--data-dir", pc)
    qtbot.waitUntil(lambda: again.queue_model.rowCount() == 1, timeout=10_000)
    drafts: list[str] = []
    qtbot.waitUntil(lambda: again.app.workspace is not None, timeout=10_000)  # type: ignore[attr-defined]
    again.app.workspace.sig_draft.connect(lambda _chat, text: drafts.append(text))  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: again.app.workspace.is_open, timeout=10_000)  # type: ignore[attr-defined]
    again.app.open_chat(again.queue_model.chat_at(0))  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(drafts), timeout=5_000)
    assert by_label(QPlainTextEdit, "Message", again).toPlainText() == ""
    assert journal.entries() == []
    qtbot.waitUntil(lambda: "Bella can come home at 4pm" in _sent_bodies(demo), timeout=10_000)
    assert _sent_bodies(demo).count("Bella can come home at 4pm") == 1


def test_signing_out_leaves_nothing_of_the_journal_behind(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, GUEST, "Is Bella ready?")
    journal = _journal(window)
    journal.write(window.chat_panel.chat["id"], "Left by a write that failed")  # type: ignore[index]
    qtbot.mouseClick(by_label(QToolButton, "Settings", window), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(by_label(QPushButton, "Sign out", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_visible(QPushButton, "Sign in"), timeout=10_000)
    assert journal.entries() == [] and not any(journal.folder.iterdir())
