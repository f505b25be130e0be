"""This computer's settings for PetsApp Desktop: a small JSON file beside the cache.

Practice networks often send traffic through a proxy and inspect TLS with their own
certificate authority: both can be set here. Certificate checks are never turned off.
"""

from __future__ import annotations

import json
import logging
import os
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
        path = folder / SETTINGS_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            log.warning("settings file unreadable; using defaults")
            return cls()
        kinds = {f.name: bool if f.type in (bool, "bool") else str | None for f in fields(cls)}
        return cls(
            **{k: v for k, v in raw.items() if k in kinds and isinstance(v, kinds[k])}  # type: ignore[arg-type]
        )

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / SETTINGS_FILE
        path.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")


def remember_server(folder: Path, server: str) -> None:
    """Keep ``server`` in settings.json after a successful sign-in, so that the next start
    goes straight to it."""
    remember(folder, "server", server)


def remember(folder: Path, key: str, value: str | bool) -> None:
    """Set one setting in settings.json. What else the file holds (written by IT, maybe)
    stays as it is; a file that cannot be read is left alone."""
    path = folder / SETTINGS_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raw = {}
    except (OSError, ValueError):
        log.warning("settings file unreadable; %s is not remembered", key)
        return
    if not isinstance(raw, dict) or raw.get(key) == value:
        return
    raw[key] = value
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(SETTINGS_FILE + ".partial")
    partial.write_text(json.dumps(raw, indent=2), encoding="utf-8")
    os.replace(partial, path)
