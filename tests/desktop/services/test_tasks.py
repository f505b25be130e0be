"""The task runner: work off the GUI thread, results on it, and no failure only in the log."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from desktop.services.notices import NoticeBridge
from desktop.services.tasks import TaskRunner


def _fail() -> None:
    raise OSError("disk full")


def test_results_come_back_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner(notices=NoticeBridge())
    seen: list[tuple[str, bool]] = []
    runner.run(
        lambda: threading.current_thread().name,
        lambda name: seen.append((name, threading.current_thread() is threading.main_thread())),
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert seen[0][0].startswith("task") and seen[0][1]
    runner.shutdown()


def test_a_failure_nobody_handles_is_told_to_the_user(qtbot: QtBot) -> None:
    notices = NoticeBridge()
    runner = TaskRunner(notices=notices)
    with qtbot.waitSignal(notices.sig_notice, timeout=5_000) as told:
        runner.run(_fail)
    level, text = told.args
    assert level == "error"
    assert "OSError" in text and "Open log folder" in text
    assert "disk full" not in text  # details stay in the log
    runner.shutdown()


def test_a_handled_failure_goes_to_its_handler_only(qtbot: QtBot) -> None:
    notices = NoticeBridge()
    told: list[str] = []
    notices.sig_notice.connect(lambda _level, text: told.append(text))
    runner = TaskRunner(notices=notices)
    handled: list[BaseException] = []
    runner.run(_fail, on_error=handled.append)
    qtbot.waitUntil(lambda: bool(handled), timeout=5_000)
    assert isinstance(handled[0], OSError)
    assert told == []
    runner.shutdown()
