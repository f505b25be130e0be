"""`make run` on a machine that cannot show a window says why, in plain words."""

from __future__ import annotations

import os
import sys

import pytest

from desktop.platform_check import display_problem
from tests import processes


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux display rules")
def test_no_display_is_explained() -> None:
    assert "needs a screen" in (display_problem({}) or "")
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux display rules")
def test_the_app_exits_with_the_reason_instead_of_a_qt_abort() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    result = processes.run(
        [sys.executable, "-m", "desktop", "--demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "needs a screen" in result.stderr
