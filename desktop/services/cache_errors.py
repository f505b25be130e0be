"""What went wrong with a local file, told apart (standard library only: the task runner
reads it on every failed task).

A damaged file (SQLite's "database disk image is malformed", "file is not a database") is
repaired by moving it aside and rebuilding (``cache_repair.py``); a full disk ("database
or disk is full", ``ENOSPC``) is waited out, with what the user wrote kept.
"""

from __future__ import annotations

import errno
import sqlite3

from PySide6.QtCore import QCoreApplication

# SQLite's primary result codes (extended codes carry them in the low byte).
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_NOTADB = 26


class CacheDamagedError(RuntimeError):
    """A cache file turned out damaged during the session: it is being rebuilt."""


class DiskFullError(RuntimeError):
    """A write failed for lack of space: nothing of it was stored. Its text is what the user
    reads."""

    def __init__(self) -> None:
        super().__init__(
            QCoreApplication.translate(
                "Workspace",
                "This computer's disk is full, so PetsApp Desktop cannot save anything. Free "
                "some space (empty the Recycle Bin, or ask your IT support): it carries on by "
                "itself once there is room.",
            )
        )


def not_sent_for_full_disk() -> str:
    """What the user reads when Send could not keep the message for lack of space."""
    return QCoreApplication.translate(
        "Workspace",
        "Not sent: this computer's disk is full. Your message is back in the box: free some "
        "space (empty the Recycle Bin, or ask your IT support), then press Send again.",
    )


def sqlite_code(error: BaseException) -> int | None:
    """The primary SQLite result code behind ``error`` (SQLAlchemy wraps the driver's)."""
    seen: BaseException | None = error
    for _ in range(5):
        if seen is None:
            return None
        if isinstance(seen, sqlite3.Error):
            code = getattr(seen, "sqlite_errorcode", None)
            if code is not None:
                return int(code) & 0xFF
            text = str(seen)
            if "malformed" in text or "not a database" in text:
                return SQLITE_CORRUPT
            return SQLITE_FULL if "disk is full" in text else None
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__
    return None


def is_damage(error: BaseException) -> bool:
    return isinstance(error, CacheDamagedError) or sqlite_code(error) in {
        SQLITE_CORRUPT,
        SQLITE_NOTADB,
    }


def is_disk_full(error: BaseException) -> bool:
    if isinstance(error, DiskFullError):
        return True
    if isinstance(error, OSError) and error.errno in {errno.ENOSPC, errno.EDQUOT}:
        return True
    return sqlite_code(error) == SQLITE_FULL
