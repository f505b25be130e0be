"""The desktop cache under sync load, in one run: messages/s applied from sync batches
beside stdlib ``sqlite3.executemany`` into the same schema, reading a chat's newest 50,
and full-text search, with 1,000,000 messages cached.

    .venv/bin/python bench/sync_ingest.py [--messages 1000000] [--chats 2000] [--quick]

``--quick`` runs every step on 20,000 messages, to show the bench still works (its
figures mean little).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desktop.services.cache import Cache

BATCH = 500  # what one sync answer carries
WORDS = [f"w{n}" for n in range(20_000)]
WEIGHTS = [1 / (rank + 1) for rank in range(len(WORDS))]  # Zipf-like vocabulary
# What random.choices makes of WEIGHTS on every call (the same draws), made once: 5,000
# bodies took seconds of set-up otherwise.
CUM_WEIGHTS = list(itertools.accumulate(WEIGHTS))


def make_messages(count: int, chats: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    bodies = [
        " ".join(rng.choices(WORDS, cum_weights=CUM_WEIGHTS, k=rng.randint(3, 15)))
        for _ in range(5000)
    ]
    return [
        {
            "id": n + 1,
            "client_id": None,
            "chat_id": n % chats + 1,
            "direction": "in" if n % 3 else "out",
            "body": bodies[n % len(bodies)] + f" m{n}",
            "status": "delivered",
            "error_code": None,
            "sender_id": None,
            "created_at": f"2026-01-01T00:00:00.{n:09d}Z",
            "updated_at": None,
        }
        for n in range(count)
    ]


def ingest_with_cache(folder: Path, messages: list[dict[str, Any]]) -> tuple[Cache, float]:
    cache = Cache(folder)
    started = time.perf_counter()
    for start in range(0, len(messages), BATCH):
        batch = messages[start : start + BATCH]
        cache.apply_changes([{"type": "message", "data": m} for m in batch], start + len(batch))
    return cache, time.perf_counter() - started


def ingest_with_stdlib(folder: Path, messages: list[dict[str, Any]]) -> float:
    Cache(folder).close()  # the same schema, FTS triggers included
    connection = sqlite3.connect(folder / "cache.db")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    started = time.perf_counter()
    for start in range(0, len(messages), BATCH):
        rows = [
            (f"s{m['id']}", m["id"], m["chat_id"], m["created_at"], 0, m["body"], json.dumps(m))
            for m in messages[start : start + BATCH]
        ]
        with connection:
            connection.executemany(
                "INSERT INTO messages (key, server_id, chat_id, created_at, pending, body, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            connection.execute(
                "INSERT OR REPLACE INTO 'values' (name, value) VALUES ('cursor', ?)", (start,)
            )
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def median_ms(run: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--chats", type=int, default=2_000)
    parser.add_argument("--quick", action="store_true", help="20,000 messages in 200 chats")
    args = parser.parse_args()
    if args.quick:
        args.messages, args.chats = 20_000, 200  # 200 chats: the newest-50 reads sample 200
    messages = make_messages(args.messages, args.chats)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        stdlib_seconds = ingest_with_stdlib(folder / "stdlib", messages)
        cache, cache_seconds = ingest_with_cache(folder / "cache", messages)
        per_s_cache = len(messages) / cache_seconds
        per_s_stdlib = len(messages) / stdlib_seconds
        print(f"{len(messages):,} messages in batches of {BATCH}, FTS5 index kept in step")
        print(f"cache.apply_changes    {per_s_cache:10,.0f} messages/s")
        print(f"sqlite3.executemany    {per_s_stdlib:10,.0f} messages/s")
        print(f"ratio                  {per_s_cache / per_s_stdlib:10.0%}")
        chats = random.Random(1).sample(range(1, args.chats + 1), 200)
        newest = median_ms(lambda: cache.messages(chats.pop(), 50), 200)
        print(f"newest 50 of a chat    {newest:10.2f} ms (median of 200)")
        for label, term in (
            ("rare word", WORDS[2_000]),
            ("common word", WORDS[3]),
            ("very common word", WORDS[0]),
            ("prefix", "w1234"),
            ("two words", f"{WORDS[50]} {WORDS[70]}"),
        ):
            hits = len(cache.search_messages(term, 50))
            ms = median_ms(lambda term=term: cache.search_messages(term, 50), 21)
            print(f"search {label:<16}{ms:10.2f} ms ({hits} shown, median of 21)")
        cache.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
