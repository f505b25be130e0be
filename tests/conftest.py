"""Shared fixtures: the real backend and provider sandbox on loopback, per test."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch the developer's real keyring; CI machines have none either.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
# Nor the user's log folder: the app run as a process (the smoke test) logs here instead.
if "PETSAPP_LOG_DIR" not in os.environ:
    os.environ["PETSAPP_LOG_DIR"] = tempfile.mkdtemp(prefix="petsapp-test-logs-")
    atexit.register(shutil.rmtree, os.environ["PETSAPP_LOG_DIR"], True)

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.demo import EmbeddedDemo
from tests import processes
from tests.support import BackendClient


@pytest.fixture(scope="session", autouse=True)
def _no_leftovers_from_an_earlier_run(request: pytest.FixtureRequest) -> None:
    """An earlier run that aborted may have left workers and servers eating a core."""
    ended = processes.end_leftovers()
    if ended:
        message = "ended leftovers of an earlier test run: " + "; ".join(ended)
        plugins = request.config.pluginmanager
        reporter = plugins.get_plugin("terminalreporter")
        capture = plugins.get_plugin("capturemanager")
        if reporter is not None and capture is not None:  # said at once, past the capture
            with capture.global_and_fixture_disabled():
                reporter.write_line(f"WARNING: {message}", yellow=True)
        warnings.warn(message, processes.StrayProcessWarning, stacklevel=1)


@pytest.fixture(autouse=True)
def _no_process_outlives_its_test() -> Iterator[None]:
    """After each test, pass or fail, whatever it started and left running is ended: this
    fixture is set up before the test's own (autouse first), so it is torn down after them
    and sees only what their teardown missed. Saying so is enough; the test does not fail
    for it. Processes that were running before the test (a session's) are left alone."""
    before = processes.snapshot()
    yield
    ended = processes.end_strays(before)
    if ended:
        warnings.warn(
            "ended processes the test left running: " + "; ".join(ended),
            processes.StrayProcessWarning,
            stacklevel=1,
        )


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[EmbeddedDemo]:
    """The demo group on a fresh SQLite database, with the sandbox, on free ports."""
    stack = EmbeddedDemo(tmp_path / "server").start()
    yield stack
    stack.stop()


@pytest.fixture
def alex(demo: EmbeddedDemo) -> BackendClient:
    """The API, signed in as the demo's first staff member."""
    return BackendClient(demo).sign_in("alex@riverside.example")
