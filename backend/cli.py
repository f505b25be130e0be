"""``petsapp-backend``: serve, migrate, admin, sandbox, demo. Works from any folder."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from backend.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


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


def _admin(settings: Settings, change: Callable[[Session], str]) -> int:
    """Run one admin change in a transaction: all of it, or (on any problem) none of it."""
    from backend.admin import AdminError
    from backend.db import Database

    try:
        with Database(settings.database_url).write() as session:
            summary = change(session)
    except (OSError, json.JSONDecodeError, AdminError) as exc:
        print(f"Nothing was changed: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    print(summary)  # noqa: T201
    return 0


def _admin_load(args: argparse.Namespace, settings: Settings) -> int:
    from backend.admin import load_groups

    def change(session: Session) -> str:
        payload = json.loads(Path(args.file).read_text(encoding="utf-8"))
        names = [group.name for group in load_groups(session, payload)]
        return f"Loaded {len(names)} group(s): {', '.join(names)}"

    return _admin(settings, change)


def _admin_sms(args: argparse.Namespace, settings: Settings) -> int:
    from backend.admin import enable_sms

    def change(session: Session) -> str:
        clinic = enable_sms(session, args.clinic_id, None if args.off else args.number)
        state = f"on with {clinic.sms_number}" if clinic.sms_number else "off"
        return f"SMS chat is {state} for {clinic.name}."

    if not args.off and not args.number:
        print("Give --number +44... to enable, or --off.", file=sys.stderr)  # noqa: T201
        return 2
    return _admin(settings, change)


def _admin_add_staff(args: argparse.Namespace, settings: Settings) -> int:
    from backend.admin import add_staff

    password = os.environ.get("PETSAPP_NEW_STAFF_PASSWORD") or getpass.getpass("Password: ")

    def change(session: Session) -> str:
        staff = add_staff(session, args.group_id, args.name, args.email, password)
        return f"Added staff {staff.name} <{staff.email}> (id {staff.id})."

    return _admin(settings, change)


def _admin_add_owner(args: argparse.Namespace, settings: Settings) -> int:
    from backend.admin import add_owner

    pets = [tuple([*pet.split(":", 1), ""][:2]) for pet in args.pet]

    def change(session: Session) -> str:
        owner = add_owner(session, args.group_id, args.name, args.phone, pets)
        return f"Registered owner {owner.name} (id {owner.id})."

    return _admin(settings, change)


def _admin_list(_args: argparse.Namespace, settings: Settings) -> int:
    from backend.admin import describe

    return _admin(settings, lambda session: "\n".join(describe(session)) or "No groups yet.")


def _sandbox(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from backend.sandbox import create_sandbox_app

    sid = settings.twilio_account_sid or "AC" + "00" * 16
    token = settings.twilio_auth_token or "sandbox-token"
    sms_url = settings.sms_webhook_url if settings.public_url else None
    app = create_sandbox_app(sid, token, sms_url=sms_url)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def _demo(args: argparse.Namespace, _settings: Settings) -> int:
    from backend.demo.process import run_demo

    return run_demo(
        data_dir=Path(args.data_dir) if args.data_dir else None,
        log_file=Path(args.log_file) if args.log_file else None,
    )


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
    admin_commands.add_parser("list", help="groups and clinics with their ids").set_defaults(
        run=_admin_list
    )
    sms = admin_commands.add_parser("sms", help="turn SMS chat on (with its number) or off")
    sms.add_argument("--clinic-id", type=int, required=True)
    sms.add_argument("--number", help="the clinic's own SMS number, E.164 (+44...)")
    sms.add_argument("--off", action="store_true", help="turn SMS chat off for the clinic")
    sms.set_defaults(run=_admin_sms)
    staff = admin_commands.add_parser(
        "add-staff", help="add a staff member (password from PETSAPP_NEW_STAFF_PASSWORD or asked)"
    )
    staff.add_argument("--group-id", type=int, required=True)
    staff.add_argument("--name", required=True)
    staff.add_argument("--email", required=True)
    staff.set_defaults(run=_admin_add_staff)
    owner = admin_commands.add_parser("add-owner", help="register a pet owner with a group")
    owner.add_argument("--group-id", type=int, required=True)
    owner.add_argument("--name", required=True)
    owner.add_argument("--phone", required=True, help="a mobile number")
    owner.add_argument("--pet", action="append", default=[], help="NAME or NAME:species")
    owner.set_defaults(run=_admin_add_owner)

    sandbox = commands.add_parser("sandbox", help="serve the Twilio-compatible provider sandbox")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8010)
    sandbox.set_defaults(run=_sandbox)

    demo = commands.add_parser(
        "demo",
        help="the demo clinic group with its SMS sandbox on loopback, for the desktop app: "
        "prints where it is as one JSON line, runs until stdin closes",
    )
    demo.add_argument("--data-dir", help="its SQLite folder (default: a new temporary one)")
    demo.add_argument("--log-file", help="its log (default: stderr)")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args = build_parser().parse_args(argv)
    return int(args.run(args, Settings.from_env()))


if __name__ == "__main__":
    raise SystemExit(main())
