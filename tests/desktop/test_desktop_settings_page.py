""" "Settings": for each clinic, its information, then its SMS number (or, with SMS off, the
prepared e-mail request naming the clinics), then the magic link with "Copy"; and the
signed-in person with "Sign out"."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import unquote

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QToolButton
from pytestqt.qtbot import QtBot

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from desktop.views.main_window import MainWindow
from tests.desktop.ui import by_label, sign_in


def _texts_in_order(box: QGroupBox) -> list[str]:
    labels = [w for w in box.findChildren(QLabel) if w.isVisible()]
    labels.sort(key=lambda w: w.mapTo(box, w.rect().topLeft()).y())
    return [re.sub(r"<[^>]+>", "", w.text()) for w in labels]


def test_settings_shows_each_clinic_in_the_help_pages_order(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", demo.backend_url)
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)
    qtbot.mouseClick(by_label(QToolButton, "Settings", window), Qt.MouseButton.LeftButton)
    me = window.app.workspace.me
    boxes = {b.title(): b for b in window.settings_page.findChildren(QGroupBox)}
    qtbot.waitUntil(lambda: all(b.isVisible() for b in boxes.values()), timeout=5_000)

    for clinic in me["clinics"]:
        texts = _texts_in_order(boxes[clinic["name"]])
        headings = [t for t in texts if t in {"Clinic information", "SMS number", "Magic link"}]
        assert headings == ["Clinic information", "SMS number", "Magic link"]
        after_sms = texts[texts.index("SMS number") + 1]
        if clinic["sms_enabled"]:
            assert after_sms == "07700 900500"  # the clinic's own number, as staff write it
        else:
            assert "SMS chat is off for this clinic" in after_sms
            assert me["support_email"] in after_sms
            request = next(
                w.text()
                for w in boxes[clinic["name"]].findChildren(QLabel)
                if "mailto:" in w.text()
            )
            link = unquote(html.unescape(re.search(r'href="([^"]+)"', request).group(1)))
            assert link.startswith(f"mailto:{me['support_email']}?subject=SMS chat request")
            assert f"- {clinic['name']}" in link  # the clinics that want SMS chat
        assert texts[-1] == clinic["magic_link"]

    sms_clinic = next(c for c in me["clinics"] if c["sms_enabled"])
    copy = [b for b in boxes[sms_clinic["name"]].findChildren(QPushButton) if b.isVisible()]
    assert [b.accessibleName() for b in copy] == ["Copy magic link"]
    qtbot.mouseClick(copy[0], Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == sms_clinic["magic_link"]
    assert by_label(QPushButton, "Sign out", window).isVisible()
    signed_in = [w.text() for w in window.settings_page.findChildren(QLabel) if w.isVisible()]
    assert f"Signed in as Alex Morgan <{DEMO_EMAIL}>" in signed_in
