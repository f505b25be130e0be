"""Desktop figures in one run (offscreen): cold start to the first paint of the cached queue
with 10,000 chats and 1,000,000 messages cached, beside a bare PySide6 window and beside a
window that shows the first 200 chats in a QListView read with sqlite3 (the floor); opening a
50,000-message chat; an owner's text to on screen; memory. Cold starts are taken in turn
(bare, floor, app, bare, ...) with our modules byte-compiled, as an installed app has them.

    .venv/bin/python bench/ui.py [--chats 10000] [--messages 1000000] [--runs 9] [--quick]

``--quick`` runs every step once on a small cache, to show the bench still works (its
figures mean little).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import spawn  # noqa: E402 (children that die with this process)

# Prints the moment of the first paint of what it is installed on, then quits (the app
# itself prints it with PETSAPP_STARTUP_PROBE=1): each window below measures the same way.
PAINT_PROBE = """
import sys, time
from PySide6.QtCore import QEvent, QObject
class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(f"QUEUE_PAINTED {time.time():.6f}", file=sys.stderr, flush=True)
            app.quit()
        return False
"""
BARE_WINDOW = (
    """
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow(); window.setCentralWidget(QLabel("PetsApp")); window.resize(1100, 720)
"""
    + PAINT_PROBE
    + """
probe = Probe(); window.installEventFilter(probe); window.show(); app.exec()
"""
)
# The floor for the app's cold start: a window that shows the same first 200 chats in a
# QListView, read straight from the cache file with sqlite3 (no services, no styling).
LIST_WINDOW = (
    """
import json, sqlite3, sys
from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import QApplication, QListView, QMainWindow
app = QApplication([])
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT data FROM chats ORDER BY sort_key DESC LIMIT 200").fetchall()
titles = [json.loads(data).get("title") or "" for (data,) in rows]
window = QMainWindow(); view = QListView(); view.setModel(QStringListModel(titles))
window.setCentralWidget(view); window.resize(1100, 720)
"""
    + PAINT_PROBE
    + """
probe = Probe(); view.viewport().installEventFilter(probe); window.show(); app.exec()
"""
)
BIG_CHAT = 1
SERVER = "http://127.0.0.1:9"  # nothing listens: the app starts offline from its cache


def build_cache(folder: Path, chats: int, messages: int, big_chat: int) -> None:
    from desktop.services.cache import Cache
    from desktop.services.cache_paths import server_cache_dir

    cache = Cache(server_cache_dir(folder, SERVER))  # the app keeps one cache per server
    big = min(big_chat, messages)
    rows = []
    for n in range(chats):
        rows.append(
            {
                "type": "chat",
                "data": {
                    "id": n + 1,
                    "clinic_id": 1,
                    "kind": "sms" if n % 2 else "app",
                    "status": "open",
                    # Every third an SMS guest, shown by number as the backend formats it.
                    "title": "Guest" if n % 3 == 0 else f"Pet {n} · Owner {n}",
                    "is_guest": n % 3 == 0,
                    "phone": f"+4474001{n:05d}",
                    "phone_display": f"07400 1{n:05d}",
                    "owner_name": None if n % 3 == 0 else f"Owner {n}",
                    "pet_name": None if n % 3 == 0 else f"Pet {n}",
                    "assignee_id": None,
                    "opted_out": False,
                    "created_at": "2026-01-01T00:00:00Z",
                    "updated_at": f"2026-01-01T00:00:00.{n:06d}Z",
                    "last_message_at": f"2026-06-01T00:00:00.{n:06d}Z",
                    "last_message": {"direction": "in", "body": f"Latest news about pet {n}"},
                },
            }
        )
    cache.apply_changes(rows, 0)
    batch: list[dict[str, Any]] = []
    for n in range(messages):
        chat = BIG_CHAT if n < big else 2 + n % (chats - 1)
        batch.append(
            {
                "type": "message",
                "data": {
                    "id": n + 1,
                    "client_id": None,
                    "chat_id": chat,
                    "direction": "in" if n % 3 else "out",
                    "body": f"Message {n} about the appointment and the vaccination booster",
                    "status": "delivered",
                    "error_code": None,
                    "sender_id": None,
                    "created_at": f"2026-01-01T00:00:00.{n:07d}Z",
                    "updated_at": None,
                },
            }
        )
        if len(batch) == 5000:
            cache.apply_changes(batch, n)
            batch = []
    cache.apply_changes(batch, messages)
    cache.close()


def compile_bytecode(pycache: Path) -> dict[str, str]:
    """Our modules compiled to bytecode into ``pycache``, as an installed app has them (pip
    byte-compiles a wheel's modules; the bundle carries .pyc files), and the environment
    that makes a child read them there. Without it a machine that sets
    PYTHONDONTWRITEBYTECODE compiles every module from source at each start (~150 ms here)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    packages = [str(ROOT / name) for name in ("desktop", "petsapp_common")]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *packages], env=env, check=True, cwd=ROOT
    )
    return env


def cold_start_ms(command: list[str], env: dict[str, str]) -> float:
    """Spawn to the first paint of what ``command`` shows, in ms."""
    env = {**env, "PETSAPP_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen"}
    started = time.time()
    process = spawn(
        command, env=env, stderr=subprocess.PIPE, text=True, stdout=subprocess.DEVNULL, cwd=ROOT
    )
    assert process.stderr is not None
    painted = None
    for line in process.stderr:
        if line.startswith("QUEUE_PAINTED"):
            painted = (float(line.split()[1]) - started) * 1000
            break
    process.kill()
    process.wait()
    process.stderr.close()
    assert painted is not None, f"{command[:3]} never painted"
    return painted


def cold_starts(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, float]:
    """The median cold start of each command, the runs taken in turn (bare, floor, app,
    bare, ...): this machine's speed drifts over a minute, and runs of one kind in a block
    would each meet a different machine."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(cold_start_ms(command, env))
    return {name: statistics.median(values) for name, values in times.items()}


def wait(app: Any, condition: Any, timeout: float = 30) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(condition)
        app.processEvents()
    return time.perf_counter() - started


def settle(app: Any, seconds: float) -> None:
    """Let the event loop run for ``seconds``: what was queued gets done."""
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        app.processEvents()
        time.sleep(0.005)


def in_process(folder: Path) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from desktop.app import launch

    window = launch(["--server", SERVER, "--data-dir", str(folder)])
    app = QApplication.instance()
    wait(app, lambda: window.app.workspace is not None and window.app.workspace.is_open)
    # The full queue replaces the first screenful; the big chat is far down it.
    wait(app, lambda: window.queue_model.row_of(BIG_CHAT) is not None)
    row = window.queue_model.row_of(BIG_CHAT)
    assert row is not None
    big = window.queue_model.chat_at(row)
    model = window.chat_panel.model
    opened = []
    for _ in range(5):
        window.app.open_chat(window.queue_model.chat_at(1))
        wait(app, lambda: model.rowCount() > 0)
        # That chat on screen and its follow-up work done (its draft, its unread count), as
        # when a person clicks the next chat: the figure is one chat's opening, not the tail
        # of the one before.
        window.chat_panel.messages.viewport().repaint()
        settle(app, 0.2)
        started = time.perf_counter()
        window.app.open_chat(big)
        wait(app, lambda: model.rowCount() == 200)
        window.chat_panel.messages.viewport().repaint()
        opened.append((time.perf_counter() - started) * 1000)
    with open("/proc/self/status", encoding="ascii") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024
    window.app.shutdown()
    window.close()
    return {"open_ms": statistics.median(opened), "rss_mb": rss}


def inbound_to_screen(rounds: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from desktop.app import launch

    window = launch(["--demo"])
    app = QApplication.instance()
    wait(app, lambda: window.app.workspace is not None and window.app.workspace.me is not None)
    demo = window.app.demo
    clinic = next(c for c in window.app.workspace.me["clinics"] if c["sms_enabled"])

    def text_in(body: str) -> None:
        data = json.dumps({"from": "+447400123456", "to": clinic["sms_number"], "body": body})
        request = urllib.request.Request(
            f"{demo.sandbox_url}/sandbox/inbound",
            data=data.encode(),
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(request, timeout=10).read()

    text_in("first")
    queue = window.queue_model

    def texted() -> Any:  # the demo has other chats: the one this number texted into
        rows = (queue.chat_at(r) for r in range(queue.rowCount()))
        return next((c for c in rows if c.get("phone") == "+447400123456"), None)

    wait(app, texted)
    window.app.open_chat(texted())
    model = window.chat_panel.model
    wait(app, lambda: model.rowCount() > 0)
    # Syncing live (the long-poll is waiting), so a text in is pushed, not caught up.
    wait(app, lambda: not window.app.workspace.offline)
    times = []
    for n in range(rounds):
        body = f"ping {n}"
        started = time.perf_counter()
        threading.Thread(target=text_in, args=(body,)).start()
        wait(
            app,
            lambda body=body: body in {model.data(model.index(r)) for r in range(model.rowCount())},
        )
        window.chat_panel.messages.viewport().repaint()
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(0.05)
    window.app.shutdown()
    window.close()
    return {"inbound_p50_ms": statistics.median(times), "inbound_max_ms": max(times)}


def queue_figures(count: int) -> dict[str, float]:
    """The queue model on its own: the slowest of six filters over ``count`` chats (a number
    search is the costly one), and a busy sync batch of 200 chats moving to the top."""
    from desktop.services.chat_filter import ChatFilter
    from desktop.views.queue_model import ChatListModel

    def chat(n: int, when: str) -> dict[str, Any]:
        return {
            "id": n, "kind": "sms", "status": "closed" if n % 5 == 0 else "open",
            "assignee_id": (None, 1, 2)[n % 3], "clinic_id": 1 + n % 2, "is_guest": True,
            "phone": f"+447400{n:06d}", "phone_display": f"07400 {n:06d}", "title": "Guest",
            "owner_name": "Bella" if n % 7 == 0 else None, "pet_name": None,
            "created_at": when, "last_message_at": when, "updated_at": when,
        }  # fmt: skip

    model = ChatListModel()
    model.set_chats(
        [chat(n, f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T10:{n % 60:02d}:00Z") for n in
         range(1, count + 1)]
    )  # fmt: skip
    slowest = 0.0
    for wanted in (
        ChatFilter(view="mine", me_id=1), ChatFilter(view="unassigned", clinic_id=2),
        ChatFilter(view="closed"), ChatFilter(search="07400 0012"), ChatFilter(search="bella"),
        ChatFilter(),
    ):  # fmt: skip
        started = time.perf_counter()
        model.set_filter(wanted)
        slowest = max(slowest, time.perf_counter() - started)
    started = time.perf_counter()
    for n in range(200):
        when = f"2027-01-01T00:00:{n % 60:02d}Z"
        model.upsert(chat(n * 7 + 1, when))  # type: ignore[arg-type]
    return {"filter_ms": slowest * 1000, "upserts_ms": (time.perf_counter() - started) * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=9, help="cold starts of each kind")
    parser.add_argument("--big", type=int, default=50_000, help="messages in the chat opened")
    parser.add_argument("--rounds", type=int, default=20, help="owner's texts timed")
    parser.add_argument("--quick", action="store_true", help="a small cache, each step once")
    args = parser.parse_args()
    if args.quick:
        # The other chats need messages too: one of them is opened before the big one.
        args.chats, args.messages, args.big, args.runs, args.rounds = 300, 5_000, 2_000, 1, 3
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pc"
        started = time.perf_counter()
        build_cache(folder, args.chats, args.messages, args.big)
        print(
            f"cache: {args.chats:,} chats, {args.messages:,} messages "
            f"(built in {time.perf_counter() - started:.0f} s)"
        )
        from desktop.services.cache_paths import CACHE_FILE, server_cache_dir

        cache_file = server_cache_dir(folder, SERVER) / CACHE_FILE
        env = compile_bytecode(Path(tmp) / "pycache")
        app_command = [sys.executable, "-m", "desktop", "--server", SERVER, "--data-dir"]
        starts = cold_starts(
            {
                "bare": [sys.executable, "-c", BARE_WINDOW],
                "floor": [sys.executable, "-c", LIST_WINDOW, str(cache_file)],
                "app": [*app_command, str(folder)],
            },
            args.runs,
            env,
        )
        bare, floor, app = starts["bare"], starts["floor"], starts["app"]
        print(
            f"cold start, bare PySide6 window      {bare:8.0f} ms (median of {args.runs}, in turn)"
        )
        print(f"cold start, 200-row QListView (sqlite3) {floor:6.0f} ms  ratio {floor / bare:.1f}x")
        print(
            f"cold start, app with the cached queue {app:8.0f} ms  ratio {app / bare:.1f}x "
            f"the bare window, {app / floor:.2f}x the list window"
        )
        figures = in_process(folder)
        label = f"open a {min(args.big, args.messages):,}-message chat"
        print(f"{label:<38}{figures['open_ms']:8.1f} ms (median of 5)")
        print(f"RSS with that cache open              {figures['rss_mb']:8.0f} MB")
    queue = queue_figures(args.chats)
    print(f"queue: slowest filter of {args.chats:,} chats  {queue['filter_ms']:8.1f} ms")
    print(f"queue: 200 chats moved by a sync batch   {queue['upserts_ms']:8.1f} ms")
    inbound = inbound_to_screen(args.rounds)
    print(
        f"owner's text -> on screen (demo)      {inbound['inbound_p50_ms']:8.0f} ms median, "
        f"{inbound['inbound_max_ms']:.0f} ms max of {args.rounds}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
