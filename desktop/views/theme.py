"""Light and dark: the app follows the system's colour scheme (Qt 6 style hints).

Widgets take their colours from the palette and ``resources/style*.qss`` (applied by
``desktop/theming.py``); the painted bubbles take theirs from :func:`colours_for`, chosen by
the palette they are painted with, so a scheme change repaints everything consistently.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette


@dataclass(frozen=True)
class BubbleColours:
    app_out: QColor  # the clinic's messages in a PetsApp chat
    sms_out: QColor  # the clinic's messages in an SMS chat: their own colour
    out_ink: QColor
    inbound: QColor
    inbound_ink: QColor
    internal: QColor  # internal notes: never mistaken for what the client sees
    internal_ink: QColor
    internal_edge: QColor
    failed: QColor  # a failed or held message's caption


LIGHT = BubbleColours(
    app_out=QColor("#2f6fde"),
    sms_out=QColor("#1e7a50"),
    out_ink=QColor("#ffffff"),
    inbound=QColor("#eceff3"),
    inbound_ink=QColor("#1b1b1f"),
    internal=QColor("#fff3c4"),
    internal_ink=QColor("#3d3000"),
    internal_edge=QColor("#b89400"),
    failed=QColor("#b3261e"),
)
DARK = BubbleColours(
    app_out=QColor("#2a5fc0"),
    sms_out=QColor("#176b45"),
    out_ink=QColor("#ffffff"),
    inbound=QColor("#2e333b"),
    inbound_ink=QColor("#e6e8eb"),
    internal=QColor("#4a3d0f"),
    internal_ink=QColor("#ffe9a8"),
    internal_edge=QColor("#c9a227"),
    failed=QColor("#ff8a80"),
)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def colours_for(palette: QPalette) -> BubbleColours:
    return DARK if is_dark(palette) else LIGHT


def dark_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#1e2127",
        QPalette.ColorRole.WindowText: "#e6e8eb",
        QPalette.ColorRole.Base: "#16181d",
        QPalette.ColorRole.AlternateBase: "#22262d",
        QPalette.ColorRole.Text: "#e6e8eb",
        QPalette.ColorRole.PlaceholderText: "#9aa1ad",
        QPalette.ColorRole.Button: "#2a2e36",
        QPalette.ColorRole.ButtonText: "#e6e8eb",
        QPalette.ColorRole.Highlight: "#2f6fde",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2a2e36",
        QPalette.ColorRole.ToolTipText: "#e6e8eb",
        QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.BrightText: "#ffffff",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6b717c"))
    return palette


def system_scheme() -> str:
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"
