"""The Help menu's actions: "Open log folder" and "About PetsApp Desktop".

The composition root wires them to the window's ``help_menu``; the values the About dialog
shows are gathered here (the views do no I/O).
"""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from desktop.logs import log_dir
from desktop.views.about_dialog import AboutDialog

DISTRIBUTION = "petsapp-desktop"  # pyproject.toml's [project] name


def app_version() -> str:
    """The installed version; "" where the package metadata is missing (a bundle built
    without it), which the About dialog shows as unknown."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return ""


def open_log_folder() -> tuple[bool, Path]:
    """Opens the log folder in the desktop's file manager, creating it if needed; whether
    that worked, and the folder (to name it when it did not)."""
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return False, folder
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))), folder


def about_dialog(server: str, data_dir: Path, parent: QWidget) -> AboutDialog:
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
    system += f"Qt {pyside_version}"
    return AboutDialog(
        app_version(), server, str(data_dir), str(log_dir()), system=system, parent=parent
    )
