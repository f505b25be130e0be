"""Writes docs/openapi.json from the code (``make openapi``)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from backend.api.app import create_app
from backend.config import Settings


def main() -> int:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/openapi.json")
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings.from_env(data_dir=folder, database_url="sqlite://")
        document = create_app(settings).openapi()
    target.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
