"""The cached queue for the very first paint, read with the standard library only.

Opening the full cache means importing SQLAlchemy and Alembic (~400 ms here); the window
should not wait for that. This reads the chats table directly, read-only, while the rest
loads on another thread. Anything unexpected (no file yet, an older layout) gives nothing.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from desktop.services.cache_paths import CACHE_FILE
from desktop.services.records import Chat


def cached_chats(data_dir: Path, limit: int = 200) -> list[Chat]:
    """The newest ``limit`` chats: a first screenful (the rest come with the full cache)."""
    path = data_dir / CACHE_FILE
    if not path.exists():
        return []
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as connection:
            rows = connection.execute(
                "SELECT data FROM chats ORDER BY sort_key DESC LIMIT ?", (limit,)
            ).fetchall()
    except sqlite3.Error:
        return []
    return [json.loads(data) for (data,) in rows]
