"""A damaged local file never stops the reception desk, and never takes what was typed.

``open_cache`` opens the two files of a cache folder (``cache_models.py``) and, when one
cannot be opened or read (malformed pages, not a database at all, a schema from a newer
build, a failed integrity check), moves it aside, kept and named with the date
(``cache.damaged-2026-12-01T09-30-00.db``), salvages what can still be read of the outbox,
the drafts and who they belong to, and opens a fresh file in its place. A fresh
``cache.db`` has no sync cursor: the sync engine fills it from the server with the
first-sync progress, while the outbox (in the other file) is shown and sent as before.

The outbox is written to ``outbox.db``, a file of a few pages that the sync feed never
writes: a fault in the big file (where nearly every write goes) leaves it alone, and the
send journal (``send_journal.py``) holds each message until its outbox row is committed.

Standard library and the cache only; runs on the cache lane. The log names files and
counts, never bodies or numbers.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from desktop.services.cache import Cache, iso_at, now_iso
from desktop.services.cache_errors import CacheDamagedError, is_damage
from desktop.services.cache_files import CacheTooNewError
from desktop.services.cache_models import (
    KEPT_VALUES,
    CachedDraft,
    CachedMessage,
    KeptValue,
    OutboxItem,
)
from desktop.services.cache_paths import CACHE_FILE, OUTBOX_FILE
from desktop.services.outbox_store import pending_message, pending_row

log = logging.getLogger(__name__)

DAMAGED_COPIES_KEPT = 2  # per file: older damaged copies go (a cache can be large)
SALVAGE_PROBES = 10_000  # row ids tried in a row past a damaged page (microseconds each)
ITEM_COLUMNS = (
    "client_id", "chat_id", "kind", "payload", "state", "error", "attempts",
    "next_attempt_at", "first_tried_at", "written_at", "seen",
)  # fmt: skip


@dataclass
class Salvage:
    """What could be read from damaged files, to be written into the fresh ones."""

    items: list[dict[str, Any]] = field(default_factory=list)  # outbox rows, in order
    drafts: list[dict[str, Any]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # "me", "staff_id", "unread"

    def __iadd__(self, other: Salvage) -> Salvage:
        self.items += other.items
        self.drafts += other.drafts
        self.values = {**other.values, **self.values}
        return self


@dataclass(frozen=True)
class Repair:
    """What ``open_cache`` did about damage, for the user's sentence and the log."""

    rebuilt: bool  # cache.db was replaced: the chats come again from the server
    outbox_damaged: bool  # outbox.db was replaced: only what could be read was kept
    moved_aside: tuple[str, ...]  # the damaged files' new names, in the cache folder
    salvaged: int  # outbox items read from a damaged file and queued again
    kept: int  # unsent messages waiting in the outbox now


def open_cache(folder: Path, suspect: bool = False) -> tuple[Cache, Repair | None]:
    """The cache of ``folder``, repaired if it has to be. ``suspect``: an error during the
    session said a file is damaged; both are checked whole first."""
    folder.mkdir(parents=True, exist_ok=True)
    damaged: dict[Path, str] = {}  # file -> what is wrong with it
    outbox_file, cache_file = folder / OUTBOX_FILE, folder / CACHE_FILE
    problem = _problem(outbox_file)  # small: checked whole at every opening
    if problem:
        damaged[outbox_file] = problem
    if suspect:
        problem = _problem(cache_file)
        # An error said "malformed" though neither check agrees: the file the server can
        # fill again goes, never the outbox without proof.
        damaged.setdefault(cache_file, problem or "an error during the session")
    if not damaged:
        try:
            return Cache(folder), None
        except CacheTooNewError as error:
            damaged[error.path] = "written by a newer version"
        except Exception as error:
            if not is_damage(error):
                raise
            # outbox.db passed its check just now: the damage is cache.db's.
            damaged[cache_file] = str(
                getattr(error, "orig", None) or error  # SQLite's words, not the statement
            )
    return _rebuild(folder, damaged)


def _rebuild(folder: Path, damaged: dict[Path, str]) -> tuple[Cache, Repair]:
    salvage = Salvage()
    moved: list[str] = []
    for path, problem in damaged.items():
        aside = _move_aside(path)
        moved.append(aside.name)
        log.error("%s is damaged (%s): moved aside as %s", path.name, problem, aside.name)
        salvage += salvage_file(aside)
    try:
        cache = Cache(folder)
    except CacheTooNewError as error:  # the other file is from a newer build too
        aside = _move_aside(error.path)
        moved.append(aside.name)
        log.error(
            "%s was written by a newer version: moved aside as %s", error.path.name, aside.name
        )
        salvage += salvage_file(aside)
        cache = Cache(folder)
    queued = restore(cache, salvage)
    kept = reconcile_pending(cache)
    repair = Repair(
        rebuilt=folder / CACHE_FILE in damaged,
        outbox_damaged=folder / OUTBOX_FILE in damaged,
        moved_aside=tuple(moved),
        salvaged=queued,
        kept=kept,
    )
    log.warning(
        "cache repaired: %d outbox items salvaged, %d unsent messages waiting, %d drafts",
        queued, kept, len(salvage.drafts),
    )  # fmt: skip
    return cache, repair


def _problem(path: Path) -> str:
    """What SQLite's quick check finds wrong with the file ("" when nothing, or no file)."""
    if not path.exists() or path.stat().st_size == 0:
        return ""
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=5)) as connection:
            rows = connection.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.DatabaseError as error:
        return str(error)
    found = "; ".join(str(row[0]) for row in rows)
    return "" if found == "ok" else found


def _move_aside(path: Path) -> Path:
    """``cache.db`` -> ``cache.damaged-<date>.db`` with its WAL and shared-memory files
    (renamed alike, so SQLite reads the copy with what its WAL held)."""
    stamp = datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    aside = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.stem}.damaged-{stamp}-{n}{path.suffix}")
    for extra in ("-wal", "-shm"):
        side = path.with_name(path.name + extra)
        if side.exists():
            side.replace(aside.with_name(aside.name + extra))
    if path.exists():
        path.replace(aside)
    _prune(path)
    return aside


def _prune(path: Path) -> None:
    copies = sorted(path.parent.glob(f"{path.stem}.damaged-*{path.suffix}"))
    for old in copies[:-DAMAGED_COPIES_KEPT]:
        for name in (old.name, old.name + "-wal", old.name + "-shm"):
            with contextlib.suppress(FileNotFoundError):
                (old.parent / name).unlink()


def damaged_copies(folder: Path) -> list[Path]:
    """Every damaged file kept in ``folder`` (signing out removes them: they hold chats)."""
    found = []
    for name in (CACHE_FILE, OUTBOX_FILE):
        stem, suffix = name.rsplit(".", 1)
        for copy in folder.glob(f"{stem}.damaged-*.{suffix}*"):
            found.append(copy)
    return found


# ---- salvage -------------------------------------------------------------------------------


def salvage_file(path: Path) -> Salvage:
    """Whatever can still be read of the outbox, drafts and kept values in a damaged file
    (today's layout, outbox.db, or an older cache.db that held them), row by row past
    damaged pages. Read-only."""
    found = Salvage()
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return found
    with contextlib.closing(connection):
        found.items = [r for r in _rows(connection, "outbox", ITEM_COLUMNS) if _is_item(r)]
        found.drafts = [
            r
            for r in _rows(connection, "drafts", ("chat_id", "text", "updated_at"))
            if isinstance(r["chat_id"], int) and isinstance(r["text"], str)
        ]
        for row in _rows(connection, "values", ("name", "value")):
            if row["name"] in KEPT_VALUES:
                with contextlib.suppress(TypeError, ValueError):
                    found.values[row["name"]] = json.loads(row["value"])
    return found


def _rows(
    connection: sqlite3.Connection, table: str, columns: tuple[str, ...]
) -> list[dict[str, Any]]:
    """Every readable row of ``table``, by row id. A damaged page fails the rows on it:
    the next ids are tried until the rows beyond it read again (up to the highest id, when
    that can be read, else ``SALVAGE_PROBES`` ids in a row)."""
    try:
        connection.execute("SELECT name FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError:
        return []  # no schema to read: nothing can be found by name
    select_ = f'SELECT rowid, {", ".join(columns)} FROM "{table}"'
    try:
        return [dict(zip(columns, row[1:], strict=True)) for row in connection.execute(
            select_ + " ORDER BY rowid"
        )]  # fmt: skip
    except sqlite3.OperationalError:
        return []  # no such table in this file
    except sqlite3.DatabaseError:
        pass  # damaged: row by row
    try:
        highest = int(connection.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0])
    except (sqlite3.DatabaseError, TypeError):
        highest = None
    rows: list[dict[str, Any]] = []
    rowid, failures = 0, 0
    while failures < SALVAGE_PROBES and (highest is None or rowid < highest):
        try:
            row = connection.execute(
                select_ + " WHERE rowid > ? ORDER BY rowid LIMIT 1", (rowid,)
            ).fetchone()
        except sqlite3.DatabaseError:
            rowid, failures = rowid + 1, failures + 1
            continue
        if row is None:
            return rows
        rows.append(dict(zip(columns, row[1:], strict=True)))
        rowid, failures = row[0], 0
    return rows


def _is_item(row: dict[str, Any]) -> bool:
    try:
        row["payload"] = json.loads(row["payload"])
        row["seen"] = json.loads(row["seen"])
    except (TypeError, ValueError):
        return False
    return (
        isinstance(row["client_id"], str)
        and isinstance(row["chat_id"], int)
        and isinstance(row["payload"], dict)
        and isinstance(row["written_at"], int | float)
    )


def restore(cache: Cache, salvage: Salvage) -> int:
    """The salvaged rows into the fresh files, in the order they were written, each once (by
    its ``client_id``, so the backend's idempotency still holds). Returns how many items
    were queued again."""
    queued = 0
    with cache.sessions.begin() as session:
        known = set(session.scalars(select(OutboxItem.client_id)))
        for row in sorted(salvage.items, key=lambda r: r["written_at"]):
            if row["client_id"] in known:
                continue
            known.add(row["client_id"])
            session.add(OutboxItem(**{name: row[name] for name in ITEM_COLUMNS}))
            queued += 1
        for draft in salvage.drafts:
            if session.get(CachedDraft, draft["chat_id"]) is None:
                session.add(
                    CachedDraft(
                        chat_id=draft["chat_id"],
                        text=draft["text"],
                        updated_at=draft["updated_at"] or now_iso(),
                    )
                )
        for name, value in salvage.values.items():
            if session.get(KeptValue, name) is None:
                session.add(KeptValue(name=name, value=value))
    return queued


def reconcile_pending(cache: Cache) -> int:
    """The chats' pending bubbles are what the outbox holds: a message item without its row
    gets one (a rebuilt cache, or a kill between the two files' commits), a pending row
    without an item goes. Returns how many unsent messages are waiting."""
    me = (cache.get("me") or {}).get("staff", {}).get("id")
    with cache.sessions.begin() as session:
        items = list(session.scalars(select(OutboxItem).where(OutboxItem.kind == "message")))
        wanted = {item.client_id for item in items}
        pending = set(session.scalars(select(CachedMessage.key).where(CachedMessage.pending)))
        orphans = pending - wanted
        if orphans:
            session.execute(delete(CachedMessage).where(CachedMessage.key.in_(orphans)))
        for item in items:
            if item.client_id in pending:
                continue
            if session.get(CachedMessage, item.client_id) is not None:
                continue  # confirmed: the feed's copy is there
            body = str(item.payload.get("body", ""))
            message = pending_message(
                item.chat_id, item.client_id, body, me, iso_at(item.written_at)
            )
            message["status"] = item.state
            message["error"] = item.error if item.state != "pending" else None
            session.add(pending_row(item.client_id, item.chat_id, message))
    return len(items)


CHECK_EVERY = 24 * 3600.0
ALWAYS_CHECKED_BYTES = 64 * 1024 * 1024  # about 0.1 s of checking here


def check_cache(cache: Cache) -> None:
    """On the lane, after the queue is on screen: the cache file's quick integrity check,
    at every opening while it is small, else once a day (about 1 s for 600 MB). On its own
    connection, so the pages it reads do not stay cached in the one the app reads with
    (damage found later is found where the app reads it). A failure is damage: the lane has
    the file rebuilt."""
    now = time.time()
    small = cache.path.stat().st_size < ALWAYS_CHECKED_BYTES
    if not small and now - float(cache.get("checked_at") or 0) < CHECK_EVERY:
        return
    problem = _problem(cache.path)
    if problem:
        raise CacheDamagedError(problem)
    cache.put("checked_at", now)
