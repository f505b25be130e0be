"""Backend figures, in one run on this machine: sends through the provider sandbox and
long-poll wake-ups, on SQLite (one process) and PostgreSQL (one and two processes).

    .venv/bin/python bench/backend.py [--sends 600] [--clients 8] [--postgres URL] [--quick]

Every server is a real process (``petsapp-backend serve`` and ``sandbox``); the numbers
are wall-clock, so compare them as ratios within one run (the machine is shared).
``--quick`` runs every step on a few texts, to show the bench still works (its figures
mean little).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.demo import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, demo_payload  # noqa: E402
from backend.serving import free_port  # noqa: E402
from tests import processes as children  # noqa: E402
from tests.support import reset_postgres  # noqa: E402

EMAIL, PASSWORD = "alex@riverside.example", "demo-password"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def wait_healthy(url: str, path: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url + path, timeout=1).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


class Stack:
    """The sandbox and N backend processes on one database."""

    def __init__(self, database_url: str, processes: int, folder: Path) -> None:
        self.ports = [free_port() for _ in range(processes)]
        self.urls = [f"http://127.0.0.1:{p}" for p in self.ports]
        sandbox_port = free_port()
        self.sandbox = f"http://127.0.0.1:{sandbox_port}"
        self.env = {
            **os.environ,
            "PETSAPP_DATABASE_URL": database_url,
            "PETSAPP_DATA_DIR": str(folder),
            "PETSAPP_TWILIO_ACCOUNT_SID": DEMO_ACCOUNT_SID,
            "PETSAPP_TWILIO_AUTH_TOKEN": DEMO_AUTH_TOKEN,
            "PETSAPP_TWILIO_BASE_URL": self.sandbox,
            "PETSAPP_PUBLIC_URL": self.urls[0],
        }
        cli = [sys.executable, "-m", "backend"]
        children.run([*cli, "migrate"], env=self.env, check=True, capture_output=True)
        payload = folder / "demo.json"
        payload.write_text(json.dumps(demo_payload()))
        children.run(
            [*cli, "admin", "load", str(payload)], env=self.env, check=True, capture_output=True
        )
        # Started so that they die with this process, however it ends (tests/processes.py).
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.procs = [
            children.spawn([*cli, "sandbox", "--port", str(sandbox_port)], env=self.env, **quiet)
        ]
        self.procs += [
            children.spawn([*cli, "serve", "--port", str(p)], env=self.env, **quiet)
            for p in self.ports
        ]
        wait_healthy(self.sandbox, "/sandbox/health")
        for url in self.urls:
            wait_healthy(url, "/health")

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            children.end(proc, 20)


def signed_in(url: str) -> requests.Session:
    http = requests.Session()
    token = http.post(f"{url}/api/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
    http.headers["Authorization"] = f"Bearer {token.json()['token']}"
    return http


def measure_sends(stack: Stack, sends: int, clients: int) -> dict[str, float]:
    """Clients post texts across all processes; a watcher on the feed notes when each one
    reached the provider (its status leaves "accepted")."""
    setup = signed_in(stack.urls[0])
    clinic = setup.get(f"{stack.urls[0]}/api/v1/me").json()["clinics"][0]["id"]
    first = int(time.time() * 1000) % 50_000  # fresh numbers and ids on every call
    chats = [
        setup.post(
            f"{stack.urls[0]}/api/v1/chats/sms",
            json={"clinic_id": clinic, "phone": f"07400 2{first + i:05d}"},
        ).json()["chat"]["id"]
        for i in range(clients * 2)
    ]
    cursor = setup.get(f"{stack.urls[0]}/api/v1/sync").json()["cursor"]
    posted: dict[int, float] = {}
    at_provider: dict[int, float] = {}
    done = threading.Event()

    def watch() -> None:
        nonlocal cursor
        http = signed_in(stack.urls[-1])
        while not done.is_set():
            answer = http.get(
                f"{stack.urls[-1]}/api/v1/sync", params={"cursor": cursor, "wait": 1}, timeout=30
            ).json()
            now = time.perf_counter()
            for change in answer["changes"]:
                data = change["data"]
                if change["type"] == "message" and data["status"] != "accepted":
                    at_provider.setdefault(data["id"], now)
            cursor = answer["cursor"]

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    sessions = [signed_in(stack.urls[i % len(stack.urls)]) for i in range(clients)]
    latencies: list[float] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        http, url = sessions[index], stack.urls[index % len(stack.urls)]
        for n in range(index, sends, clients):
            started = time.perf_counter()
            answer = http.post(
                f"{url}/api/v1/chats/{chats[n % len(chats)]}/messages",
                json={"client_id": f"bench-{first}-{n}", "body": f"Bench text {n}"},
            )
            finished = time.perf_counter()
            assert answer.status_code == 201, answer.text
            with lock:
                latencies.append(finished - started)
                posted[answer.json()["message"]["id"]] = started

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    api_seconds = time.perf_counter() - started
    deadline = time.monotonic() + 120
    while len([m for m in posted if m in at_provider]) < len(posted):
        if time.monotonic() > deadline:
            raise RuntimeError("not every text reached the provider in 2 minutes")
        time.sleep(0.05)
    done.set()
    all_at_provider = max(at_provider[m] for m in posted) - started
    to_provider = [at_provider[m] - posted[m] for m in posted]
    return {
        "sends": sends,
        "api_per_s": sends / api_seconds,
        "provider_per_s": sends / all_at_provider,
        "api_p50_ms": percentile(latencies, 50) * 1000,
        "api_p99_ms": percentile(latencies, 99) * 1000,
        "provider_p50_ms": percentile(to_provider, 50) * 1000,
        "provider_p99_ms": percentile(to_provider, 99) * 1000,
    }


def measure_wakeups(stack: Stack, rounds: int) -> dict[str, float]:
    """A long-poll on the last process; an owner texts in (webhook to the first process).
    The time is from the text-in to the poll answer that carries it."""
    http = signed_in(stack.urls[-1])
    url = stack.urls[-1]
    waits: list[float] = []
    cursor = http.get(f"{url}/api/v1/sync").json()["cursor"]
    for n in range(rounds):
        body = f"ping {n}"
        arrived: dict[str, float] = {}

        def poll(body: str = body, arrived: dict[str, float] = arrived) -> None:
            nonlocal cursor
            while "at" not in arrived:
                answer = http.get(
                    f"{url}/api/v1/sync", params={"cursor": cursor, "wait": 10}, timeout=30
                ).json()
                now = time.perf_counter()
                cursor = answer["cursor"]
                if body in json.dumps(answer["changes"]):
                    arrived["at"] = now

        poller = threading.Thread(target=poll)
        poller.start()
        time.sleep(0.2)
        sent = time.perf_counter()
        requests.post(
            f"{stack.sandbox}/sandbox/inbound",
            timeout=10,
            json={"from": "+447400300001", "to": "+447700900500", "body": body},
        )
        poller.join(30)
        waits.append(arrived["at"] - sent)
    return {
        "wake_p50_ms": percentile(waits, 50) * 1000,
        "wake_p99_ms": percentile(waits, 99) * 1000,
    }


def run(
    label: str, database_url: str, processes: int, args: argparse.Namespace, folder: Path
) -> dict[str, Any]:
    stack = Stack(database_url, processes, folder)
    try:
        # Wake-ups first, on a quiet server; then one receptionist at a time; then the load.
        wakeups = measure_wakeups(stack, args.rounds)
        light = measure_sends(stack, args.light, 1)
        figures = {
            "setup": label,
            **measure_sends(stack, args.sends, args.clients),
            **wakeups,
            "light_provider_p50_ms": light["provider_p50_ms"],
            "light_provider_p99_ms": light["provider_p99_ms"],
        }
    finally:
        stack.stop()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sends", type=int, default=600)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=40, help="long-poll wake-ups measured")
    parser.add_argument("--light", type=int, default=100, help="sends by one client alone")
    parser.add_argument("--postgres", default=os.environ.get("PETSAPP_TEST_POSTGRES_URL", ""))
    parser.add_argument("--quick", action="store_true", help="a few texts of each kind")
    args = parser.parse_args()
    if args.quick:
        args.sends, args.clients, args.rounds, args.light = 40, 2, 3, 10
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "sqlite").mkdir()
        rows.append(
            run(
                "SQLite, 1 process",
                f"sqlite:///{folder / 'sqlite' / 'b.db'}",
                1,
                args,
                folder / "sqlite",
            )
        )
        if args.postgres:
            for processes in (1, 2):
                reset_postgres(args.postgres)
                sub = folder / f"pg{processes}"
                sub.mkdir()
                rows.append(
                    run(f"PostgreSQL, {processes} process(es)", args.postgres, processes, args, sub)
                )
    header = (
        "setup",
        "api_per_s",
        "provider_per_s",
        "api_p50_ms",
        "api_p99_ms",
        "provider_p50_ms",
        "provider_p99_ms",
        "wake_p50_ms",
        "wake_p99_ms",
        "light_provider_p50_ms",
        "light_provider_p99_ms",
    )
    print(f"{args.sends} sends by {args.clients} clients; {args.rounds} wake-ups")
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(row["setup"] if h == "setup" else f"{row[h]:.1f}" for h in header))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
