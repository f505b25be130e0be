"""``--smoke-test``: one real round trip through the real window, then exit.

Drives the window by its visible labels, as a person would: "Chat" → "New chat" → phone
number → "Start" → "Message" → "Send", then waits for the text to reach the provider and
for a reply to come back through the sync feed (in the demo, the sandbox texts in; against
a real server, the provider's status update is the answer that comes back).
"""

from __future__ import annotations

import json
import random
import sys
import time
import urllib.request
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QToolButton

from desktop.services.records import Message
from desktop.views.message_model import MessageRole
from desktop.views.new_chat_dialog import NewChatDialog

TIMEOUT_SECONDS = 60.0
AT_PROVIDER = {"queued", "sending", "sent", "delivered"}


class SmokeTest:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.window = app.window
        self.exit_code = 1
        self.phone = f"07400 1{random.randint(0, 99999):05d}"
        self.body = f"Smoke test {random.randint(0, 10**6)}"
        self.reply = f"Reply {random.randint(0, 10**6)}"
        self._deadline = time.monotonic() + TIMEOUT_SECONDS
        self._steps: list[tuple[str, Callable[[], bool]]] = [
            ("sign in", self._signed_in),
            ("start an SMS chat", self._start_chat),
            ("open the SMS chat", self._chat_open),
            ("send a message", self._send),
            ("hand the text to the provider", self._sent),
            ("receive a reply", self._reply_arrives),
        ]
        self._step = 0
        self._timer = QTimer()
        self._timer.timeout.connect(self._tick)
        self._timer.start(100)

    def _tick(self) -> None:
        name, step = self._steps[self._step]
        try:
            done = step()
        except Exception as exc:  # the reason goes to the caller, not a traceback
            self._finish(1, f"smoke test failed at '{name}': {exc}")
            return
        if done:
            self._step += 1
            if self._step == len(self._steps):
                self._finish(0, "smoke test passed: chat started, message sent, reply received")
        elif time.monotonic() > self._deadline:
            dialog = self.window.findChild(NewChatDialog)
            notice = self.window.notice.text() or (dialog.hint.text() if dialog else "")
            self._finish(1, f"smoke test timed out at '{name}'" + (f": {notice}" if notice else ""))

    def _finish(self, code: int, text: str) -> None:
        self._timer.stop()
        self.exit_code = code
        print(text, file=sys.stdout if code == 0 else sys.stderr)
        QApplication.exit(code)

    # ---- the steps: each returns True once done -------------------------------------------

    def _signed_in(self) -> bool:
        workspace = self.app.workspace
        if self.app.login is not None:
            # A smoke test cannot type a password: it needs a stored sign-in or the demo.
            reason = self.app.login.message.text()
            raise RuntimeError(f"sign-in needed ({reason})")
        return workspace is not None and workspace.me is not None

    def _start_chat(self) -> bool:
        # By the labels the window shows, in whatever language it speaks.
        _click(self.window, QToolButton, QCoreApplication.translate("MainWindow", "Chat"))
        _click(self.window, QPushButton, QCoreApplication.translate("QueuePanel", "New chat"))
        dialog = self.window.findChild(NewChatDialog)
        if dialog is None:
            raise RuntimeError("the New chat dialog did not open")
        phone = _find(
            dialog, QLineEdit, QCoreApplication.translate("NewChatDialog", "Phone number")
        )
        phone.setText(self.phone)
        _click(dialog, QPushButton, QCoreApplication.translate("NewChatDialog", "Start"))
        return True

    def _chat_open(self) -> bool:
        chat = self.window.chat_panel.chat
        return chat is not None and chat.get("kind") == "sms"

    def _send(self) -> bool:
        panel = self.window.chat_panel
        panel.editor.setPlainText(self.body)
        _click(panel, QPushButton, QCoreApplication.translate("ChatPanel", "Send"))
        return True

    def _our_message(self) -> Message | None:
        model = self.window.chat_panel.model
        for row in range(model.rowCount()):
            message: Message = model.data(model.index(row), MessageRole)
            if message.get("body") == self.body:
                return message
        return None

    def _sent(self) -> bool:
        message = self._our_message()
        if message and message.get("status") == "failed":
            raise RuntimeError(f"the message failed: {message.get('error') or message}")
        if message and message.get("status") in AT_PROVIDER:
            if self.app.demo is not None:
                self._text_in()
            return True
        return False

    def _text_in(self) -> None:
        chat = self.window.chat_panel.chat
        clinic = next(c for c in self.app.workspace.me["clinics"] if c["id"] == chat["clinic_id"])
        payload = {"from": chat["phone"], "to": clinic["sms_number"], "body": self.reply}

        def post() -> None:
            request = urllib.request.Request(
                f"{self.app.demo.sandbox_url}/sandbox/inbound",
                data=json.dumps(payload).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=10) as answer:
                answer.read()

        self.app.tasks.run(post, None, lambda error: self._finish(1, f"text-in failed: {error}"))

    def _reply_arrives(self) -> bool:
        if self.app.demo is None:  # against a real server: the provider's status came back
            message = self._our_message()
            return bool(message and message.get("status") in {"sent", "delivered"})
        model = self.window.chat_panel.model
        return any(model.data(model.index(row)) == self.reply for row in range(model.rowCount()))


def _find(parent: Any, kind: type, label: str) -> Any:
    for widget in parent.findChildren(kind):
        if widget.accessibleName() == label and widget.isVisible():
            return widget
    raise RuntimeError(f"no visible control labelled '{label}'")


def _click(parent: Any, kind: type, label: str) -> None:
    control = _find(parent, kind, label)
    if not control.isEnabled():
        raise RuntimeError(f"'{label}' is disabled")
    control.click()
