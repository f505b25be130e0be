"""Before the first window: can this machine show one? Said plainly, not as a Qt abort."""

from __future__ import annotations

import os
import sys

# Debian package → the library Qt's xcb platform plugin loads (the wheel does not ship them).
XCB_PACKAGES = {
    "libxcb-cursor0": "libxcb-cursor.so.0",
    "libxcb-icccm4": "libxcb-icccm.so.4",
    "libxcb-keysyms1": "libxcb-keysyms.so.1",
    "libxcb-image0": "libxcb-image.so.0",
    "libxcb-render-util0": "libxcb-render-util.so.0",
    "libxcb-shape0": "libxcb-shape.so.0",
    "libxcb-xkb1": "libxcb-xkb.so.1",
    "libxkbcommon-x11-0": "libxkbcommon-x11.so.0",
    "libxcb-randr0": "libxcb-randr.so.0",
    "libxcb-xinerama0": "libxcb-xinerama.so.0",
}


def _loadable(soname: str) -> bool:
    """Whether the dynamic loader finds the library, as Qt's plugin will ask it to. (Not
    ``ctypes.util.find_library``: it runs ``ldconfig`` and costs ~25 ms on every start.)"""
    import ctypes

    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


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
        missing = [pkg for pkg, soname in XCB_PACKAGES.items() if not _loadable(soname)]
        if missing:
            return (
                "PetsApp Desktop cannot open a window: these system libraries are missing. "
                f"Install them with: sudo apt-get install {' '.join(missing)}"
            )
    return None
