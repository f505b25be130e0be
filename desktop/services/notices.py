"""One path for everything the user must be told (qutebrowser's message bridge).

Services call :func:`NoticeBridge.error`/``info``; the main window shows them. Notices sent
before a window is listening are kept and handed over when it connects.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class NoticeBridge(QObject):
    sig_notice = Signal(str, str)  # level ("error" | "info"), text meant for the user

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._held: list[tuple[str, str]] = []
        self._listening = False

    def error(self, text: str) -> None:
        log.info("user notice (error) shown")  # the text may name people: not logged
        self._send("error", text)

    def info(self, text: str) -> None:
        self._send("info", text)

    def listen(self) -> list[tuple[str, str]]:
        """Called by the window once connected; returns what was said before."""
        self._listening = True
        held, self._held = self._held, []
        return held

    def _send(self, level: str, text: str) -> None:
        if not self._listening:
            self._held.append((level, text))
        self.sig_notice.emit(level, text)
