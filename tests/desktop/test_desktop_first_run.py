"""First run: the sign-in dialog asks for the server ("Server", "Email", "Password",
"Sign in", or "Try the demo"); the address is remembered once a sign-in succeeds."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from backend.demo import DEMO_EMAIL, DEMO_PASSWORD, EmbeddedDemo
from backend.serving import free_port
from desktop.services.cache_paths import CACHE_FILE, server_cache_dir
from desktop.views.login_dialog import LoginDialog
from desktop.views.main_window import MainWindow
from tests.desktop.ui import by_label, is_visible
from tests.support import text_in


def _dialog(qtbot: QtBot, window: MainWindow) -> LoginDialog:
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Server"), timeout=10_000)
    dialog = window.app.login  # type: ignore[attr-defined]
    assert isinstance(dialog, LoginDialog)
    return dialog


def _sign_in(qtbot: QtBot, server: str, email: str = DEMO_EMAIL) -> None:
    field = by_label(QLineEdit, "Server")
    field.clear()
    qtbot.keyClicks(field, server)
    by_label(QLineEdit, "Email").clear()
    qtbot.keyClicks(by_label(QLineEdit, "Email"), email)
    by_label(QLineEdit, "Password").clear()
    qtbot.keyClicks(by_label(QLineEdit, "Password"), DEMO_PASSWORD)
    qtbot.mouseClick(by_label(QPushButton, "Sign in"), Qt.MouseButton.LeftButton)


def _settings(data_dir: Path) -> dict[str, object]:
    path = data_dir / "settings.json"
    return json.loads(path.read_text()) if path.exists() else {}


def test_first_run_asks_for_the_server_and_remembers_it_after_sign_in(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    data_dir = tmp_path / "pc"
    window = open_window("--data-dir", str(data_dir))
    dialog = _dialog(qtbot, window)
    assert by_label(QLineEdit, "Server").text() == ""
    assert "server" in dialog.message.text()
    assert window.app.demo is None  # type: ignore[attr-defined]  # no demo unless asked
    assert window.connection.text() == "Not signed in"

    _sign_in(qtbot, demo.backend_url + "/")
    qtbot.waitUntil(lambda: "Alex Morgan" in window.windowTitle(), timeout=15_000)
    assert not is_visible(QLineEdit, "Server")
    qtbot.waitUntil(lambda: _settings(data_dir).get("server") == demo.backend_url, timeout=5_000)
    # The cache is this server's own.
    assert (server_cache_dir(data_dir, demo.backend_url) / CACHE_FILE).exists()
    window.app.shutdown()  # type: ignore[attr-defined]
    window.close()

    # Next launch: straight to that server (no keyring here, so sign-in is asked again,
    # with the server filled in).
    again = open_window("--data-dir", str(data_dir))
    dialog = _dialog(qtbot, again)
    assert by_label(QLineEdit, "Server").text() == demo.backend_url
    assert "server" not in dialog.message.text().lower()
    qtbot.keyClicks(by_label(QLineEdit, "Email"), DEMO_EMAIL)
    qtbot.keyClicks(by_label(QLineEdit, "Password"), DEMO_PASSWORD)
    qtbot.mouseClick(by_label(QPushButton, "Sign in"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Alex Morgan" in again.windowTitle(), timeout=15_000)


def test_a_wrong_address_is_explained_before_anything_is_sent(
    qtbot: QtBot, open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    data_dir = tmp_path / "pc"
    window = open_window("--data-dir", str(data_dir))
    dialog = _dialog(qtbot, window)
    for typed in ("ftp://petsapp.example", "petsapp.example", "https://", "https://:80"):
        _sign_in(qtbot, typed)
        assert "e.g. https://petsapp.example" in dialog.message.text() or (
            "It looks like https://petsapp.example" in dialog.message.text()
        ), typed
        assert by_label(QPushButton, "Sign in").isEnabled()
    assert window.app.workspace is None  # type: ignore[attr-defined]
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_an_unreachable_server_is_said_within_seconds_and_leaves_no_cache(
    qtbot: QtBot, open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    data_dir = tmp_path / "pc"
    window = open_window("--data-dir", str(data_dir))
    dialog = _dialog(qtbot, window)
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    started = time.monotonic()
    _sign_in(qtbot, closed)
    qtbot.waitUntil(lambda: "cannot be reached" in dialog.message.text(), timeout=5_000)
    assert time.monotonic() - started < 5
    assert by_label(QPushButton, "Sign in").isEnabled()
    assert not (data_dir / "servers").exists() or not any((data_dir / "servers").iterdir())
    assert "server" not in _settings(data_dir)


def test_a_server_that_is_not_petsapp_is_said_and_another_address_then_works(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    data_dir = tmp_path / "pc"
    window = open_window("--data-dir", str(data_dir))
    dialog = _dialog(qtbot, window)
    _sign_in(qtbot, demo.sandbox_url)  # a real web server, but the SMS provider's stand-in
    qtbot.waitUntil(lambda: "not a PetsApp server" in dialog.message.text(), timeout=5_000)
    assert "server" not in _settings(data_dir)

    _sign_in(qtbot, demo.backend_url)  # corrected in the same dialog
    qtbot.waitUntil(lambda: "Alex Morgan" in window.windowTitle(), timeout=15_000)
    assert window.app.workspace.server == demo.backend_url  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: _settings(data_dir).get("server") == demo.backend_url, timeout=5_000)


def test_try_the_demo_starts_it_signed_in_and_is_not_remembered(
    qtbot: QtBot, open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    data_dir = tmp_path / "pc"
    window = open_window("--data-dir", str(data_dir))
    _dialog(qtbot, window)
    qtbot.mouseClick(by_label(QPushButton, "Try the demo"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Alex Morgan" in window.windowTitle(), timeout=30_000)
    app = window.app  # type: ignore[attr-defined]
    assert app.demo is not None
    assert app.workspace.server == app.demo.backend_url
    assert not is_visible(QLineEdit, "Server")
    assert "server" not in _settings(data_dir)


def test_an_unusable_server_option_opens_the_dialog_with_the_reason(
    qtbot: QtBot, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window("--server", "petsapp.example")
    dialog = _dialog(qtbot, window)
    assert by_label(QLineEdit, "Server").text() == "petsapp.example"
    assert "must start with https://" in dialog.message.text()


def test_changing_the_server_never_mixes_two_servers_caches(
    qtbot: QtBot, demo: EmbeddedDemo, open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    data_dir = tmp_path / "pc"
    text_in(demo, "+447400123456", "Only on the first server")
    first = open_window("--data-dir", str(data_dir))
    _dialog(qtbot, first)
    _sign_in(qtbot, demo.backend_url)
    qtbot.waitUntil(lambda: first.queue_model.rowCount() == 1, timeout=15_000)
    first.app.shutdown()  # type: ignore[attr-defined]
    first.close()

    with EmbeddedDemo(tmp_path / "other-server") as other:
        text_in(other, "+447400123999", "Only on the second server")
        # Next start: the first server's cached chat shows, and sign-in is asked (no keyring
        # here); another server is typed in the same dialog.
        window = open_window("--data-dir", str(data_dir))
        qtbot.waitUntil(lambda: window.queue_model.rowCount() == 1, timeout=10_000)
        _dialog(qtbot, window)
        _sign_in(qtbot, other.backend_url)
        qtbot.waitUntil(lambda: "Alex Morgan" in window.windowTitle(), timeout=15_000)
        qtbot.waitUntil(lambda: _phones(window) == ["+447400123999"], timeout=10_000)
        window.app.shutdown()  # type: ignore[attr-defined]
        window.close()

    # The first server's cache was kept as it was, and holds nothing of the second's.
    again = open_window("--server", demo.backend_url, "--data-dir", str(data_dir))
    qtbot.waitUntil(lambda: _phones(again) == ["+447400123456"], timeout=10_000)
    assert _settings(data_dir).get("server") == other.backend_url
    assert len(list((data_dir / "servers").iterdir())) == 2


def _phones(window: MainWindow) -> list[str]:
    model = window.queue_model
    return [model.chat_at(row)["phone"] for row in range(model.rowCount())]


def test_a_closed_sign_in_dialog_comes_back_for_what_needs_a_session(
    qtbot: QtBot, open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    window = open_window("--data-dir", str(tmp_path / "pc"))
    dialog = _dialog(qtbot, window)
    dialog.reject()  # closed without signing in
    qtbot.waitUntil(lambda: not is_visible(QLineEdit, "Server"), timeout=5_000)
    qtbot.mouseClick(by_label(QPushButton, "New chat", window), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_visible(QLineEdit, "Server"), timeout=5_000)
    assert dialog.message.text() == "Sign in first."
