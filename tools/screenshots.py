"""Screenshots of the real window on the embedded demo, for the README.

Run under a virtual screen: ``make screenshots`` (xvfb-run). Drives the app by its
visible labels like the tests do, and saves PNGs into the folder given.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QToolButton, QWidget

from desktop.app import launch
from desktop.views.new_chat_dialog import NewChatDialog


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


def labelled(parent: QWidget, kind: type, label: str) -> Any:
    return next(w for w in parent.findChildren(kind) if w.accessibleName() == label)


def text_in(sandbox_url: str, sender: str, to: str, body: str) -> None:
    request = urllib.request.Request(
        f"{sandbox_url}/sandbox/inbound",
        data=json.dumps({"from": sender, "to": to, "body": body}).encode(),
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).read()


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    window = launch(["--demo"])
    app = window.app  # type: ignore[attr-defined]
    wait_until(lambda: app.workspace is not None and app.workspace.me is not None)
    demo = app.demo
    clinic = next(c for c in app.workspace.me["clinics"] if c["sms_enabled"])

    # An owner texts in first, then staff start a chat with a new number.
    text_in(demo.sandbox_url, "+447400123555", clinic["sms_number"], "Hi, can I book Rex in?")
    labelled(window, QToolButton, "Chat").click()
    labelled(window, QPushButton, "New chat").click()
    dialog = wait_until(lambda: window.findChild(NewChatDialog))
    labelled(dialog, QLineEdit, "Phone number").setText("07400 12345")
    settle(0.3)
    dialog.grab().save(str(out / "new-chat-invalid.png"))
    labelled(dialog, QLineEdit, "Phone number").setText("07400 123456")
    settle(0.3)
    dialog.grab().save(str(out / "new-chat.png"))
    labelled(dialog, QPushButton, "Start").click()
    wait_until(lambda: window.chat_panel.chat is not None)
    panel = window.chat_panel
    panel.editor.setPlainText("Hello! Bella's vaccination is due next week. Shall we book her in?")
    labelled(panel, QPushButton, "Send").click()
    wait_until(lambda: panel.model.rowCount() >= 2)
    text_in(demo.sandbox_url, "+447400123456", clinic["sms_number"], "Yes please, Tuesday am?")
    wait_until(lambda: panel.model.rowCount() >= 3)
    panel.editor.setPlainText("Tuesday 9:30 is free")
    settle(1.0)
    window.grab().save(str(out / "sms-chat.png"))

    # A number registered with the group: no SMS chat; the app chat is offered instead.
    labelled(window, QPushButton, "New chat").click()
    dialog = wait_until(
        lambda: next((d for d in window.findChildren(NewChatDialog) if d.isVisible()), None)
    )
    labelled(dialog, QLineEdit, "Phone number").setText("07400 123001")
    settle(0.3)
    labelled(dialog, QPushButton, "Start").click()
    wait_until(lambda: labelled(dialog, QPushButton, "Start PetsApp chat").isVisible())
    settle(0.3)
    dialog.grab().save(str(out / "new-chat-registered-owner.png"))
    dialog.reject()

    labelled(window, QToolButton, "Settings").click()
    settle(0.5)
    window.grab().save(str(out / "settings.png"))
    app.shutdown()
    print(f"screenshots saved in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
