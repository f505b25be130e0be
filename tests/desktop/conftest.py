"""Desktop fixtures: the real main window, on the real backend."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.app import launch
from desktop.views.main_window import MainWindow


@pytest.fixture
def open_window(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[..., MainWindow]]:
    """Launch the app as ``petsapp-desktop ARGS``; every window is shut down afterwards."""
    windows: list[MainWindow] = []

    def _open(*args: str) -> MainWindow:
        if "--data-dir" not in args:
            args = (*args, "--data-dir", str(tmp_path / f"desktop-{len(windows)}"))
        window = launch(list(args))
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield _open
    for window in windows:
        window.app.shutdown()  # type: ignore[attr-defined]
        window.close()
    # Dialogs are windows of their own: none may outlive its test and catch the next one's
    # clicks.
    for widget in QApplication.topLevelWidgets():
        widget.close()
