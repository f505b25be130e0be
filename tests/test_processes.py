"""tests/processes.py: no child process outlives its test, nor the pytest that started it,
and an earlier run's leftovers are found."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests import processes

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

# Starts two `sleep 60`: one through spawn, one with a plain Popen; prints their ids.
TWO_SLEEPERS = """
import subprocess, sys, time
from tests.processes import spawn
guarded = spawn(["sleep", "60"])
plain = subprocess.Popen(["sleep", "60"])
print(guarded.pid, plain.pid, flush=True)
time.sleep(60)
"""
# Ignores SIGTERM (so only SIGKILL stops it) and has a child of its own (which does not).
STUBBORN = """
import signal, subprocess, time
child = subprocess.Popen(["sleep", "60"])
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print(child.pid, flush=True)
time.sleep(60)
"""
# Leaves ``argv[1:]`` running as an orphan (adopted by init) and exits; the orphan is tagged
# with ORPHAN_TAG as the run that started it, if given, else not at all.
ORPHAN = f"""
import os, subprocess, sys
env = dict(os.environ)
env.pop("{processes.RUN_VARIABLE}", None)
if "ORPHAN_TAG" in env:
    env["{processes.RUN_VARIABLE}"] = env.pop("ORPHAN_TAG")
orphan = subprocess.Popen(
    sys.argv[1:], env=env, start_new_session=True,
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
)
print(orphan.pid, flush=True)
"""


def _gone(pid: int, timeout: float = 5.0) -> bool:
    """The process is gone (or a zombie nobody reaped yet) within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def started() -> Iterator[list[int]]:
    """Ids of processes a test started that may outlive it (orphans): ended afterwards."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            psutil.Process(pid).kill()


def test_a_spawned_process_dies_with_its_parent_even_when_the_parent_is_killed(
    started: list[int],
) -> None:
    parent = processes.spawn(
        [sys.executable, "-c", TWO_SLEEPERS], stdout=subprocess.PIPE, text=True, env=ENV, cwd=ROOT
    )
    assert parent.stdout is not None
    guarded, plain = (int(pid) for pid in parent.stdout.readline().split())
    started.append(plain)
    parent.send_signal(signal.SIGKILL)  # no teardown, no atexit: as when pytest aborts
    parent.wait(5)
    processes.end(parent)

    assert _gone(guarded), "the spawned grandchild outlived its killed parent"
    # The same child started without spawn lives on: it is PDEATHSIG that ended the other.
    assert psutil.Process(plain).status() != psutil.STATUS_ZOMBIE
    assert psutil.Process(plain).ppid() != parent.pid


def test_end_stops_a_process_that_ignores_sigterm_and_its_children() -> None:
    process = processes.spawn([sys.executable, "-c", STUBBORN], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    child = int(process.stdout.readline())

    started = time.monotonic()
    assert processes.end(process, timeout=1) is True
    assert time.monotonic() - started < 4
    assert process.returncode == -signal.SIGKILL
    assert _gone(child)
    assert process not in processes.registered()
    assert processes.end(process) is False  # ending it again is harmless


def test_after_a_test_what_it_left_running_is_ended_and_what_ran_before_is_kept() -> None:
    earlier = processes.spawn(["sleep", "60"])  # as a session's server would be
    before = processes.snapshot()
    spawned = processes.spawn(["sleep", "60"])
    plain = subprocess.Popen(["sleep", "61"])  # not through spawn: found as our child
    finished = processes.spawn(["true"])
    finished.wait(5)
    try:
        ended = processes.end_strays(before, timeout=1)

        assert sorted(ended) == sorted([f"{spawned.pid} (sleep 60)", f"{plain.pid} (sleep 61)"])
        assert spawned.poll() is not None and plain.poll() is not None
        assert earlier.poll() is None
        assert processes.end_strays(before) == []
        assert finished not in processes.registered()
    finally:
        processes.end(earlier)
        plain.kill()
        plain.wait(5)


def test_run_ends_a_process_past_its_timeout() -> None:
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        processes.run(["sleep", "60"], capture_output=True, timeout=0.5)
    assert time.monotonic() - started < 5
    assert not any(p.args == ["sleep", "60"] for p in processes.registered())
    result = processes.run(["sh", "-c", "echo out; echo err >&2; exit 3"], capture_output=True)
    assert (result.returncode, result.stdout, result.stderr) == (3, b"out\n", b"err\n")
    with pytest.raises(subprocess.CalledProcessError):
        processes.run(["false"], check=True)


def _orphan(args: list[str], env: dict[str, str], cwd: Path = ROOT) -> psutil.Process:
    """``args`` left running with no parent but init, as after an aborted run."""
    result = processes.run(
        [sys.executable, "-c", ORPHAN, *args], capture_output=True, text=True, env=env, cwd=cwd
    )
    orphan = psutil.Process(int(result.stdout))
    deadline = time.monotonic() + 5
    while orphan.ppid() != 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    if orphan.ppid() != 1:
        orphan.kill()
        pytest.skip("orphans are adopted by a subreaper here, not by PID 1")
    return orphan


def test_leftovers_of_an_earlier_run_are_found_and_nothing_else(
    tmp_path: Path, started: list[int]
) -> None:
    # A worker module of the tests, run from a copy so this checkout's are not involved.
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "idle_worker.py").write_text("import time\ntime.sleep(60)\n")
    worker_env = {**ENV, "PYTHONPATH": str(tmp_path)}
    worker = [sys.executable, "-m", "tests.idle_worker"]
    gone_run = processes.spawn(["true"])
    dead_tag = f"{gone_run.pid}@{psutil.Process(gone_run.pid).create_time():.2f}"
    gone_run.wait(5)

    # Started by a run that is over (its tag names a pytest that is gone): whatever it is.
    tagged = _orphan(["sleep", "60"], {**ENV, "ORPHAN_TAG": dead_tag})
    # Untagged (an older run, or a plain Popen), orphaned: a test worker.
    untagged_worker = _orphan(worker, worker_env, cwd=tmp_path)
    # Not leftovers: an orphan that is none of ours; a worker whose pytest (this) runs.
    stranger = _orphan(["sleep", "60"], ENV)
    started += [tagged.pid, untagged_worker.pid, stranger.pid]
    live = processes.spawn(worker, env=worker_env, cwd=tmp_path)
    try:
        found = processes.leftovers()

        assert tagged in found
        assert untagged_worker in found
        assert stranger not in found
        assert psutil.Process(live.pid) not in found
    finally:
        processes.end(live)
