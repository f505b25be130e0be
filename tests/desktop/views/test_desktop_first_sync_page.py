"""The first-sync page: a bar that counts, and the reason when the connection drops."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.views.first_sync_page import FirstSyncPage


def test_progress_then_offline_says_why(qtbot: QtBot) -> None:
    page = FirstSyncPage()
    qtbot.addWidget(page)
    assert page.bar.maximum() == 0  # busy until the first count
    page.show_progress(1_200, 4_000)
    assert (page.bar.value(), page.bar.maximum()) == (1_200, 4_000)
    assert page.detail.text() == "1,200 of 4,000 changes"
    page.show_connection("Syncing… 1,200 of 4,000", offline=False)
    assert page.detail.text() == "1,200 of 4,000 changes"
    page.show_connection("Offline: the server cannot be reached", offline=True)
    assert page.detail.text() == "Offline: the server cannot be reached"
