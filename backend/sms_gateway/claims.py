"""Send claims: a text is durably taken by one backend process before it goes to the provider.

A text's way to the provider, in the ``messages`` table:

- **accepted, unclaimed** (``claims = 0``): stored, not yet handed to anyone.
- **claimed** (``claimed_by`` a process, ``claimed_at`` refreshed by that process's
  heartbeat): that process may call the provider for it. The claim is taken with a
  compare-and-set on ``claims``, so of several processes (or two lanes of one) exactly one
  wins, on SQLite and on PostgreSQL alike (an ``UPDATE ... WHERE claims = :seen`` waits for
  a concurrent writer of the row and then re-checks its condition).
- **resolved**: the provider's sid is recorded (``queued``, ``sent``, ...), or ``failed``.

A claim whose heartbeat stopped for longer than the lease (the process died) may be taken
over; the new holder is told so (:attr:`Claim.taken_over`) and must ask the provider whether
it already has the text before sending it. A text is claimed only when every earlier text
to the same number from the same clinic is resolved, so at most one text per sender and
recipient is ever unresolved: what the provider holds for that pair and we have not
recorded can only be that one text.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Result, Row
from sqlalchemy.orm import Session

from backend.db import Database
from backend.models import utcnow
from backend.sms_gateway.claim_statements import (
    CLAIM,
    CLAIM_NEXT,
    DUE,
    HEARTBEAT,
    KNOWN_SID,
    STILL_MINE,
    UNSENT_TEXT,
)


@dataclass(frozen=True)
class Claim:
    """A text this process holds, with what it takes to send or find it."""

    message_id: int
    chat_id: int
    clinic_id: int
    to: str
    from_: str
    body: str
    ref: str
    first_claimed_at: datetime
    claims: int
    taken_over: bool
    """An earlier holder may have reached the provider: reconcile before sending."""


@dataclass(frozen=True)
class Unsendable:
    """A text that can never go (SMS turned off, no number): it is failed, not retried."""

    message_id: int


class Claims:
    def __init__(self, database: Database, holder: str, lease: float) -> None:
        self._database = database
        self.holder = holder
        self._lease = timedelta(seconds=lease)

    def take(self, message_id: int) -> Claim | Unsendable | None:
        """Claim the text for this process, or None when it is not ours to send now (sent,
        held by a live process, or waiting for an earlier text of its number)."""
        now = utcnow()
        with self._database.read() as session:  # the cheap checks, without the write lock
            row = session.execute(UNSENT_TEXT, {"message_id": message_id}).first()
        if row is None:
            return None
        taken_over = row.claimed_by is not None
        held_since = _aware(row.claimed_at)
        if taken_over and held_since is not None and held_since > now - self._lease:
            return None  # a live process has it (or this one, in another lane)
        if not row.sms_number or not row.phone:
            return Unsendable(message_id)
        if row.waits:
            return None  # its turn comes when the text before it is resolved
        with self._database.write() as session:
            return _claim(session, message_id, row, self.holder, now, taken_over)

    def still_mine(self, claim: Claim) -> bool:
        """Refresh the claim just before calling the provider; False if another process
        took it over meanwhile (this one was stalled past the lease): then it must not call."""
        with self._database.write() as session:
            refreshed = _changed(
                session.execute(
                    STILL_MINE,
                    {
                        "message_id": claim.message_id,
                        "seen_claims": claim.claims,
                        "holder": self.holder,
                        "now": utcnow(),
                    },
                )
            )
        return bool(refreshed == 1)

    def heartbeat(self) -> int:
        """Keep every claim this process holds alive; returns how many it holds."""
        with self._database.write() as session:
            return int(
                _changed(session.execute(HEARTBEAT, {"holder": self.holder, "now": utcnow()}))
            )

    def due(self, unclaimed_for: float, limit: int = 500) -> list[tuple[int, int]]:
        """(message id, chat id) of texts nobody is sending: never claimed and older than
        ``unclaimed_for`` seconds (the process that stored them stopped before handing them
        on), or claimed by a process whose heartbeat stopped. Oldest first, so a lane takes
        a chat's texts in order."""
        now = utcnow()
        with self._database.read() as session:
            rows = session.execute(
                DUE,
                {
                    "unclaimed_before": now - timedelta(seconds=unclaimed_for),
                    "stale_before": now - self._lease,
                    "limit": limit,
                },
            ).all()
        return [(row.id, row.chat_id) for row in rows]

    def is_known_sid(self, sid: str) -> bool:
        """A provider sid already recorded for one of our messages (in or out)."""
        with self._database.read() as session:
            return bool(session.scalar(KNOWN_SID, {"sid": sid}))


def claim_new(
    session: Session,
    message_id: int,
    *,
    chat_id: int,
    clinic_id: int,
    to: str,
    from_: str,
    body: str,
    holder: str,
) -> Claim | None:
    """Inside the writing transaction that just stored the text: claim it for ``holder``
    when no earlier text to its number waits, so the common send costs no write of its own
    (one ``UPDATE``; what it takes to send is known here). Called after the transaction
    recorded its change, which waits for the group's other writers, so an earlier text
    committed meanwhile is seen."""
    now = utcnow()
    wanted = Claim(
        message_id=message_id,
        chat_id=chat_id,
        clinic_id=clinic_id,
        to=to,
        from_=from_,
        body=body,
        ref=secrets.token_hex(12),
        first_claimed_at=now,
        claims=1,
        taken_over=False,
    )
    return _take(session, wanted, seen_claims=0, holder=holder, now=now)


def claim_next(session: Session, resolved: Claim, holder: str) -> Claim | None:
    """In the transaction that resolves ``resolved``: claim the next text to the same
    number for ``holder``, if nobody holds it yet (its turn has come)."""
    row = session.execute(
        CLAIM_NEXT,
        {
            "clinic_id": resolved.clinic_id,
            "to": resolved.to,
            "from_": resolved.from_,
            "after": resolved.message_id,
            "holder": holder,
            "now": utcnow(),
            "ref": secrets.token_hex(12),
        },
    ).first()
    if row is None:
        return None
    return Claim(
        message_id=row.id,
        chat_id=row.chat_id,
        clinic_id=resolved.clinic_id,
        to=resolved.to,
        from_=resolved.from_,
        body=row.body,
        ref=row.provider_ref,
        first_claimed_at=_aware(row.first_claimed_at) or utcnow(),
        claims=row.claims,
        taken_over=False,
    )


def _claim(
    session: Session,
    message_id: int,
    row: Row[*tuple[Any, ...]],
    holder: str,
    now: datetime,
    taken_over: bool,
) -> Claim | None:
    """Claim the text read as ``row``; the claim, or None when someone was first."""
    wanted = Claim(
        message_id=message_id,
        chat_id=row.chat_id,
        clinic_id=row.clinic_id,
        to=row.phone,
        from_=row.sms_number,
        body=row.body,
        ref=row.provider_ref or secrets.token_hex(12),
        first_claimed_at=_aware(row.first_claimed_at) or now,
        claims=row.claims + 1,
        taken_over=taken_over,
    )
    return _take(session, wanted, seen_claims=row.claims, holder=holder, now=now)


def _take(
    session: Session, wanted: Claim, *, seen_claims: int, holder: str, now: datetime
) -> Claim | None:
    """Write ``wanted`` if the text's claim counter is still ``seen_claims`` (the
    compare-and-set): ``wanted``, or None when someone was first."""
    won = _changed(
        session.execute(
            CLAIM,
            {
                "message_id": wanted.message_id,
                "seen_claims": seen_claims,
                "clinic_id": wanted.clinic_id,
                "phone": wanted.to,
                "holder": holder,
                "now": now,
                "first": wanted.first_claimed_at,
                "new_claims": wanted.claims,
                "ref": wanted.ref,
            },
        )
    )
    return wanted if won == 1 else None


def _changed(result: Result[Any]) -> int:
    """Rows an UPDATE changed (a DML statement's result is a cursor result)."""
    return int(cast("CursorResult[Any]", result).rowcount)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without their zone; they were stored as UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment
