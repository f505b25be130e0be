"""Run something once a widget has painted: work that would compete with the first paint
for the GIL (importing the services on a worker) waits for it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _AfterPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None], at_most_ms: int) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        # A hidden or minimised window never paints: the work is not held back for ever.
        QTimer.singleShot(at_most_ms, self._fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._fire)  # after this paint has been delivered
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        self._widget.removeEventFilter(self)
        self.deleteLater()
        callback()


def after_next_paint(widget: QWidget, callback: Callable[[], None], at_most_ms: int = 250) -> None:
    """``callback()`` once, on the GUI thread, just after ``widget``'s next paint (or after
    ``at_most_ms`` if it does not paint by then)."""
    _AfterPaint(widget, callback, at_most_ms)
