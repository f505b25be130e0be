"""Where the app's resources (stylesheets, icons, translations) are on this machine.

From a checkout (``make run``) they are the repository's ``resources/`` folder; in the
packaged app, PyInstaller puts the same folder beside the executable's modules.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_text(name: str) -> str:
    return (resources_dir() / name).read_text(encoding="utf-8")
