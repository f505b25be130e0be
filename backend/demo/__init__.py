"""The embedded demo: backend and provider sandbox on loopback with a demo clinic group."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from backend.admin import load_groups
from backend.config import Settings
from backend.db import Database
from backend.demo.history import seed_history
from backend.migrate import upgrade
from backend.serving import BackgroundServer, free_port

if TYPE_CHECKING:
    from backend.demo.owners import AppOwnerReplies

log = logging.getLogger(__name__)

DEMO_ACCOUNT_SID = "AC" + "de" * 16
DEMO_AUTH_TOKEN = "demo-auth-token-not-secret"
DEMO_EMAIL = "alex@riverside.example"
DEMO_PASSWORD = "demo-password"


def demo_payload() -> dict[str, object]:
    text = resources.files(__package__).joinpath("demo.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@dataclass
class DemoCredentials:
    email: str = DEMO_EMAIL
    password: str = DEMO_PASSWORD


class EmbeddedDemo:
    """Starts the sandbox and the backend on free loopback ports, SQLite in a temp folder."""

    def __init__(
        self,
        data_dir: Path | None = None,
        provider_link: Callable[[str], str] | None = None,
        lived_in: bool = False,
        **settings: str,
    ) -> None:
        """``settings`` override backend settings by name (e.g. ``provider_timeout="1"``).
        ``provider_link`` turns the sandbox's URL into the one the backend calls (a test
        puts a faulty line between them). ``lived_in``: the demo people try (``petsapp-backend
        demo``), with the last days' chats, owners who answer and the demo's own routes;
        without it the group starts empty and nobody answers, as tests need."""
        self.lived_in = lived_in
        self._owners: AppOwnerReplies | None = None
        self._overrides = settings
        self._provider_link = provider_link
        self._own_dir = data_dir is None
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="petsapp-demo-"))
        self.credentials = DemoCredentials()
        self._servers: list[BackgroundServer] = []
        self.backend_url = ""
        self.sandbox_url = ""
        self.database: Database | None = None
        self.settings: Settings | None = None

    def start(self) -> EmbeddedDemo:
        from backend.api.app import create_app  # heavy imports only when the demo runs
        from backend.demo.owners import AppOwnerReplies, demo_router, reply_for
        from backend.sandbox import create_sandbox_app

        backend_port = free_port()
        self.backend_url = f"http://127.0.0.1:{backend_port}"
        sandbox = BackgroundServer(
            create_sandbox_app(
                DEMO_ACCOUNT_SID,
                DEMO_AUTH_TOKEN,
                sms_url=f"{self.backend_url}/webhooks/twilio/sms",
                replier=reply_for if self.lived_in else None,
            )
        ).start()
        self._servers.append(sandbox)
        self.sandbox_url = sandbox.url
        settings = Settings.from_env(
            data_dir=str(self.data_dir),
            twilio_account_sid=DEMO_ACCOUNT_SID,
            twilio_auth_token=DEMO_AUTH_TOKEN,
            twilio_base_url=self._provider_link(sandbox.url)
            if self._provider_link
            else sandbox.url,
            public_url=self.backend_url,
            **{"database_url": f"sqlite:///{self.data_dir / 'backend.db'}", **self._overrides},
        )
        self.settings = settings
        self.database = Database(settings.database_url)
        upgrade(self.database)
        with self.database.write() as session:
            load_groups(session, demo_payload())
            if self.lived_in:
                seed_history(session)
        app = create_app(settings, self.database)
        if self.lived_in:
            app.include_router(demo_router(self.sandbox_url))
            self._owners = AppOwnerReplies(self.database).start()
        self._servers.append(BackgroundServer(app, port=backend_port).start())
        log.info(
            "demo running: backend %s, SMS sandbox %s (POST /sandbox/inbound to text in)",
            self.backend_url,
            self.sandbox_url,
        )
        return self

    def stop(self) -> None:
        if self._owners is not None:
            self._owners.stop()
            self._owners = None
        for server in reversed(self._servers):
            server.stop()
        self._servers.clear()
        if self.database is not None:
            self.database.dispose()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> EmbeddedDemo:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
