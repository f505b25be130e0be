"""Sign-in and credentials: who is signed in to which server, and the clients that speak for
them. HTTP and the keyring only (no cache, no Qt): called from task workers."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from desktop.services.api import ApiClient, ApiError, OfflineError
from desktop.services.credentials import TokenStore
from desktop.services.records import Me
from desktop.services.settings import Settings


class StaffSession:
    def __init__(self, server: str, data_dir: Path, tokens: TokenStore | None = None) -> None:
        """``data_dir`` holds settings.json (the proxy and CA bundle the clients use)."""
        self.server = server.rstrip("/")
        self.data_dir = data_dir
        self.settings = Settings()  # read from data_dir by ``prepare``
        self.tokens = tokens or TokenStore()
        self.token: str | None = None
        self.me: Me | None = None  # /me, with "colleagues" added
        self._local = threading.local()

    @property
    def staff_id(self) -> int | None:
        return self.me["staff"]["id"] if self.me else None

    def prepare(self, checking: bool) -> str:
        """Settings and the stored token, read; with ``checking`` (or without a token), the
        server checked before anyone types a password: what is wrong with it, or ""."""
        self.settings = Settings.load(self.data_dir)
        self.token = self.tokens.load(self.server)
        if checking or not self.token:
            try:
                self.new_client(with_token=False).check_server()
            except OfflineError as exc:
                return str(exc)
        return ""

    def log_in(self, email: str, password: str) -> int:
        """A new token for these credentials, kept in the keyring. Returns the staff id."""
        answer = self.new_client(with_token=False).login(email, password)
        self.token = answer["token"]
        self.tokens.save(self.server, answer["token"])
        return int(answer["staff"]["id"])

    def fetch_me(self) -> Me:
        """/me and the colleagues one can hand chats to."""
        client = self.new_client()
        me = client.me()
        me["colleagues"] = client.colleagues()
        return me

    def end(self) -> str | None:
        """Forgets who is signed in here (at once); returns the token to log out with."""
        token, self.token, self.me = self.token, None, None
        return token

    def log_out(self, token: str | None) -> None:
        """The token ended at the backend (offline: it expires anyway) and gone from the
        keyring."""
        if token:
            with contextlib.suppress(ApiError, OfflineError):
                self.new_client(token=token).logout()
        self.tokens.forget(self.server)

    def new_client(self, with_token: bool = True, token: str | None = None) -> ApiClient:
        return ApiClient(
            self.server,
            token=token or (self.token if with_token else None),
            ca_bundle=self.settings.ca_bundle,
            proxy=self.settings.proxy,
        )

    def client(self) -> ApiClient:
        """The calling thread's own client (requests sessions are not thread-safe)."""
        client: ApiClient | None = getattr(self._local, "client", None)
        if client is None or client.token != self.token:
            client = self.new_client()
            self._local.client = client
        return client
