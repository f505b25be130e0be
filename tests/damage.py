"""Damaging a real SQLite file as a failing disk or a scanner does: whole pages overwritten."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

PAGE = 4096  # SQLite's default page size, which the cache files use


def pages_of(path: Path, table: str, leaves_only: bool = False) -> list[int]:
    """The pages of one table (SQLite's dbstat), to damage exactly those."""
    query = "SELECT pageno FROM dbstat WHERE name = ?"
    if leaves_only:
        query += " AND pagetype = 'leaf'"
    with sqlite3.connect(path) as connection:
        rows = connection.execute(query + " ORDER BY pageno", (table,)).fetchall()
    return [page for (page,) in rows]


def damage(path: Path, pages: list[int], seed: int = 7) -> None:
    """Garbage over whole pages."""
    noise = random.Random(seed)
    with path.open("r+b") as file:
        for page in pages:
            file.seek((page - 1) * PAGE)
            file.write(noise.randbytes(PAGE))
