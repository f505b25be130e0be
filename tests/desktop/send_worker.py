"""The real window, sending by its Send button, to be killed at any moment (see
test_desktop_send_kill).

    python -m tests.desktop.send_worker DATA_DIR SERVER KEYRING CHAT_ID FIRST_N SENDS [--drain]

It starts the app as ``petsapp-desktop --server SERVER --data-dir DATA_DIR`` (offscreen),
signs in through the dialog when there is no stored sign-in (``KEYRING`` is a file standing
in for the OS keyring), clicks the chat open in the queue and reports what the composer
holds for it ("RESTORED <text>"; a text left there by an earlier run is sent first). Then
it types "kill-N" from ``FIRST_N`` on, ``SENDS`` times, and clicks Send, printing "TYPING N"
before typing and "CLICKED N" as soon as the click returned. Sometimes it waits before
clicking, long enough for the composer's draft to be saved. Afterwards it idles until it is
killed, or with ``--drain`` waits until the outbox and the send journal are empty, quits
as the app does and prints "DONE".
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import keyring
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD
from desktop.app import launch
from desktop.services.outbox_store import OutboxStore
from desktop.services.send_journal import JOURNAL_FOLDER, SendJournal
from desktop.views.chat_panel import DRAFT_SAVE_MS
from tests.desktop.ui import by_label, is_visible, look_in_cache
from tests.file_keyring import FileKeyring


def say(line: str) -> None:
    print(line, flush=True)  # noqa: T201


def pump(seconds: float) -> None:
    """Run the event loop for a while (a QEventLoop: QTest.qWait starves worker threads)."""
    loop = QEventLoop()
    QTimer.singleShot(max(0, int(seconds * 1000)), loop.quit)
    loop.exec()


def wait_for(what: str, predicate: Callable[[], object], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        pump(0.01)


def main() -> int:
    folder, server, keyring_file, chat_arg, first_arg, sends_arg = sys.argv[1:7]
    drain = "--drain" in sys.argv[7:]
    chat_id, next_n, sends = int(chat_arg), int(first_arg), int(sends_arg)
    keyring.set_keyring(FileKeyring(Path(keyring_file)))  # stays signed in across restarts
    window = launch(["--server", server, "--data-dir", folder])
    app = window.app  # type: ignore[attr-defined]
    rng = random.Random()

    # Signed in: by the stored token, else through the sign-in dialog.
    wait_for(
        "the workspace or the sign-in dialog",
        lambda: (
            (app.workspace is not None and app.workspace.me is not None)
            or is_visible(QLineEdit, "Email")
        ),
    )
    if app.workspace is None or app.workspace.me is None:
        by_label(QLineEdit, "Email").setText(DEMO_EMAIL)
        by_label(QLineEdit, "Password").setText(DEMO_PASSWORD)
        by_label(QPushButton, "Sign in").click()
        wait_for("sign-in", lambda: app.workspace is not None and app.workspace.me is not None)
    workspace = app.workspace
    say("SIGNED_IN")

    # The chat, clicked open in the queue; what its composer holds once its draft is read.
    drafts: list[str] = []
    workspace.sig_draft.connect(lambda cid, text: drafts.append(text) if cid == chat_id else None)
    model = window.queue_model
    wait_for("the chat in the queue", lambda: model.row_of(chat_id) is not None)
    row = model.row_of(chat_id)
    assert row is not None
    window.queue.scrollTo(model.index(row))
    QTest.mouseClick(
        window.queue.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.queue.visualRect(model.index(row)).center(),
    )
    panel = window.chat_panel
    wait_for("the chat to open", lambda: panel.chat is not None and panel.chat["id"] == chat_id)
    wait_for("its draft", lambda: drafts)
    editor, send = panel.editor, panel.send_button
    restored = editor.toPlainText()
    say(f"RESTORED {restored}")

    def click(n: int) -> None:
        QTest.mouseClick(send, Qt.MouseButton.LeftButton)
        say(f"CLICKED {n}")

    if restored.startswith("kill-"):
        n = int(restored.split("-")[1])
        next_n = max(next_n, n + 1)
        click(n)
    for _ in range(sends):
        say(f"TYPING {next_n}")
        editor.insertPlainText(f"kill-{next_n}")
        if rng.random() < 0.25:  # a pause: the draft timer saves what is typed
            pump(DRAFT_SAVE_MS / 1000 + rng.uniform(0.1, 0.3))
        else:
            pump(rng.uniform(0.0, 0.03))
        click(next_n)
        next_n += 1
        pump(rng.uniform(0.0, 0.25))

    if not drain:
        while True:  # until killed
            pump(1.0)
    store, journal = (
        OutboxStore(look_in_cache(workspace)),
        SendJournal(workspace.cache_dir / JOURNAL_FOLDER),
    )
    wait_for("the outbox to empty", lambda: store.count() == 0 and not journal.entries(), 120)
    app.shutdown()
    window.close()
    QApplication.processEvents()
    say("DONE")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
