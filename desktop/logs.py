"""The app's log: a rotating file in the user's log folder (1 MB, 5 kept), and stderr.

Logs never hold message bodies or full phone numbers: the code logs numbers masked
(``sms.mask_phone``) and bodies never. As a safety net, a filter on every handler masks
whatever still looks like a phone number (E.164, URL-encoded E.164, UK national formats),
tracebacks included.

``PETSAPP_LOG_DIR`` names another folder (tests, or IT collecting logs elsewhere).
"""

from __future__ import annotations

import io
import logging
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logging.handlers import RotatingFileHandler


LOG_DIR_ENV = "PETSAPP_LOG_DIR"
LOG_FILE = "petsapp-desktop.log"
CONSOLE_FILE = "console.log"  # a windowed build's stdout/stderr (packaging/pyinstaller)
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

# A phone-like run: "+", "%2B" (URL-encoded "+"), a national "0" (maybe bracketed) or a
# bare "44", then digits with at most two separators (space, hyphen, brackets) between
# them. Never from inside a word or number (a UUID, a SID), nor an already masked one.
_PHONE = re.compile(r"(?<![\w*])(?:\+|%2[Bb]|\(?(?=0)|(?=44))\d(?:[ \-()]{0,2}\d){7,16}(?![\w*])")


def log_dir() -> Path:
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs  # ~9 ms: loaded when the log file is attached, after the first paint

    return Path(platformdirs.user_log_dir("PetsApp Desktop", "PetsApp"))


def mask_phone_numbers(text: str) -> str:
    """Every phone-number-like run in ``text`` masked as ``mask_phone`` does."""

    def masked(match: re.Match[str]) -> str:
        run = match.group(0)
        digits = re.sub(r"\D", "", run.removeprefix("%2B").removeprefix("%2b"))
        if run.startswith(("+", "%2")):
            international = 8 <= len(digits) <= 15
        elif digits.startswith("0"):
            international = 10 <= len(digits) <= 14  # UK national 10-11, "00 44 ..." 14
        else:
            international = 12 <= len(digits) <= 13  # "447400123456"
        if not international:
            return run
        from petsapp_common.sms import mask_phone  # off the start-up path (a first record)

        return mask_phone(("+" if run.startswith(("+", "%2")) else "") + digits)

    return _PHONE.sub(masked, text)


class PhoneNumberFilter(logging.Filter):
    """Masks phone numbers in a record's message, traceback and stack before it is written."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format: logging reports it when the record is written
            return True
        record.msg, record.args = mask_phone_numbers(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_phone_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_phone_numbers(record.stack_info)
        return True


def private_rotating_file_handler(path: Path) -> RotatingFileHandler:
    """The rotating log file (1 MB, 5 kept). A file it creates (the first, or after a
    rotation) is readable by its user only (0600 where the OS has such modes); an existing
    file keeps its mode. (``logging.handlers`` costs ~8 ms to import: loaded here, when the
    file is attached, not on the start-up path.)"""
    from logging.handlers import RotatingFileHandler

    class PrivateRotatingFileHandler(RotatingFileHandler):
        def _open(self) -> io.TextIOWrapper:
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
            fd = os.open(self.baseFilename, flags, 0o600)
            return open(fd, "a", encoding=self.encoding, errors=self.errors)

    return PrivateRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )


def setup_logging(
    folder: Path | None = None,
    logger: logging.Logger | None = None,
    level: int = logging.INFO,
    to_stderr: bool = True,
) -> list[logging.Handler]:
    """Log to ``folder`` (by default :func:`log_dir`) and to stderr; returns the handlers
    added to ``logger`` (by default the root logger). A folder that cannot be written
    leaves stderr only, and says so there."""
    folder = folder or log_dir()
    logger = logger or logging.getLogger()
    logger.setLevel(level)
    handlers: list[logging.Handler] = []
    problem = ""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handlers.append(private_rotating_file_handler(folder / LOG_FILE))
    except OSError as exc:
        problem = f"the log folder {folder} cannot be written ({exc.strerror}): logging to stderr"
    if to_stderr:
        handlers.extend(_stderr_handler())
    for handler in handlers:
        _prepare(handler)
        logger.addHandler(handler)
    if problem:
        logger.warning(problem)
    return handlers


def start_logging(
    folder: Path | None = None, logger: logging.Logger | None = None, level: int = logging.INFO
) -> Callable[[], list[logging.Handler]]:
    """For the app's start: stderr now, and the records kept until the returned function
    attaches the log file (``main`` calls it just after the first paint) and writes them
    there first."""
    logger = logger or logging.getLogger()
    logger.setLevel(level)
    early = _EarlyRecords()
    logger.addHandler(early)
    for handler in _stderr_handler():
        logger.addHandler(_prepare(handler))

    def attach() -> list[logging.Handler]:
        logger.removeHandler(early)
        handlers = setup_logging(folder, logger, level, to_stderr=False)
        for record in early.records:
            for handler in handlers:
                if record.levelno >= handler.level:
                    handler.handle(record)
        early.records.clear()
        return handlers

    return attach


class _EarlyRecords(logging.Handler):
    """What was logged before the log file was attached."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _stderr_handler() -> list[logging.Handler]:
    # A windowed build's stderr already goes to a file in the log folder: not twice.
    if sys.stderr is not None and not getattr(sys.stderr, "name", "").endswith(CONSOLE_FILE):
        return [logging.StreamHandler(sys.stderr)]
    return []


def _prepare(handler: logging.Handler) -> logging.Handler:
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(PhoneNumberFilter())
    return handler
