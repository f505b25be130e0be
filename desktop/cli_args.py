"""The desktop's command line, and the data folder it names (standard library only)."""

from __future__ import annotations

import argparse
from pathlib import Path


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="petsapp-desktop", description="PetsApp Desktop")
    parser.add_argument(
        "--server",
        help="the PetsApp server URL, e.g. https://petsapp.example; without --server or --demo, "
        "the server of the last sign-in (on first run, the sign-in dialog asks)",
    )
    parser.add_argument("--data-dir", type=Path, help="where the local cache is kept")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="run the embedded demo (backend and SMS sandbox on this computer), signed in",
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, make one real round trip (start a chat, send, receive), exit",
    )
    return parser.parse_args(argv)


def data_dir(args: argparse.Namespace) -> Path:
    """``--data-dir``, else the user's data folder for the app."""
    if args.data_dir:
        return Path(args.data_dir)
    import platformdirs

    return Path(platformdirs.user_data_dir("PetsApp Desktop", "PetsApp"))
