"""Staff tokens in the OS keyring; in memory only where the machine has no keyring."""

from __future__ import annotations

import contextlib
import logging

import keyring
from keyring.errors import KeyringError

log = logging.getLogger(__name__)
SERVICE = "PetsApp Desktop"


class TokenStore:
    """Keeps one token per server. ``persistent`` is False when there is no keyring, in which
    case the token lives in memory for this run and the user signs in again next time."""

    def __init__(self) -> None:
        self._memory: dict[str, str] = {}
        self.persistent = True

    def load(self, server: str) -> str | None:
        if server in self._memory:
            return self._memory[server]
        try:
            return keyring.get_password(SERVICE, server)
        except KeyringError:
            self.persistent = False
            return None

    def save(self, server: str, token: str) -> None:
        self._memory[server] = token
        try:
            keyring.set_password(SERVICE, server, token)
        except KeyringError:
            if self.persistent:
                log.warning("no OS keyring: the sign-in is kept in memory for this session only")
            self.persistent = False

    def forget(self, server: str) -> None:
        self._memory.pop(server, None)
        # Nothing stored, or no keyring: either way nothing is left behind.
        with contextlib.suppress(KeyringError):
            keyring.delete_password(SERVICE, server)
