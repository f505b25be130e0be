"""Light and dark: every bubble's text is readable (WCAG AA contrast), and the dark
palette really paints dark bubbles, SMS ones in their own colour."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.theming import apply_theme
from desktop.views.chat_panel import ChatPanel
from desktop.views.message_model import MessageListModel
from desktop.views.theme import DARK, LIGHT, BubbleColours, dark_palette, is_dark
from tests.desktop.ui import bubble_colour


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(("colours", "window"), [(LIGHT, "#efefef"), (DARK, "#1e2127")])
def test_bubble_text_is_readable_in_both_schemes(colours: BubbleColours, window: str) -> None:
    pairs = {
        "app": (colours.out_ink, colours.app_out),
        "sms": (colours.out_ink, colours.sms_out),
        "inbound": (colours.inbound_ink, colours.inbound),
        "internal note": (colours.internal_ink, colours.internal),
        "failed caption": (colours.failed, QColor(window)),
    }
    for name, (ink, fill) in pairs.items():
        assert contrast(ink, fill) >= 4.5, f"{name}: {contrast(ink, fill):.2f}"
    # SMS and PetsApp bubbles are told apart at a glance: clearly different hues.
    hue_gap = abs(colours.sms_out.hslHue() - colours.app_out.hslHue())
    assert min(hue_gap, 360 - hue_gap) >= 60


@pytest.fixture
def dark_app(qapp: QApplication) -> Iterator[QApplication]:
    apply_theme(qapp, "dark")
    yield qapp
    apply_theme(qapp, "light")


def test_the_dark_scheme_paints_dark_bubbles(qtbot: QtBot, dark_app: QApplication) -> None:
    assert is_dark(dark_app.palette())
    assert dark_app.palette().color(QPalette.ColorRole.Base) == dark_palette().color(
        QPalette.ColorRole.Base
    )
    model = MessageListModel()
    panel = ChatPanel(model)
    qtbot.addWidget(panel)
    panel.resize(700, 500)
    panel.show()
    chat = {"id": 7, "kind": "sms", "is_guest": True, "phone": "+447400123456"}
    panel.show_chat(chat)
    when = "2026-01-01T10:00:00Z"
    model.show_chat(
        7,
        True,
        [
            {"id": 1, "chat_id": 7, "direction": "in", "body": "Hi", "created_at": when},
            {"id": 2, "chat_id": 7, "direction": "out", "body": "Hello", "created_at": when},
            {"id": 3, "chat_id": 7, "direction": "internal", "body": "Note", "created_at": when},
        ],
    )
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    qtbot.wait(50)
    assert bubble_colour(panel, 0) == DARK.inbound
    assert bubble_colour(panel, 1) == DARK.sms_out
    assert bubble_colour(panel, 2) == DARK.internal
