"""A practice PC that types and sends, to be killed at any moment (see test_desktop_crash).

    python -m tests.desktop.services.crash_worker DATA_DIR SERVER TOKEN CHAT_ID TOTAL ME [MORE]

types messages "crash-0", "crash-1" … into the outbox one by one as staff member ME,
sending as it goes while a sync loop applies the feed, up to "crash-{N-1}" where N is
TOTAL or, if more, MORE past what was typed before; then drains, says "DONE N" and exits 0.
TOTAL 0 is no end: it types until it is killed. What it has typed is read back from its own
cache at start, so a restart carries on where the killed run stopped.

    python -m tests.desktop.services.crash_worker --fork DATA_DIR SERVER TOKEN CHAT_ID 0 ME

is the same PC restarted many times, fast: importing the desktop services takes about a
second here, most of a restart, and two hundred restarts cannot afford it. This process
imports them once, says READY, then for each line ``run SECONDS`` on stdin forks a fresh
child (no cache, thread or connection open: those are made after the fork) that runs as
above, sends it SIGKILL ``SECONDS`` after the child is ready to type, and answers
``killed`` (or ``exit N`` if the child had finished first). The kill is sent before the
child is reaped, so it can never reach another process that took its id. The children
die with this process, and it with the test.
"""

from __future__ import annotations

import ctypes
import os
import random
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        prctl = ctypes.CDLL(None, use_errno=True).prctl
        prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL))
        if os.getppid() != parent:  # the parent was gone before the signal was armed
            os._exit(1)


def load() -> None:
    """The imports a start pays for, done where they are needed (or once, by --fork)."""
    import desktop.services.api
    import desktop.services.cache
    import desktop.services.outbox  # noqa: F401


def run_pc(argv: list[str], ready: Callable[[], None]) -> int:
    from desktop.services.api import ApiClient, ApiError, OfflineError
    from desktop.services.cache import Cache
    from desktop.services.cache_lane import LockedCache
    from desktop.services.outbox import Outbox
    from desktop.services.outbox_store import OutboxStore

    folder, server, token, chat_id, total, me, *more = argv
    chat = int(chat_id)
    cache = Cache(Path(folder))
    # The signed-in staff member: their own confirmed messages are not news that would hold
    # the next ones ("the chat changed since this was written").
    calls = LockedCache(cache)  # the app's lane: one operation on the cache at a time
    outbox = Outbox(calls, lambda: ApiClient(server, token=token), int(me))
    store = OutboxStore(cache)
    store.reset_schedule(0)
    stop = threading.Event()

    def sync() -> None:  # the sync engine's loop, without Qt
        client = ApiClient(server, token=token)
        while not stop.is_set():
            try:
                answer = client.sync(calls.call(lambda c: c.cursor), wait=0.3, limit=200)
            except (ApiError, OfflineError):
                continue
            if answer["changes"]:
                batch, cursor = answer["changes"], answer["cursor"]
                calls.call(lambda c, b=batch, n=cursor: c.apply_changes(b, n))

    threading.Thread(target=sync, daemon=True).start()
    typed = [m["body"] for m in cache.messages(chat, 100_000) if m["body"].startswith("crash-")]
    next_n = max((int(b.split("-")[1]) for b in typed), default=-1) + 1
    at_least, past_typed = int(total), next_n + (int(more[0]) if more else 0)
    count = max(at_least, past_typed) if at_least else sys.maxsize
    ready()
    client = ApiClient(server, token=token)
    rng = random.Random()
    while next_n < count:
        calls.call(lambda c, n=next_n: outbox.write_message(c, chat, f"crash-{n}"))
        next_n += 1
        if rng.random() < 0.7:
            outbox.drain(client)
    while store.count():
        if not outbox.drain(client):
            if not any(i["state"] == "pending" for i in store.next_per_chat()):
                print("stuck: held or failed items", file=sys.stderr, flush=True)  # noqa: T201
                return 3
            time.sleep(0.02)  # a retry's back-off
    stop.set()
    print(f"DONE {count}", flush=True)  # noqa: T201
    return 0


def _child(argv: list[str], parent: int, ready_out: int) -> int:
    try:
        die_with_parent(parent)
        return run_pc(argv, lambda: _say_ready(ready_out))
    except BaseException:
        traceback.print_exc()
        return 1
    finally:
        sys.stderr.flush()  # os._exit flushes nothing


def _say_ready(ready_out: int) -> None:
    os.write(ready_out, b"R")


def fork_server(argv: list[str]) -> int:
    load()
    print("READY", flush=True)  # noqa: T201
    for line in sys.stdin:
        seconds = float(line.split()[1])
        ready_in, ready_out = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: a PC starting up
            os.close(ready_in)
            os._exit(_child(argv, parent, ready_out))
        os.close(ready_out)
        was_ready = os.read(ready_in, 1)  # empty if the child died before it was ready
        os.close(ready_in)
        if was_ready:
            time.sleep(seconds)
            os.kill(pid, signal.SIGKILL)  # unreaped, so still ours even if it just ended
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
            print("killed", flush=True)  # noqa: T201
        else:
            print(f"exit {os.waitstatus_to_exitcode(status)}", flush=True)  # noqa: T201
    return 0


def main() -> int:
    if sys.argv[1] == "--fork":
        return fork_server(sys.argv[2:])
    load()
    return run_pc(sys.argv[1:], lambda: print("READY", flush=True))  # noqa: T201


if __name__ == "__main__":
    raise SystemExit(main())
