"""The bundle's entry point: the desktop app, or, given ``--demo-backend``, the demo's
server (``petsapp-backend demo``), which the app starts as a child process of its own
executable (desktop/services/demo_server.py). The one executable carries both, and the
desktop package itself never imports the backend."""

import sys

if len(sys.argv) > 1 and sys.argv[1] == "--demo-backend":  # demo_server.FROZEN_FLAG
    from backend.cli import main as backend_main

    raise SystemExit(backend_main(["demo", *sys.argv[2:]]))

from desktop.app import main

raise SystemExit(main())
