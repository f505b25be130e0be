"""Backend configuration, read from the environment (see README: "Configuration")."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DEFAULT_TWILIO_BASE_URL = "https://api.twilio.com"
DEFAULT_SUPPORT_EMAIL = "support@petsapp.com"
DEFAULT_MAGIC_LINK_BASE = "https://join.petsapp.com/c/"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_base_url: str
    public_url: str
    support_email: str
    magic_link_base: str = DEFAULT_MAGIC_LINK_BASE
    token_lifetime_hours: int = 12
    provider_timeout: float = 15.0
    """Seconds to wait for the provider's answer to one request."""
    provider_connect_timeout: float = 5.0
    """Seconds to wait for a connection to the provider."""
    send_deadline: float = 600.0
    """Seconds a text keeps being retried (with reconciliation) before it is marked failed."""

    @property
    def claim_heartbeat(self) -> float:
        """How often a backend process refreshes the claims on the texts it is sending."""
        return max(0.25, min(5.0, self.provider_timeout / 3))

    @property
    def claim_lease(self) -> float:
        """How long a claim lives without a refresh before another process may take the
        text over. Longer than one whole provider request (connect + answer) plus two
        missed refreshes, so a request made by a process that died has been answered (the
        text created or not) before anyone asks the provider whether it has it."""
        return self.provider_connect_timeout + self.provider_timeout + 2 * self.claim_heartbeat + 1

    @property
    def sms_webhook_url(self) -> str:
        return f"{self.public_url}/webhooks/twilio/sms"

    @property
    def status_callback_url(self) -> str:
        return f"{self.public_url}/webhooks/twilio/status"

    @classmethod
    def from_env(cls, **overrides: str) -> Settings:
        """Settings from ``PETSAPP_*`` variables; ``overrides`` win (used by the demo)."""
        env = {**os.environ, **{f"PETSAPP_{k.upper()}": v for k, v in overrides.items()}}
        data_dir = Path(
            env.get("PETSAPP_DATA_DIR") or platformdirs.user_data_dir("petsapp-backend", "PetsApp")
        )
        database_url = env.get("PETSAPP_DATABASE_URL") or f"sqlite:///{data_dir / 'backend.db'}"
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            twilio_account_sid=env.get("PETSAPP_TWILIO_ACCOUNT_SID", ""),
            twilio_auth_token=env.get("PETSAPP_TWILIO_AUTH_TOKEN", ""),
            twilio_base_url=env.get("PETSAPP_TWILIO_BASE_URL", DEFAULT_TWILIO_BASE_URL).rstrip("/"),
            public_url=env.get("PETSAPP_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
            support_email=env.get("PETSAPP_SUPPORT_EMAIL", DEFAULT_SUPPORT_EMAIL),
            magic_link_base=env.get("PETSAPP_MAGIC_LINK_BASE", DEFAULT_MAGIC_LINK_BASE),
            provider_timeout=float(env.get("PETSAPP_PROVIDER_TIMEOUT", "15")),
            provider_connect_timeout=float(env.get("PETSAPP_PROVIDER_CONNECT_TIMEOUT", "5")),
            send_deadline=float(env.get("PETSAPP_SEND_DEADLINE", "600")),
        )
