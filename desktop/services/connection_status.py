"""The status line's words and the first sync's progress, from what the sync engine and the
outbox report: "Online", "Syncing… 1,200 of 4,000", "Offline · 2 pending"."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ConnectionStatus(QObject):
    """Signals: sig_text(words for the status line), sig_first_sync(done, total) while the
    first sync of an empty cache takes more than one answer, then (-1, -1)."""

    sig_text = Signal(str)
    sig_first_sync = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The sync engine's: "syncing", "online", "offline" or "disk_full"; "connecting" until
        # it first reports (the cache's pending count can come before that).
        self.state = "connecting"
        self.pending = 0  # outbox items the backend has not confirmed
        self.first_sync = False
        self._catch_up = (0, 0)  # changes applied, changes to apply
        self._progress_shown = False

    def sync_started(self, empty_cache: bool) -> None:
        self.first_sync = empty_cache
        self._progress_shown = False

    def state_changed(self, state: str) -> None:
        self.state = state
        if state != "syncing":
            self._catch_up = (0, 0)
        if state == "online" and self.first_sync:
            self.first_sync = False
            if self._progress_shown:
                self.sig_first_sync.emit(-1, -1)
        self._announce()

    def pending_changed(self, count: int) -> None:
        self.pending = count
        self._announce()

    def progress(self, applied: int, total: int) -> None:
        self._catch_up = (applied, total)
        if self.first_sync:
            self._progress_shown = True
            self.sig_first_sync.emit(applied, total)
        self._announce()

    def _announce(self) -> None:
        text = {
            "online": self.tr("Online"),
            "syncing": self.tr("Syncing…"),
            "disk_full": self.tr("Disk full"),
            "connecting": self.tr("Connecting…"),
        }.get(self.state, self.tr("Offline"))
        applied, total = self._catch_up
        if self.state == "syncing" and total:
            text = (
                self.tr("Syncing… %1 of %2")
                .replace("%1", f"{applied:,}")
                .replace("%2", f"{total:,}")
            )
        if self.pending:
            text += " · " + self.tr("%n pending", "", self.pending)
        self.sig_text.emit(text)
