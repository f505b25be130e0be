"""The PetsApp server's address as typed (sign-in dialog, ``--server``, settings.json).

No Qt and no I/O: the sign-in dialog checks what is typed with it before anything is sent,
and the composition root keys the local cache by the normalised address.
"""

from __future__ import annotations

from urllib.parse import urlsplit


class ServerUrlError(ValueError):
    """Not a usable address. ``reason`` is ``"empty"``, ``"scheme"`` (not http/https) or
    ``"host"`` (no host, or a port that is not a number); the caller words it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalise_server_url(text: str) -> str:
    """``" HTTPS://PetsApp.Example/ "`` → ``"https://petsapp.example"``: scheme and host in
    lower case, no trailing slash; a path (a server under a prefix) is kept as typed."""
    value = text.strip()
    if not value:
        raise ServerUrlError("empty")
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise ServerUrlError("scheme")
    try:
        port = parts.port
    except ValueError as exc:
        raise ServerUrlError("host") from exc
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password or parts.query or parts.fragment:
        raise ServerUrlError("host")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    return f"{scheme}://{netloc}{parts.path.rstrip('/')}"
