"""The log: a rotating file only its user can read, and never a full phone number."""

from __future__ import annotations

import io
import logging
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.logs import (
    BACKUPS,
    LOG_FILE,
    MAX_BYTES,
    mask_phone_numbers,
    setup_logging,
    start_logging,
)
from tests import processes


@pytest.fixture
def logger(tmp_path: Path) -> Iterator[logging.Logger]:
    """A logger of its own, set up as the app's root logger is, writing to tmp_path."""
    test_logger = logging.getLogger(f"petsapp-test.{tmp_path.name}")
    test_logger.propagate = False
    handlers = setup_logging(tmp_path / "logs", logger=test_logger)
    yield test_logger
    for handler in handlers:
        test_logger.removeHandler(handler)
        handler.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_log_rotates_at_1_mb_and_keeps_5(logger: logging.Logger, tmp_path: Path) -> None:
    line = "x" * 1000
    for _ in range(7 * MAX_BYTES // len(line)):
        logger.info(line)
    folder = tmp_path / "logs"
    files = sorted(p.name for p in folder.iterdir())
    assert files == [LOG_FILE, *(f"{LOG_FILE}.{n}" for n in range(1, BACKUPS + 1))]
    assert all((folder / name).stat().st_size <= MAX_BYTES for name in files)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_log_files_it_creates_are_readable_by_their_user_only(
    logger: logging.Logger, tmp_path: Path
) -> None:
    folder = tmp_path / "logs"
    assert _mode(folder) == 0o700
    assert _mode(folder / LOG_FILE) == 0o600
    for _ in range(2 * MAX_BYTES // 1000):
        logger.info("y" * 1000)
    assert _mode(folder / LOG_FILE) == 0o600  # the file made after a rotation too
    assert _mode(folder / f"{LOG_FILE}.1") == 0o600


def test_phone_numbers_are_masked_in_messages_arguments_and_tracebacks(
    logger: logging.Logger, tmp_path: Path
) -> None:
    stderr = io.StringIO()
    (console,) = [h for h in logger.handlers if type(h) is logging.StreamHandler]
    console.setStream(stderr)
    logger.warning("text to +447400123456 failed")
    logger.warning("owner %s called from %s", "07400 123456", "(020) 7946 0000")
    try:
        raise ValueError("not a mobile: +44 7400 123457")
    except ValueError:
        logger.exception("refused")
    written = (tmp_path / "logs" / LOG_FILE).read_text(encoding="utf-8")
    assert "text to +44*******456 failed" in stderr.getvalue()
    for full in ("7400123456", "7400 123456", "7946 0000", "7400 123457"):
        assert full not in written
        assert full not in stderr.getvalue()
    assert "text to +44*******456 failed" in written
    assert "owner 074*****456 called from 020*****000" in written
    assert "ValueError: not a mobile: +44*******457" in written


def test_what_is_not_a_phone_number_stays() -> None:
    kept = [
        "demo running: backend http://127.0.0.1:41234",
        "at 2026-01-01 12:00:00, chat 1234567890",
        "client id 01234567-89ab-cdef-0123-456789abcdef",
        "sid SM0123456789abcdef0123456789abcdef",
        "already masked +44*******456",
    ]
    assert [mask_phone_numbers(text) for text in kept] == kept
    assert mask_phone_numbers("To=%2B447400123456&x") == "To=+44*******456&x"


def test_the_app_logs_to_the_folder_it_is_given(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PETSAPP_LOG_DIR": str(folder)}
    args = ["--server", "http://127.0.0.1:9", "--data-dir", str(tmp_path / "pc"), "--smoke-test"]
    result = processes.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode != 0  # nothing listens there; the log is what is checked
    assert (folder / LOG_FILE).is_file()
    if sys.platform != "win32":
        assert _mode(folder / LOG_FILE) == 0o600


def test_at_start_records_wait_for_the_file_and_are_written_first(tmp_path: Path) -> None:
    test_logger = logging.getLogger(f"petsapp-start.{tmp_path.name}")
    test_logger.propagate = False
    folder = tmp_path / "logs"
    attach = start_logging(folder, logger=test_logger)
    try:
        test_logger.info("starting; cache for +447400123456")
        assert not (folder / LOG_FILE).exists()  # not yet: the window comes first
        handlers = attach()
        test_logger.info("window up")
        for handler in handlers:
            handler.flush()
        lines = (folder / LOG_FILE).read_text().splitlines()
        assert [line.split(" INFO ")[1] for line in lines] == [
            f"{test_logger.name} starting; cache for +44*******456",
            f"{test_logger.name} window up",
        ]
    finally:
        for handler in list(test_logger.handlers):
            test_logger.removeHandler(handler)
            handler.close()
