"""A practice PC that types and sends, to be killed at any moment (see test_desktop_crash).

    python -m tests.desktop.services.crash_worker DATA_DIR SERVER TOKEN CHAT_ID TOTAL

It types messages "crash-0" … "crash-{TOTAL-1}" into the outbox one by one, sending as it
goes while a sync loop applies the feed, then drains and exits 0. What it has typed is read
back from its own cache at start, so a restart carries on where the killed run stopped.
"""

from __future__ import annotations

import random
import sys
import threading
from pathlib import Path

from desktop.services.api import ApiClient, ApiError, OfflineError
from desktop.services.cache import Cache
from desktop.services.outbox import Outbox


def main() -> int:
    folder, server, token, chat_id, total = sys.argv[1:6]
    chat, count = int(chat_id), int(total)
    cache = Cache(Path(folder))
    outbox = Outbox(cache, lambda: ApiClient(server, token=token), None)
    outbox.store.reset_schedule(0)
    stop = threading.Event()

    def sync() -> None:  # the sync engine's loop, without Qt
        client = ApiClient(server, token=token)
        while not stop.is_set():
            try:
                answer = client.sync(cache.cursor, wait=0.3, limit=200)
            except (ApiError, OfflineError):
                continue
            if answer["changes"]:
                cache.apply_changes(answer["changes"], answer["cursor"])

    threading.Thread(target=sync, daemon=True).start()
    typed = [m["body"] for m in cache.messages(chat, 100_000) if m["body"].startswith("crash-")]
    next_n = max((int(b.split("-")[1]) for b in typed), default=-1) + 1
    print("READY", flush=True)  # noqa: T201
    client = ApiClient(server, token=token)
    rng = random.Random()
    while next_n < count:
        outbox.write_message(chat, f"crash-{next_n}")
        next_n += 1
        if rng.random() < 0.7:
            outbox.drain(client)
    while outbox.store.count():
        outbox.drain(client)
    stop.set()
    print("DONE", flush=True)  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
