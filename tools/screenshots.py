"""Screenshots of the real window on the embedded demo, for the README.

Run under a virtual screen: ``make screenshots`` (xvfb-run), which runs this twice, light
and dark (``PETSAPP_COLOR_SCHEME``). Drives the app by its visible labels like the tests do
and saves PNGs into the folder given; dark ones end in ``-dark``. Dialogs are taken with
the window behind them (a grab of the whole virtual screen).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from desktop.app import launch
from desktop.services.cache_paths import CACHE_FILE
from desktop.services.cache_repair import check_cache
from desktop.views.message_model import MessageRole


def wait_until(condition: Callable[[], Any], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QApplication.processEvents()
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise TimeoutError(f"gave up waiting for {condition}")


def settle(seconds: float = 0.5) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def labelled(parent: QWidget | None, kind: type, label: str) -> Any:
    roots = [parent] if parent is not None else QApplication.topLevelWidgets()
    for root in roots:
        for widget in [root, *root.findChildren(kind)]:
            if isinstance(widget, kind) and widget.accessibleName() == label and widget.isVisible():
                return widget
    return None


def text_in(sandbox_url: str, sender: str, to: str, body: str) -> None:
    request = urllib.request.Request(
        f"{sandbox_url}/sandbox/inbound",
        data=json.dumps({"from": sender, "to": to, "body": body}).encode(),
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).read()


class Shots:
    def __init__(self, out: Path, suffix: str) -> None:
        self.out = out
        self.suffix = suffix

    def window(self, window: QWidget, name: str) -> None:
        settle(0.6)
        window.grab().save(str(self.out / f"{name}{self.suffix}.png"))

    def screen(self, window: QWidget, name: str) -> None:
        """The window with its dialog in front, as a person sees them."""
        settle(0.6)
        screen = QGuiApplication.primaryScreen()
        frame = window.frameGeometry()
        screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(
            str(self.out / f"{name}{self.suffix}.png")
        )


def all_sent(panel: Any) -> bool:
    model = panel.model
    rows = [model.data(model.index(r), MessageRole) for r in range(model.rowCount())]
    return bool(rows) and all(m.get("id") for m in rows)


def send(panel: Any, body: str) -> None:
    panel.editor.setPlainText(body)
    labelled(panel, QPushButton, "Send").click()


def open_chat(window: Any, phone_digits: str) -> None:
    model = window.queue_model
    row = next(
        r for r in range(model.rowCount()) if phone_digits in str(model.chat_at(r).get("phone"))
    )
    window.app.open_chat(model.chat_at(row))
    wait_until(lambda: window.chat_panel.model.rowCount() > 0)


def checkpoint(cache: Any) -> None:
    """On the lane: what the WAL holds written into the cache file itself."""
    connection = cache.engine.raw_connection()  # outside a transaction, as the pragma needs
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    shots = Shots(out, "-dark" if os.environ.get("PETSAPP_COLOR_SCHEME") == "dark" else "")
    window = launch(["--demo"])
    window.resize(1180, 760)
    window.move(40, 20)
    app = window.app  # type: ignore[attr-defined]
    wait_until(lambda: app.workspace is not None and app.workspace.me is not None)
    demo = app.demo
    clinic = next(c for c in app.workspace.me["clinics"] if c["sms_enabled"])
    number = clinic["sms_number"]
    panel = window.chat_panel

    # The lived-in demo: the last days' chats are there from the start.
    wait_until(lambda: window.queue_model.rowCount() >= 8)

    # New chat: a number, then a registered owner.
    labelled(window, QToolButton, "Chat").click()
    labelled(window, QPushButton, "New chat").click()
    field = wait_until(lambda: labelled(None, QLineEdit, "Phone number"))
    field.setText("07400 123002")
    labelled(None, QPushButton, "Start").click()
    wait_until(lambda: labelled(None, QPushButton, "Start PetsApp chat"))
    shots.screen(window, "new-chat-registered-owner")
    labelled(None, QPushButton, "Cancel").click()  # Tom has a PetsApp chat already

    labelled(window, QPushButton, "New chat").click()
    field = wait_until(lambda: labelled(None, QLineEdit, "Phone number"))
    field.setText("07400 123456")
    labelled(None, QPushButton, "Start").click()
    wait_until(lambda: panel.chat is not None and panel.chat.get("phone") == "+447400123456")

    # A guest SMS chat: grouped bubbles, the owner's answer, a draft in the composer.
    send(panel, "Hello! Pepper's vaccination is due next week. Shall we book her in?")
    send(panel, "She's also due her flea and worm treatment.")
    wait_until(lambda: panel.model.rowCount() >= 3 and all_sent(panel))
    wait_until(lambda: panel.model.rowCount() >= 4)  # the owner answers, a few seconds on
    panel.editor.setPlainText("Saturday 9:30 is free")
    shots.window(window, "guest-chat")

    # The same chat named ("More" → "Update Pet Details") and handed off with a note.
    panel.editor.clear()
    app.chat_actions.show_details(panel.chat)
    wait_until(lambda: labelled(None, QLineEdit, "Owner name")).setText("Olivia Brown")
    labelled(None, QLineEdit, "Pet name").setText("Pepper")
    labelled(None, QPushButton, "Save").click()
    wait_until(lambda: "Pepper" in window.chat_panel.title.text())
    app.chat_actions.show_hand_off(panel.chat)
    note = wait_until(lambda: labelled(None, QPlainTextEdit, "Note"))
    note.setPlainText("Owner prefers mornings; please confirm Saturday 9:30.")
    shots.screen(window, "hand-off")
    labelled(None, QPushButton, "Hand off").click()
    wait_until(lambda: "Assigned to" in panel.subtitle.text() and "Sam" in panel.subtitle.text())
    wait_until(lambda: any(
        panel.model.data(panel.model.index(r), MessageRole).get("direction") == "internal"
        for r in range(panel.model.rowCount())
    ))  # fmt: skip
    shots.window(window, "sms-chat")

    # An opted-out number: the banner, and the composer disabled with the reason.
    open_chat(window, "7400123888")
    wait_until(lambda: panel.banner.isVisible())
    shots.window(window, "opted-out-chat")

    # The queue: unread badges, previews, a PetsApp chat open, an owner writing in.
    window.app.open_chat(next(
        window.queue_model.chat_at(r) for r in range(window.queue_model.rowCount())
        if window.queue_model.chat_at(r).get("owner_name") == "Jane Cooper"
    ))  # fmt: skip
    wait_until(lambda: panel.model.rowCount() > 0)
    text_in(demo.sandbox_url, "+447400123555", number, "Also, could you check his weight?")
    wait_until(lambda: "(" in window.windowTitle())
    settle(1.0)
    shots.window(window, "queue")

    # A disk fault damages the cache file: it is found by the opening's check, moved aside,
    # and rebuilt from the server while the queue stays usable; the outbox is kept.
    cache_file = app.workspace.cache_dir / CACHE_FILE
    checkpointed = threading.Event()  # the WAL's pages in the file, so the damage shows
    app.workspace.lane.run(checkpoint, lambda _result: checkpointed.set())
    wait_until(checkpointed.is_set)
    with cache_file.open("r+b") as damaged:
        damaged.write(b"\0" * 4096)  # the header page, as a failing disk leaves it
    app.workspace.lane.run(check_cache)
    wait_until(lambda: "rebuilt" in window.notice.text())
    wait_until(lambda: window.queue_model.rowCount() >= 4)
    shots.window(window, "cache-rebuilt")

    labelled(window, QToolButton, "Settings").click()
    shots.window(window, "settings")
    app.shutdown()
    print(f"screenshots saved in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
