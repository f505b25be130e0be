"""This computer's settings for PetsApp Desktop: a small JSON file beside the cache.

Practice networks often send traffic through a proxy and inspect TLS with their own
certificate authority: both can be set here. Certificate checks are never turned off.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import asdict, dataclass, fields
from pathlib import Path

log = logging.getLogger(__name__)
SETTINGS_FILE = "settings.json"


@dataclass
class Settings:
    server: str | None = None
    """The PetsApp server last used (the first-run question is not asked again)."""
    proxy: str | None = None
    """e.g. ``http://proxy.practice.local:3128``; also taken from HTTPS_PROXY if unset."""
    ca_bundle: str | None = None
    """A PEM file with the practice's own certificate authority, trusted in addition."""
    mute_notifications: bool = False
    """No notifications of new client messages on this PC (the tray menu's setting)."""

    @classmethod
    def load(cls, folder: Path) -> Settings:
        raw = _read(folder / SETTINGS_FILE)
        if not raw:
            return cls()
        settings = cls()
        for spec in fields(cls):
            value = raw.get(spec.name)
            wanted = bool if spec.type in (bool, "bool") else str
            if isinstance(value, wanted):  # a wrong kind (hand-edited) keeps the default
                setattr(settings, spec.name, value)
        return settings

    def save(self, folder: Path) -> None:
        _write(folder, asdict(self))


def remember_server(folder: Path, server: str) -> None:
    """Keep ``server`` in settings.json after a successful sign-in, so that the next start
    goes straight to it."""
    remember(folder, "server", server)


# Settings are remembered from task workers: two at once (the server after a sign-in, the
# tray's mute) would each write the file as it was before the other.
_remembering = threading.Lock()


def remember(folder: Path, key: str, value: str | bool) -> None:
    """Set one setting in settings.json. What else the file holds (written by IT, maybe)
    stays as it is; a file that cannot be read is left alone."""
    with _remembering:
        raw = _read(folder / SETTINGS_FILE)
        if raw is None:
            log.warning("settings file unreadable; %s is not remembered", key)
            return
        if raw.get(key) != value:
            _write(folder, {**raw, key: value})


def _read(path: Path) -> dict[str, object] | None:
    """The file's settings; {} when there is no file, None when it cannot be read."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("settings file unreadable; using defaults")
        return None
    return raw if isinstance(raw, dict) else None


def _write(folder: Path, raw: dict[str, object]) -> None:
    """Whole or not at all: a crash mid-write leaves the old file, never half a new one."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SETTINGS_FILE
    partial = path.with_name(SETTINGS_FILE + ".partial")
    partial.write_text(json.dumps(raw, indent=2), encoding="utf-8")
    os.replace(partial, path)
