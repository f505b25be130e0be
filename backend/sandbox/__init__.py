"""Provider sandbox: a local, Twilio-compatible SMS server for development, demo and tests.

The backend talks to it exactly as to Twilio's Programmable Messaging API 2010-04-01
(form-encoded POSTs with HTTP Basic auth, signed webhooks back). Recipient numbers that
fail on purpose are listed in :mod:`backend.sandbox.magic`.
"""

from __future__ import annotations

from backend.sandbox.app import create_sandbox_app
from backend.sandbox.magic import (
    LOST_ANSWER,
    MAGIC_NUMBERS,
    NOT_MOBILE,
    RATE_LIMITED,
    SERVER_ERROR,
    SLOW_ANSWER,
    UNDELIVERED,
    UNREACHABLE,
    UNSUBSCRIBED,
)
from backend.sandbox.service import SandboxService

__all__ = [
    "LOST_ANSWER",
    "MAGIC_NUMBERS",
    "NOT_MOBILE",
    "RATE_LIMITED",
    "SERVER_ERROR",
    "SLOW_ANSWER",
    "UNDELIVERED",
    "UNREACHABLE",
    "UNSUBSCRIBED",
    "SandboxService",
    "create_sandbox_app",
]
