"""What the machine needs beyond PyPI, installed by `make run` and `make test`.

Qt's window needs system libraries the PySide6 wheel does not ship (the xcb plugin's, EGL,
fontconfig), and Debian's Python needs python3-venv to make the project's environment. On
Debian or Ubuntu, the missing ones are installed with apt-get (through sudo when not root),
saying what and why first. Without apt-get, the packages are named and nothing is done.
Standard library only: it runs before the environment exists.

    python3 tools/system_packages.py [--also PACKAGE ...]

``PETSAPP_NO_SYSTEM_PACKAGES=1`` skips it (a machine someone else looks after).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

# What Qt loads to show a window (and to run offscreen, as the tests do).
QT_RUNTIME = [
    "libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libfreetype6", "libglib2.0-0",
    "libdbus-1-3",
]  # fmt: skip
# Qt's xcb platform plugin (an X11 window): the libraries desktop/platform_check.py checks.
XCB_RUNTIME = [
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-xkb1", "libxkbcommon-x11-0",
    "libxcb-randr0", "libxcb-xinerama0",
]  # fmt: skip


def installed(package: str) -> bool:
    answer = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", package],
        capture_output=True,
        text=True,
        check=False,
    )
    return answer.returncode == 0 and "install ok installed" in answer.stdout


def has_venv() -> bool:
    """Debian's python3 makes environments only with python3-venv (ensurepip) installed."""
    probe = subprocess.run([sys.executable, "-c", "import ensurepip"], capture_output=True)
    return probe.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--also", nargs="*", default=[], help="more packages (e.g. xvfb)")
    args = parser.parse_args(argv)
    if os.environ.get("PETSAPP_NO_SYSTEM_PACKAGES"):
        return 0
    if not sys.platform.startswith("linux"):
        return 0  # Windows and macOS: the wheel carries what Qt needs
    wanted = [*QT_RUNTIME, *XCB_RUNTIME, *args.also]
    if shutil.which("dpkg-query") is None or shutil.which("apt-get") is None:
        print(
            "PetsApp Desktop: this machine has no apt-get. If the window does not open, "
            "install the equivalents of these Debian packages with your package manager: "
            + " ".join(wanted)
            + (" (and Python's venv module)" if not has_venv() else "")
        )
        return 0
    missing = [package for package in wanted if not installed(package)]
    if not has_venv():
        missing.append("python3-venv")
    if not missing:
        return 0
    root = os.geteuid() == 0
    how = "with apt-get" if root else "with sudo apt-get (it may ask for your password)"
    print(
        "PetsApp Desktop needs these system packages, which are not installed: "
        f"{' '.join(missing)}.\nThey are what Qt needs to open its window (and python3-venv, "
        f"what makes the project's Python environment). Installing them {how}…",
        flush=True,
    )
    prefix = [] if root else ["sudo"]
    if not root and shutil.which("sudo") is None:
        print(f"No sudo here: as root, run  apt-get install {' '.join(missing)}")
        return 1
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    steps = [
        [*prefix, "apt-get", "update", "-qq"],
        [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
    ]
    for step in steps:
        if subprocess.run(step, env=env, check=False).returncode != 0:
            print(f"That failed: {' '.join(step)}. Install the packages above, then run again.")
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
