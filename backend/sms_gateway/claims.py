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

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from backend.db import Database
from backend.models import Chat, Clinic, Message, utcnow

UNSENT = "accepted"


@dataclass(frozen=True)
class Claim:
    """A text this process holds, with what it takes to send or find it."""

    message_id: int
    chat_id: int
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
            row = session.execute(
                select(
                    Message.chat_id,
                    Message.body,
                    Message.claims,
                    Message.claimed_by,
                    Message.claimed_at,
                    Message.first_claimed_at,
                    Message.provider_ref,
                    Chat.phone,
                    Chat.clinic_id,
                    Clinic.sms_number,
                )
                .join(Chat, Chat.id == Message.chat_id)
                .join(Clinic, Clinic.id == Chat.clinic_id)
                .where(
                    Message.id == message_id,
                    Message.status == UNSENT,
                    Message.provider_sid.is_(None),
                )
            ).first()
        if row is None:
            return None
        taken_over = row.claimed_by is not None
        held_since = _aware(row.claimed_at)
        if taken_over and held_since is not None and held_since > now - self._lease:
            return None  # a live process has it (or this one, in another lane)
        if not row.sms_number or not row.phone:
            return Unsendable(message_id)
        earlier = aliased(Message)
        same_number = select(Chat.id).where(
            Chat.clinic_id == row.clinic_id, Chat.phone == row.phone
        )
        earlier_unsent = exists().where(
            earlier.chat_id.in_(same_number.scalar_subquery()),
            earlier.id < message_id,
            earlier.status == UNSENT,
            earlier.provider_sid.is_(None),
        )
        with self._database.read() as session:
            if session.scalar(select(earlier_unsent)):
                return None  # its turn comes when the text before it is resolved
        ref = row.provider_ref or secrets.token_hex(12)
        first = _aware(row.first_claimed_at) or now
        with self._database.write() as session:
            # Compare-and-set: of all who read ``claims`` as it was, one writes it.
            won = session.execute(
                update(Message)
                .where(
                    Message.id == message_id,
                    Message.claims == row.claims,
                    Message.status == UNSENT,
                    Message.provider_sid.is_(None),
                    ~earlier_unsent,
                )
                .values(
                    claimed_by=self.holder,
                    claimed_at=now,
                    first_claimed_at=first,
                    claims=row.claims + 1,
                    provider_ref=ref,
                )
                .execution_options(synchronize_session=False)
            ).rowcount
        if won != 1:
            return None
        return Claim(
            message_id=message_id,
            chat_id=row.chat_id,
            to=row.phone,
            from_=row.sms_number,
            body=row.body,
            ref=ref,
            first_claimed_at=first,
            claims=row.claims + 1,
            taken_over=taken_over,
        )

    def still_mine(self, claim: Claim) -> bool:
        """Refresh the claim just before calling the provider; False if another process
        took it over meanwhile (this one was stalled past the lease): then it must not call."""
        with self._database.write() as session:
            refreshed = session.execute(
                update(Message)
                .where(
                    Message.id == claim.message_id,
                    Message.claims == claim.claims,
                    Message.claimed_by == self.holder,
                    Message.status == UNSENT,
                    Message.provider_sid.is_(None),
                )
                .values(claimed_at=utcnow())
                .execution_options(synchronize_session=False)
            ).rowcount
        return refreshed == 1

    def heartbeat(self) -> int:
        """Keep every claim this process holds alive; returns how many it holds."""
        with self._database.write() as session:
            return session.execute(
                update(Message)
                .where(
                    Message.status == UNSENT,
                    Message.claimed_by == self.holder,
                    Message.provider_sid.is_(None),
                )
                .values(claimed_at=utcnow())
                .execution_options(synchronize_session=False)
            ).rowcount

    def due(self, unclaimed_for: float, limit: int = 500) -> list[tuple[int, int]]:
        """(message id, chat id) of texts nobody is sending: never claimed and older than
        ``unclaimed_for`` seconds (the process that stored them stopped before handing them
        on), or claimed by a process whose heartbeat stopped. Oldest first, so a lane takes
        a chat's texts in order."""
        now = utcnow()
        with self._database.read() as session:
            rows = session.execute(
                select(Message.id, Message.chat_id)
                .where(Message.status == UNSENT, Message.provider_sid.is_(None))
                .where(
                    or_(
                        and_(
                            Message.claimed_by.is_(None),
                            Message.created_at <= now - timedelta(seconds=unclaimed_for),
                        ),
                        Message.claimed_at <= now - self._lease,
                    )
                )
                .order_by(Message.id)
                .limit(limit)
            ).all()
        return [(row.id, row.chat_id) for row in rows]

    def next_in_chat(self, chat_id: int, after_id: int) -> int | None:
        """The chat's next text nobody holds: its turn has come (the one before it was
        resolved here, while another process's lane may have let it go as blocked)."""
        with self._database.read() as session:
            return session.scalar(
                select(Message.id)
                .where(
                    Message.chat_id == chat_id,
                    Message.id > after_id,
                    Message.status == UNSENT,
                    Message.provider_sid.is_(None),
                    or_(Message.claimed_by.is_(None), Message.claimed_at <= utcnow() - self._lease),
                )
                .order_by(Message.id)
                .limit(1)
            )

    def is_known_sid(self, sid: str) -> bool:
        """A provider sid already recorded for one of our messages (in or out)."""
        with self._database.read() as session:
            found = session.scalar(
                select(func.count()).select_from(Message).where(Message.provider_sid == sid)
            )
        return bool(found)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands datetimes back without their zone; they were stored as UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment
