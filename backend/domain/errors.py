"""Refusals the API turns into ``{"error": {"code", "message"}}`` answers."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request the backend refuses, with a stable code and a plain-English message."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


def not_found(what: str) -> DomainError:
    return DomainError(404, "not_found", f"No such {what}.")
