"""tools/system_packages.py, which `make run` and `make test` start with: on a machine
with apt-get it installs what is missing (saying what and why first), and only that;
without apt-get it names the packages. apt-get and dpkg-query are stand-ins here (small
scripts on PATH that record how they were called): the real ones would change this
machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TOOL = Path(__file__).parents[1] / "tools" / "system_packages.py"
sys.path.insert(0, str(TOOL.parent))
import system_packages  # noqa: E402


def _tools(folder: Path, installed: set[str]) -> Path:
    """``dpkg-query`` that knows ``installed``, ``apt-get`` that writes its arguments down."""
    folder.mkdir()
    (folder / "dpkg-query").write_text(
        "#!/bin/sh\n"
        f"for p in {' '.join(sorted(installed))}; do\n"
        '  [ "$p" = "$3" ] && { printf "install ok installed"; exit 0; }\n'
        "done\nexit 1\n"
    )
    (folder / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> "{folder}/apt-get.calls"\n')
    for tool in ("dpkg-query", "apt-get"):
        (folder / tool).chmod(0o755)
    return folder


def _run(path: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PETSAPP_NO_SYSTEM_PACKAGES"}
    env["PATH"] = path
    return subprocess.run(
        [sys.executable, str(TOOL), *args], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="without root it would go through sudo")
def test_missing_packages_are_installed_and_said_first(tmp_path: Path) -> None:
    everything = set(system_packages.QT_RUNTIME + system_packages.XCB_RUNTIME)
    tools = _tools(tmp_path / "bin", everything - {"libxcb-icccm4", "libxcb-xinerama0"})
    ran = _run(f"{tools}:/usr/bin:/bin", "--also", "xvfb")
    assert ran.returncode == 0, ran.stderr
    assert "libxcb-icccm4 libxcb-xinerama0 xvfb" in ran.stdout
    assert "what Qt needs to open its window" in ran.stdout
    calls = (tools / "apt-get.calls").read_text().splitlines()
    assert calls[0] == "update -qq"
    assert calls[1].split()[-3:] == ["libxcb-icccm4", "libxcb-xinerama0", "xvfb"]


def test_nothing_is_done_when_nothing_is_missing(tmp_path: Path) -> None:
    everything = set(system_packages.QT_RUNTIME + system_packages.XCB_RUNTIME)
    tools = _tools(tmp_path / "bin", everything)
    ran = _run(f"{tools}:/usr/bin:/bin")
    assert ran.returncode == 0 and ran.stdout == ""
    assert not (tools / "apt-get.calls").exists()


def test_without_apt_get_the_packages_are_named(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    ran = _run(str(empty))
    assert ran.returncode == 0
    assert "no apt-get" in ran.stdout and "libxcb-icccm4" in ran.stdout
