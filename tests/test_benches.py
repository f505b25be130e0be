"""The benches still run: each in ``--quick`` mode, as its own process, prints its figures.
Nothing is asserted about speed (the machine is shared); a bench that no longer starts, or
waits on something the app no longer has, fails here rather than on the day it is needed."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from tests import processes

ROOT = Path(__file__).resolve().parents[1]
FIGURE = r"[\d,.]+"


@pytest.mark.parametrize(
    ("bench", "args", "figures"),
    [
        pytest.param(
            "backend.py",
            # PostgreSQL rows are for the full bench; here SQLite shows every step works.
            ["--postgres", ""],
            [r"^setup \| api_per_s \|", rf"^SQLite, 1 process( \| {FIGURE}){{10}}$"],
            id="backend",
        ),
        pytest.param(
            "sync_ingest.py",
            [],
            [
                rf"^cache\.apply_changes +{FIGURE} messages/s$",
                rf"^sqlite3\.executemany +{FIGURE} messages/s$",
                rf"^search rare word +{FIGURE} ms",
            ],
            id="sync_ingest",
        ),
        pytest.param(
            "ui.py",
            [],
            [
                rf"^cold start, app with the cached queue +{FIGURE} ms",
                rf"^open a {FIGURE}-message chat +{FIGURE} ms",
                rf"^owner's text -> on screen \(demo\) +{FIGURE} ms median",
            ],
            id="ui",
        ),
    ],
)
@pytest.mark.timeout(180)
def test_the_bench_runs_quick_and_prints_its_figures(
    bench: str, args: list[str], figures: list[str]
) -> None:
    result = processes.run(
        [sys.executable, str(ROOT / "bench" / bench), "--quick", *args],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=150,  # a few seconds alone; generous for a busy machine
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for figure in figures:
        assert re.search(figure, result.stdout, re.MULTILINE), (figure, result.stdout)
