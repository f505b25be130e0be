"""Child processes for tests (and the benches) that never outlive what started them.

A test process that aborts (a Qt ``ASSERT``, a fatal signal, ``kill -9``) skips every
teardown, and the servers it started live on and eat a core in the next run. So:

- ``spawn`` starts a process that, on Linux, gets SIGKILL when its parent dies
  (``PR_SET_PDEATHSIG``), registers it, and tags it (``PETSAPP_SPAWNED_BY``, inherited by
  its own children) with the run that started it;
- ``end`` stops one: SIGTERM, a bounded wait, SIGKILL, and its children likewise;
- ``run`` is ``subprocess.run`` on top of ``spawn``;
- ``end_strays`` and ``end_leftovers`` are what ``tests/conftest.py`` runs after each test
  and at the start of a session.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

RUN_VARIABLE = "PETSAPP_SPAWNED_BY"


class StrayProcessWarning(UserWarning):
    """A process outlived the test that started it, or an earlier run; it was ended."""


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

_registry: list[subprocess.Popen[Any]] = []
_registry_lock = threading.Lock()


def _tag(process: psutil.Process) -> str:
    return f"{process.pid}@{process.create_time():.2f}"


def _run_tag() -> str:
    """Who started the run: inherited when a spawned process spawns in turn (a bench run by
    a test), else this process (pytest, or a bench run by hand)."""
    return os.environ.get(RUN_VARIABLE) or _tag(psutil.Process())


def _die_with_parent_hook() -> Callable[[], None] | None:
    if not sys.platform.startswith("linux"):
        return None
    # Everything is looked up before the fork: between fork and exec only calls that take
    # no locks are safe (other threads may have held them at the fork).
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    parent, kill, getppid, getpid = os.getpid(), os.kill, os.getppid, os.getpid
    sigkill = int(signal.SIGKILL)

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, sigkill, 0, 0, 0)
        if getppid() != parent:  # the parent died before the signal was armed
            kill(getpid(), sigkill)

    return hook


def spawn(args: list[str], **popen_kwargs: Any) -> subprocess.Popen[Any]:
    """``subprocess.Popen(args, **popen_kwargs)`` whose process dies with its parent.

    Linux delivers the signal when the *thread* that spawned the child ends, not only the
    process: spawn from a thread that outlives the child (the main thread, in tests)."""
    hook = _die_with_parent_hook()
    own_hook = popen_kwargs.pop("preexec_fn", None)
    if hook is not None and own_hook is not None:
        first, second = hook, own_hook

        def hook() -> None:
            first()
            second()

    env = popen_kwargs.pop("env", None)
    env = {**(os.environ if env is None else env), RUN_VARIABLE: _run_tag()}
    process = subprocess.Popen(args, env=env, preexec_fn=hook or own_hook, **popen_kwargs)
    with _registry_lock:
        _registry.append(process)
    return process


def registered() -> list[subprocess.Popen[Any]]:
    with _registry_lock:
        return list(_registry)


def _forget(process: subprocess.Popen[Any]) -> None:
    with _registry_lock, contextlib.suppress(ValueError):
        _registry.remove(process)


def _running(process: psutil.Process) -> bool:
    """Still running: a zombie is not (it is reaped here if it is ours; init may take its
    time with the rest, on some machines forever)."""
    try:
        if process.status() != psutil.STATUS_ZOMBIE:
            return process.is_running()
        if process.ppid() == os.getpid():
            with contextlib.suppress(ChildProcessError):
                os.waitpid(process.pid, os.WNOHANG)
        return False
    except psutil.Error:
        return False


def _wait_gone(family: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Waits up to ``timeout`` for ``family`` to end; returns those still running."""
    deadline = time.monotonic() + timeout
    while True:
        family = [p for p in family if _running(p)]
        if not family or time.monotonic() >= deadline:
            return family
        time.sleep(0.02)


def _stop_all(family: Iterable[psutil.Process], timeout: float) -> list[psutil.Process]:
    """SIGTERM, wait up to ``timeout``, SIGKILL what is left. Returns those that were
    running (zombies only needed reaping)."""
    alive = [p for p in family if _running(p)]
    for member in alive:
        with contextlib.suppress(psutil.Error):
            member.terminate()
    for member in _wait_gone(alive, timeout):
        with contextlib.suppress(psutil.Error):
            member.kill()
    _wait_gone(alive, timeout)
    return alive


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def end(process: subprocess.Popen[Any], timeout: float = 5) -> bool:
    """Stop ``process`` and its children: SIGTERM, wait, then SIGKILL. Returns whether it
    was still running."""
    # The children first: once the parent is gone they belong to init and cannot be found.
    family = _descendants(process.pid)
    running = process.poll() is None
    if running:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)
    _stop_all(family, timeout)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    _forget(process)
    return running


def run(
    args: list[str],
    *,
    input: str | bytes | None = None,
    capture_output: bool = False,
    timeout: float | None = None,
    check: bool = False,
    **popen_kwargs: Any,
) -> subprocess.CompletedProcess[Any]:
    """``subprocess.run`` through ``spawn``; a process past ``timeout`` is ended (its
    children too) before ``TimeoutExpired`` is raised."""
    if capture_output:
        popen_kwargs["stdout"] = popen_kwargs["stderr"] = subprocess.PIPE
    if input is not None:
        popen_kwargs["stdin"] = subprocess.PIPE
    process = spawn(args, **popen_kwargs)
    try:
        stdout, stderr = process.communicate(input, timeout)
    except subprocess.TimeoutExpired:
        end(process)
        raise
    finally:
        if process.poll() is None:
            end(process)
        _forget(process)
    result = subprocess.CompletedProcess(args, process.returncode, stdout, stderr)
    if check:
        result.check_returncode()
    return result


# ---- what the fixtures in tests/conftest.py run --------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """The processes a test found when it began: they are not the test's to end."""

    children: frozenset[psutil.Process]
    spawned: frozenset[int]  # ids of the registered Popen objects


def snapshot() -> Snapshot:
    return Snapshot(
        frozenset(psutil.Process().children(recursive=True)),
        frozenset(id(p) for p in registered()),
    )


def describe(process: psutil.Process | int) -> str:
    """Its id and command line, for the report."""
    try:
        process = process if isinstance(process, psutil.Process) else psutil.Process(process)
        return f"{process.pid} ({' '.join(process.cmdline())[:160]})"
    except psutil.Error:
        return str(process if isinstance(process, int) else process.pid)


def end_strays(before: Snapshot, timeout: float = 5) -> list[str]:
    """End what the test started and left running: processes it spawned, and any child of
    this process (at any depth) that was not there when it began. Returns what was ended."""
    ended = []
    for process in registered():
        if id(process) in before.spawned:
            continue
        if process.poll() is not None:
            _forget(process)  # it finished; its children are caught below
            continue
        description = describe(process.pid)
        if end(process, timeout):
            ended.append(description)
    strays = [p for p in psutil.Process().children(recursive=True) if p not in before.children]
    descriptions = {p.pid: describe(p) for p in strays}
    ended += [descriptions[p.pid] for p in _stop_all(strays, timeout)]
    return ended


# ---- leftovers of an earlier run -----------------------------------------------------------


def _is_pytest(process: psutil.Process) -> bool:
    try:
        argv = process.cmdline()[:3]
    except psutil.Error:
        return False
    # ".venv/bin/pytest", "python .venv/bin/pytest", "python -m pytest"
    return any(Path(a).name.startswith(("pytest", "py.test")) for a in argv)


def _run_is_over(tag: str) -> bool:
    pid = tag.partition("@")[0]
    try:
        return _tag(psutil.Process(int(pid))) != tag
    except (psutil.Error, ValueError):
        return True


def _looks_like_ours(argv: list[str], env: dict[str, str]) -> bool:
    """A worker module of the tests, or a backend or sandbox server on a temporary folder."""
    if "-m" in argv[:3]:  # python [-X ...] -m MODULE ARGS
        module, *rest = argv[argv.index("-m") + 1 :] or [""]
        if module.startswith("tests."):
            return True
        server = module == "backend" and rest[:1] in (["serve"], ["sandbox"])
    else:  # the installed command
        server = bool(argv) and Path(argv[0]).name == "petsapp-backend"
        server = server and argv[1:2] in (["serve"], ["sandbox"])
    return server and _under_temp(env.get("PETSAPP_DATA_DIR"))


def _under_temp(folder: str | None) -> bool:
    if not folder:
        return False
    temp = Path(tempfile.gettempdir()).resolve()
    return Path(folder).resolve().is_relative_to(temp)


def leftovers() -> list[psutil.Process]:
    """Processes an earlier run left behind: tagged by a run whose pytest (or bench) is
    gone, or, started before tagging (or with a plain Popen), a test worker or temporary
    server orphaned to PID 1. Nothing under a live pytest is touched, nor a server someone
    started by hand whose parent still runs (a bench, a shell)."""
    me = psutil.Process()
    found = []
    for process in psutil.process_iter():
        try:
            if process.pid in {me.pid, 1} or any(_is_pytest(a) for a in process.parents()):
                continue
            env = process.environ()
            tag = env.get(RUN_VARIABLE)
            if tag:
                if _run_is_over(tag):
                    found.append(process)
            elif process.ppid() == 1 and _looks_like_ours(process.cmdline(), env):
                found.append(process)
        except psutil.Error:  # gone, or not ours to read
            continue
    return found


def end_leftovers(timeout: float = 5) -> list[str]:
    """End the leftovers of earlier runs. Returns what was ended."""
    found = leftovers()
    descriptions = {p.pid: describe(p) for p in found}
    return [descriptions[p.pid] for p in _stop_all(found, timeout)]
