"""Applying light or dark to the whole app: Fusion style, palette and stylesheets."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from desktop.resource_paths import resource_text
from desktop.views.theme import dark_palette, system_scheme


def apply_theme(app: QApplication, scheme: str | None = None) -> str:
    """``scheme`` "light" or "dark"; None follows the system. Returns the one applied."""
    chosen = scheme or system_scheme()
    app.setStyle("Fusion")  # the same look on every practice PC, and a palette it obeys
    app.setPalette(dark_palette() if chosen == "dark" else app.style().standardPalette())
    sheet = resource_text("style.qss")
    if chosen == "dark":
        sheet += "\n" + resource_text("style-dark.qss")
    app.setStyleSheet(sheet)
    return chosen


def follow_system(app: QApplication, forced: str | None) -> None:
    """Apply the theme now and again whenever the system switches (unless ``forced``)."""
    apply_theme(app, forced)
    if forced is None:
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _s: apply_theme(app))
