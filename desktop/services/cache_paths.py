"""Where the local cache lives in a data folder (standard library only: read by the fast
start path).

Each server has its own cache folder, ``<data folder>/servers/<host>-<hash>/``: changing
the server in the sign-in dialog never mixes two servers' chats, cursors or unsent items,
and switching back finds the first server's cache as it was.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

CACHE_FILE = "cache.db"
OUTBOX_FILE = "outbox.db"  # what only this PC has: the outbox, drafts, who they are for
SERVERS_FOLDER = "servers"


def server_cache_dir(data_dir: Path, server: str) -> Path:
    """The cache folder for ``server`` (a normalised address): readable by support (the host
    and port) and unique (a hash of the whole address)."""
    readable = re.sub(r"[^a-z0-9.-]+", "_", server.split("://", 1)[-1].lower()).strip("_")
    digest = hashlib.sha256(server.encode("utf-8")).hexdigest()[:10]
    return data_dir / SERVERS_FOLDER / f"{readable[:48]}-{digest}"
