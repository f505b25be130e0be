"""Help → "About PetsApp Desktop" (what support asks for) and Help → "Open log folder"."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from desktop.views.about_dialog import AboutDialog
from desktop.views.main_window import MainWindow
from tests.desktop.ui import by_label, is_visible, sign_in


def _help(window: MainWindow, text: str) -> QAction:
    """The Help menu's entry with this visible text, as a person finds it in the menu bar."""
    menus = [a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Help"]
    assert len(menus) == 1, "no Help menu"
    actions = [a for a in menus[0].actions() if a.text() == text]
    assert len(actions) == 1, f"no Help entry {text!r}"
    assert actions[0].isEnabled()
    return actions[0]


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setenv("PETSAPP_LOG_DIR", str(folder))
    return folder


class _FileManager(QObject):
    """Stands in for the desktop's file manager: Qt hands it the URLs it would open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)


@pytest.fixture
def file_manager() -> Iterator[_FileManager]:
    handler = _FileManager()
    QDesktopServices.setUrlHandler("file", handler, "open")  # type: ignore[arg-type]
    yield handler
    QDesktopServices.unsetUrlHandler("file")


def test_about_shows_the_server_and_the_folders_and_copies_them(
    qtbot: QtBot,
    demo: EmbeddedDemo,
    open_window: Callable[..., MainWindow],
    tmp_path: Path,
    log_dir: Path,
) -> None:
    data_dir = tmp_path / "pc"
    window = open_window("--server", demo.backend_url, "--data-dir", str(data_dir))
    sign_in(qtbot, window, DEMO_EMAIL, DEMO_PASSWORD)

    _help(window, "About PetsApp Desktop").trigger()
    qtbot.waitUntil(lambda: is_visible(AboutDialog, "About PetsApp Desktop"), timeout=5_000)
    assert by_label(QLineEdit, "Server").text() == demo.backend_url
    assert by_label(QLineEdit, "Data folder").text() == str(data_dir)
    assert by_label(QLineEdit, "Log folder").text() == str(log_dir)
    assert by_label(QLineEdit, "Version").text() not in {"", "unknown"}
    assert by_label(QLineEdit, "Server").isReadOnly()  # selectable and copyable, not editable

    qtbot.mouseClick(by_label(QPushButton, "Copy details"), Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert f"Server: {demo.backend_url}" in copied
    assert f"Data folder: {data_dir}" in copied
    assert f"Log folder: {log_dir}" in copied

    qtbot.mouseClick(by_label(QPushButton, "Close"), Qt.MouseButton.LeftButton)
    assert not is_visible(AboutDialog, "About PetsApp Desktop")


def test_about_in_the_demo_says_it_is_the_demo(
    qtbot: QtBot, open_window: Callable[..., MainWindow], log_dir: Path
) -> None:
    window = open_window("--demo")
    qtbot.waitUntil(lambda: "Alex Morgan" in window.windowTitle(), timeout=30_000)
    _help(window, "About PetsApp Desktop").trigger()
    server = by_label(QLineEdit, "Server").text()
    demo = window.app.demo
    assert demo is not None and demo.backend_url in server
    assert "demo" in server
    # The demo is a process of its own, whose log sits beside the app's; it ends with the app.
    assert (log_dir / "demo-backend.log").is_file()
    pid = demo.pid
    assert pid is not None and psutil.pid_exists(pid)
    window.app.shutdown()  # what quitting does
    assert not psutil.pid_exists(pid)


def test_open_log_folder_creates_it_and_hands_it_to_the_file_manager(
    qtbot: QtBot,
    open_window: Callable[..., MainWindow],
    log_dir: Path,
    file_manager: _FileManager,
) -> None:
    window = open_window("--server", "http://127.0.0.1:9")
    assert not log_dir.exists()
    _help(window, "Open log folder").trigger()
    assert log_dir.is_dir()
    assert [url.toLocalFile() for url in file_manager.opened] == [str(log_dir)]
    assert window.notice.text() == ""
