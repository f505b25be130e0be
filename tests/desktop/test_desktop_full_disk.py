"""A full disk in the real window: SQLite's "database or disk is full" (its own page limit,
``PETSAPP_CACHE_ROOM_PAGES``, fails the same way) and a data folder on a small filesystem
that fills up. The text stays in the composer, the user is told what to do, nothing
half-written is left, and once there is room again the app carries on by itself."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from backend.domain.chats.records import add_message
from backend.models import Chat, Staff
from desktop.services.cache_files import ROOM_VARIABLE
from desktop.services.outbox_store import OutboxStore
from desktop.services.send_journal import JOURNAL_FOLDER, SendJournal
from desktop.views.main_window import MainWindow
from tests.desktop.ui import by_label, look_in_cache, open_chat_texted_in, sign_in
from tests.support import sandbox_messages

GUEST = "+447400123456"
FULL = "Not sent: this computer's disk is full."


def _provider_bodies(demo: EmbeddedDemo) -> list[str]:
    return [m["body"] for m in sandbox_messages(demo, GUEST)]


def _journal(window: MainWindow) -> SendJournal:
    return SendJournal(window.app.workspace.cache_dir / JOURNAL_FOLDER)  # type: ignore[attr-defined]


def _send(qtbot: QtBot, window: MainWindow, body: str) -> None:
    """Typed and sent with the window's Send; returns once the lane has taken it (or
    given it back)."""
    editor = by_label(QPlainTextEdit, "Message", window)
    editor.setPlainText(body)
    qtbot.mouseClick(by_label(QPushButton, "Send", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _journal(window).entries() == [], timeout=10_000)
    qtbot.wait(50)  # the lane's answer reaches the window


def _open_chat(qtbot: QtBot, demo: EmbeddedDemo, window: MainWindow) -> None:
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    open_chat_texted_in(qtbot, demo, window, GUEST, "Is Rex ready?")


def test_a_full_disk_while_sending_keeps_the_text_and_recovers_when_there_is_room(
    qtbot: QtBot,
    demo: EmbeddedDemo,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window("--server", demo.backend_url)
    _open_chat(qtbot, demo, window)
    editor = by_label(QPlainTextEdit, "Message", window)
    monkeypatch.setenv(ROOM_VARIABLE, "0")  # not one page more for either file

    sent: list[str] = []
    for n in range(60):  # texts go in while the pages already there have room
        body = f"Rex is ready for collection, text {n}:" + " his tablets are at the desk." * 4
        _send(qtbot, window, body)
        if FULL in window.notice.text():
            break
        sent.append(body)
    else:
        pytest.fail("the page limit never filled")
    refused = body
    # The text is back where it was typed, and told; nothing of it was written anywhere.
    assert editor.toPlainText() == refused
    assert "free some space" in window.notice.text() and "press Send again" in window.notice.text()
    assert _journal(window).entries() == []
    monkeypatch.delenv(ROOM_VARIABLE)  # looking is writing too: only with room again
    cache = look_in_cache(window.app.workspace)  # type: ignore[attr-defined]
    chat_id = window.chat_panel.chat["id"]  # type: ignore[index]
    assert refused not in [i["payload"].get("body") for i in OutboxStore(cache).items()]
    assert refused not in [m["body"] for m in cache.messages(chat_id, 500)]

    # Space is back: the same Send works, and every text reaches the phone once.
    qtbot.mouseClick(by_label(QPushButton, "Send", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: refused in _provider_bodies(demo), timeout=20_000)
    qtbot.waitUntil(lambda: OutboxStore(cache).items() == [], timeout=20_000)
    bodies = _provider_bodies(demo)
    assert [bodies.count(b) for b in [*sent, refused]] == [1] * (len(sent) + 1)
    assert editor.toPlainText() == ""
    cache.close()


def test_a_full_disk_while_syncing_says_so_and_catches_up_when_there_is_room(
    qtbot: QtBot,
    demo: EmbeddedDemo,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window("--server", demo.backend_url)
    _open_chat(qtbot, demo, window)
    status = by_label(QLabel, "Connection", window)
    qtbot.waitUntil(lambda: status.text() == "Online", timeout=10_000)
    monkeypatch.setenv(ROOM_VARIABLE, "0")
    assert demo.database is not None
    with demo.database.write() as session:  # colleagues write 600 notes: pages of them
        chat = session.scalars(select(Chat)).one()
        staff = session.scalars(select(Staff).where(Staff.email == DEMO_EMAIL)).one()
        for n in range(600):
            add_message(
                session, chat, direction="internal", body=f"note {n} about Rex's diet",
                status="internal", sender_id=staff.id,
            )  # fmt: skip
    qtbot.waitUntil(lambda: status.text() == "Disk full", timeout=20_000)

    monkeypatch.delenv(ROOM_VARIABLE)
    qtbot.waitUntil(lambda: status.text() == "Online", timeout=30_000)
    cache = look_in_cache(window.app.workspace)  # type: ignore[attr-defined]
    notes = [m for m in cache.messages(chat.id, 1_000) if m["body"].startswith("note ")]
    assert len(notes) == 600
    cache.close()


@contextlib.contextmanager
def _small_filesystem(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"this machine cannot mount a small filesystem: {mounted.stderr!r}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(folder: Path) -> Path:
    """Writes a file until the filesystem has no room left."""
    ballast = folder / "ballast"
    with ballast.open("wb") as file:
        chunk = b"\0" * 65536
        try:
            while True:
                file.write(chunk)
                file.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        with contextlib.suppress(OSError):
            os.fsync(file.fileno())
    return ballast


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small filesystem needs root")
def test_a_data_folder_on_a_full_filesystem_keeps_the_text_until_there_is_room(
    qtbot: QtBot,
    demo: EmbeddedDemo,
    open_window: Callable[..., MainWindow],
    tmp_path: Path,
) -> None:
    with _small_filesystem(tmp_path / "small", "16m") as folder:
        window = open_window("--server", demo.backend_url, "--data-dir", str(folder))
        _open_chat(qtbot, demo, window)
        editor = by_label(QPlainTextEdit, "Message", window)
        ballast = _fill(folder)

        body = "Rex can come home at 4pm"
        editor.setPlainText(body)
        qtbot.mouseClick(by_label(QPushButton, "Send", window), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: FULL in window.notice.text(), timeout=10_000)
        qtbot.waitUntil(lambda: editor.toPlainText() == body, timeout=5_000)
        assert _journal(window).entries() == []
        assert [p for p in _journal(window).folder.glob("*") if p.is_file()] == []
        assert body not in _provider_bodies(demo)

        ballast.unlink()  # room again
        qtbot.mouseClick(by_label(QPushButton, "Send", window), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: body in _provider_bodies(demo), timeout=20_000)
        assert _provider_bodies(demo).count(body) == 1
        assert editor.toPlainText() == ""
        window.app.shutdown()  # type: ignore[attr-defined]  # the files closed before unmounting
