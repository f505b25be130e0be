"""``petsapp-backend``: serve, migrate, admin, sandbox. Works from any folder."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from backend.config import Settings


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from backend.api.app import create_app
    from backend.serving import serve_forever

    serve_forever(create_app(settings), args.host, args.port)
    return 0


def _migrate(_args: argparse.Namespace, settings: Settings) -> int:
    from backend.db import Database
    from backend.migrate import upgrade

    upgrade(Database(settings.database_url))
    print(f"Database is up to date: {settings.database_url.split('@')[-1]}")  # noqa: T201
    return 0


def _admin_load(args: argparse.Namespace, settings: Settings) -> int:
    from backend.admin import AdminError, load_groups
    from backend.db import Database

    try:
        payload = json.loads(Path(args.file).read_text(encoding="utf-8"))
        with Database(settings.database_url).write() as session:
            groups = load_groups(session, payload)
            names = [group.name for group in groups]
    except (OSError, json.JSONDecodeError, AdminError) as exc:
        print(f"Nothing was loaded: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    print(f"Loaded {len(names)} group(s): {', '.join(names)}")  # noqa: T201
    return 0


def _sandbox(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from backend.sandbox import create_sandbox_app

    sid = settings.twilio_account_sid or "AC" + "00" * 16
    token = settings.twilio_auth_token or "sandbox-token"
    sms_url = settings.sms_webhook_url if settings.public_url else None
    app = create_sandbox_app(sid, token, sms_url=sms_url)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="petsapp-backend", description="The PetsApp backend and its provider sandbox."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_serve)

    commands.add_parser("migrate", help="bring the database to the newest schema").set_defaults(
        run=_migrate
    )

    admin = commands.add_parser("admin", help="administration commands")
    admin_commands = admin.add_subparsers(dest="admin_command", required=True)
    load = admin_commands.add_parser("load", help="load groups, clinics, staff and owners")
    load.add_argument("file", help="a JSON file in the format of the README")
    load.set_defaults(run=_admin_load)

    sandbox = commands.add_parser("sandbox", help="serve the Twilio-compatible provider sandbox")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8010)
    sandbox.set_defaults(run=_sandbox)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args = build_parser().parse_args(argv)
    return int(args.run(args, Settings.from_env()))


if __name__ == "__main__":
    raise SystemExit(main())
