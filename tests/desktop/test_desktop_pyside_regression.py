"""PySide6 6.12.0 on CPython < 3.12 drops a reference to None on every void call and aborts
the interpreter after ~5,000 (``none_dealloc``). The pin in pyproject.toml keeps it out;
this test fails loudly (the process dies) if it ever comes back."""

from __future__ import annotations

import sys
import textwrap

from tests import processes


def test_fifty_thousand_void_calls_do_not_crash() -> None:
    script = textwrap.dedent(
        """
        import sys
        from PySide6.QtWidgets import QApplication, QLabel
        app = QApplication([])
        label = QLabel()
        before = sys.getrefcount(None)
        for i in range(50_000):
            label.setText("x")
        print(sys.getrefcount(None) - before)
        """
    )
    result = processes.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    if sys.version_info < (3, 12):  # None is immortal from 3.12 on; before, count the leak
        assert abs(int(result.stdout.strip().splitlines()[-1])) < 1_000
