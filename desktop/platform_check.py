"""Before the first window: can this machine show one? Said plainly, not as a Qt abort."""

from __future__ import annotations

import ctypes.util
import os
import sys

# Debian package → the library Qt's xcb platform plugin loads (the wheel does not ship them).
XCB_PACKAGES = {
    "libxcb-cursor0": "xcb-cursor",
    "libxcb-icccm4": "xcb-icccm",
    "libxcb-keysyms1": "xcb-keysyms",
    "libxcb-image0": "xcb-image",
    "libxcb-render-util0": "xcb-render-util",
    "libxcb-shape0": "xcb-shape",
    "libxcb-xkb1": "xcb-xkb",
    "libxkbcommon-x11-0": "xkbcommon-x11",
    "libxcb-randr0": "xcb-randr",
    "libxcb-xinerama0": "xcb-xinerama",
}


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """A sentence saying why no window can open here, or None when one can."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None  # offscreen, wayland, ...: Qt reports its own problems clearly
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return (
            "PetsApp Desktop needs a screen, and this session has none (DISPLAY and "
            "WAYLAND_DISPLAY are unset). Run it from a desktop session, or set "
            "QT_QPA_PLATFORM=offscreen for a headless check such as --smoke-test."
        )
    if env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        missing = [
            pkg for pkg, lib in XCB_PACKAGES.items() if ctypes.util.find_library(lib) is None
        ]
        if missing:
            return (
                "PetsApp Desktop cannot open a window: these system libraries are missing. "
                f"Install them with: sudo apt-get install {' '.join(missing)}"
            )
    return None
