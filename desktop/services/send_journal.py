"""The send journal: what Send was pressed for, on disk before the click returns.

The outbox lives in the cache, and the cache is written on the ordered lane
(``services/tasks.py``), a worker thread: until that job commits, a message exists only in
memory, and the composer was already emptied. So at the click, on the GUI thread, the
message goes into one small JSON file in ``sending/`` beside the cache (a few tens of
microseconds: no SQLite, no fsync, since a killed process does not lose the page cache).
The lane job writes the outbox item with the same ``client_id`` and then deletes the file.
Whatever is left here at start was pressed Send for and perhaps never written: the
workspace hands it to the outbox (``Outbox.write_journalled``) before anything is sent or a
draft is shown.

Standard library only (no Qt): the workspace owns one per cache folder.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

JOURNAL_FOLDER = "sending"
SUFFIX = ".json"
TEMP_SUFFIX = ".tmp"
# A temporary file this old is a write that was killed half-way (its Send never returned).
STALE_TEMP_SECONDS = 60.0


@dataclass(frozen=True)
class JournalEntry:
    client_id: str
    chat_id: int
    body: str
    written_at: float  # seconds since the epoch, when Send was pressed
    path: Path


class SendJournal:
    """One file per message between Send and its outbox item being written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, chat_id: int, body: str) -> JournalEntry:
        """On the GUI thread, at the click. Raises ``OSError`` when the file cannot be
        written: the caller keeps the text in the composer then."""
        self._make_folder()
        now_ns = time.time_ns()
        client_id = str(uuid.uuid4())
        # Named by time first, so the folder lists in the order Send was pressed.
        path = self.folder / f"{now_ns:020d}-{client_id}{SUFFIX}"
        written_at = now_ns / 1e9
        record = {
            "client_id": client_id,
            "chat_id": chat_id,
            "body": body,
            "written_at": written_at,
        }
        temp = path.with_name(path.name + TEMP_SUFFIX)
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                json.dump(record, file, ensure_ascii=False)
            # Whole or absent: a kill mid-write leaves only the temporary name.
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        return JournalEntry(client_id, chat_id, body, written_at, path)

    def remove(self, entry: JournalEntry) -> None:
        """Its outbox item is written (or it was found there already)."""
        with contextlib.suppress(FileNotFoundError):
            entry.path.unlink()

    def entries(self) -> list[JournalEntry]:
        """What is left, oldest first. A file that cannot be read is dropped (logged by
        name only: its text may name people)."""
        try:
            names = sorted(os.listdir(self.folder))
        except FileNotFoundError:
            return []
        except OSError as exc:  # the app still starts; the files stay for the next try
            log.error("the send journal could not be read: %s", exc.strerror)
            return []
        found: list[JournalEntry] = []
        for name in names:
            path = self.folder / name
            if name.endswith(TEMP_SUFFIX):
                # A fresh one may be a Send being written right now.
                if _age(path) > STALE_TEMP_SECONDS:
                    _drop(path, "a half-written")
                continue
            if not name.endswith(SUFFIX):
                continue
            entry = _read(path)
            if entry is None:
                _drop(path, "an unreadable")
            else:
                found.append(entry)
        return sorted(found, key=lambda e: (e.written_at, e.path.name))

    def wipe(self) -> None:
        """Signing out: nothing typed stays behind on a shared PC."""
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return
        for name in names:
            with contextlib.suppress(FileNotFoundError):
                (self.folder / name).unlink()

    def _make_folder(self) -> None:
        if not self.folder.is_dir():
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(self.folder, 0o700)  # mkdir's mode is cut by the umask


def _read(path: Path) -> JournalEntry | None:
    try:
        record: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict):
        return None
    client_id, chat_id = record.get("client_id"), record.get("chat_id")
    body, written_at = record.get("body"), record.get("written_at")
    if not (
        isinstance(client_id, str)
        and client_id
        and isinstance(chat_id, int)
        and not isinstance(chat_id, bool)
        and isinstance(body, str)
        and body.strip()
        and isinstance(written_at, int | float)
    ):
        return None
    return JournalEntry(client_id, chat_id, body, float(written_at), path)


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def _drop(path: Path, what: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    log.warning("dropped %s send journal file: %s", what, path.name)
