"""This computer's settings for PetsApp Desktop: a small JSON file beside the cache.

Practice networks often send traffic through a proxy and inspect TLS with their own
certificate authority: both can be set here. Certificate checks are never turned off.
"""

from __future__ import annotations

import json
import logging
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
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known and isinstance(v, str | None)})

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / SETTINGS_FILE
        path.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
