"""``PETSAPP_STARTUP_PROBE=1``: print when the queue first paints with chats in it.

For ``bench/ui.py``, which times a cold start from the outside. It prints the wall-clock
time (``time.time()``), so the caller can subtract the moment it spawned the process.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject

from desktop.views.main_window import MainWindow


class QueuePaintProbe(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        window.queue.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._window.queue_model.rowCount() > 0:
            print(f"QUEUE_PAINTED {time.time():.6f}", file=sys.stderr, flush=True)  # noqa: T201
            watched.removeEventFilter(self)
        return False
