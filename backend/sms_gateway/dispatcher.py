"""Hands accepted texts to the provider at once, in order per chat, exactly once.

Each text is claimed first (:mod:`backend.sms_gateway.claims`): of all backend processes,
only the claim's holder calls the provider, and it keeps the claim alive with a heartbeat
while it works. When a process dies, another (or the same one restarted) takes the text
over once the claim's lease has run out, asks the provider whether it already has the text
and sends it only if not. The provider's create call has no idempotency key, so the
question must have an exact answer; see :meth:`SmsDispatcher._reconcile`.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from backend.config import Settings
from backend.db import Database
from backend.domain.chats.delivery import record_provider_result
from backend.models import utcnow
from backend.sms_gateway.claims import Claim, Claims, Unsendable, claim_next
from backend.sms_gateway.provider import ProviderError, SentText, TwilioProvider
from petsapp_common.backoff import backoff_delay
from petsapp_common.sms import mask_phone

log = logging.getLogger(__name__)

_LANES = 4
BASE_BACKOFF = 0.25
MAX_BACKOFF = 30.0
# A text stored but never handed on this long is taken up by the sweep (its process died
# between the commit and the hand-over, or its lane let it wait behind another process).
UNCLAIMED_GRACE = 2.0
# The provider's clock and ours may differ; a reconciliation looks this far back too.
CLOCK_SKEW = timedelta(seconds=60)


class SmsDispatcher:
    """Sends each accepted text once. A chat always maps to the same single-thread lane,
    so the welcome message reaches the provider before the text that follows it."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self._database = database
        self._settings = settings
        self._provider = TwilioProvider(
            settings.twilio_base_url,
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            read_timeout=settings.provider_timeout,
            connect_timeout=settings.provider_connect_timeout,
        )
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.claims = Claims(database, self.holder, settings.claim_lease)
        self._lanes = [
            ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"sms-lane-{i}")
            for i in range(_LANES)
        ]
        self._queued: set[int] = set()  # message ids waiting in a lane of this process
        self._held: dict[int, Claim] = {}  # claims this process took for queued texts
        self._queued_lock = threading.Lock()
        self._closed = threading.Event()
        self._keeper: threading.Thread | None = None

    def submit(self, chat_id: int, message_ids: list[int], claimed: Claim | None = None) -> None:
        """Queue texts on their chat's lane; ``claimed`` is one this process already holds
        (claimed when it was accepted)."""
        if self._closed.is_set():
            return
        lane = self._lanes[chat_id % _LANES]
        for message_id in message_ids:
            with self._queued_lock:
                if claimed is not None and claimed.message_id == message_id:
                    self._held[message_id] = claimed
                if message_id in self._queued:
                    continue
                self._queued.add(message_id)
            lane.submit(self._send_one, message_id)

    def start(self) -> None:
        """Take up what earlier processes left, then keep claims alive and sweep for texts
        nobody is sending (``close`` stops it)."""
        self.resume_unsent()
        self._keeper = threading.Thread(target=self._keep, name="sms-claims", daemon=True)
        self._keeper.start()

    def resume_unsent(self, unclaimed_for: float = 0.0) -> int:
        """Submit every text nobody is sending now: never claimed, or claimed by a process
        whose heartbeat stopped longer than the lease ago."""
        due = self.claims.due(unclaimed_for)
        for message_id, chat_id in due:
            self.submit(chat_id, [message_id])
        return len(due)

    def close(self) -> None:
        self._closed.set()
        if self._keeper is not None:
            self._keeper.join(5)
        for lane in self._lanes:
            lane.shutdown(wait=True, cancel_futures=True)

    def _keep(self) -> None:
        interval = self._settings.claim_heartbeat
        while not self._closed.wait(interval):
            try:
                self.claims.heartbeat()
                self.resume_unsent(UNCLAIMED_GRACE)
            except Exception:  # the database may be away for a moment; the next round retries
                log.exception("keeping send claims failed")

    def _send_one(self, message_id: int) -> None:
        with self._queued_lock:
            self._queued.discard(message_id)
            held = self._held.pop(message_id, None)
        try:
            self._deliver(message_id, held)
        except Exception:  # a lane must survive anything one text does
            log.exception("sending message %s failed unexpectedly", message_id)

    def _deliver(self, message_id: int, held: Claim | None = None) -> None:
        claim = held or self.claims.take(message_id)
        if claim is None:
            return
        if isinstance(claim, Unsendable):
            self._record(message_id, None)
            return
        deadline = time.monotonic() + self._settings.send_deadline - _age(claim)
        outcome: SentText | ProviderError | None
        if claim.taken_over:
            # An earlier holder died after claiming it: it may have reached the provider.
            outcome = self._reconcile(claim, deadline)
            if isinstance(outcome, SentText):
                log.info("text to %s was at the provider already", mask_phone(claim.to))
            elif outcome is None and not self._closed.is_set():
                outcome = self._send_until_known(claim, deadline, just_claimed=False)
        else:
            # Claimed by this process moments ago (or on accepting it, then kept alive by the
            # heartbeat): nobody can have taken it over before half a lease has passed.
            fresh = _age(claim) < self._settings.claim_lease / 2
            outcome = self._send_until_known(claim, deadline, just_claimed=fresh)
        if outcome is not None and not (self._closed.is_set() and _is_unknown(outcome)):
            following = self._record(message_id, outcome, claim)
            if following is not None:
                self.submit(following.chat_id, [following.message_id], following)

    def _record(
        self, message_id: int, outcome: SentText | ProviderError | None, claim: Claim | None = None
    ) -> Claim | None:
        """The provider's answer, and in the same transaction the claim on the next text
        to that number, whose turn it now is (no write of its own)."""
        with self._database.write() as session:
            if isinstance(outcome, SentText):
                record_provider_result(session, message_id, outcome.sid, outcome.status, None)
            else:
                code = outcome.code if outcome is not None else None
                record_provider_result(session, message_id, None, "failed", code)
            return claim_next(session, claim, self.holder) if claim is not None else None

    def _send_until_known(
        self, claim: Claim, deadline: float, just_claimed: bool
    ) -> SentText | ProviderError | None:
        """Send, and after a failure with an unknown outcome (timeout, 5xx, lost connection)
        reconcile before sending again: an owner never gets it twice. None when another
        process took the claim over (this one stalled past the lease): it decides now."""
        attempt = 0
        while True:
            # A claim taken a moment ago is fresh; after a wait, make sure it still is.
            if not just_claimed and not self.claims.still_mine(claim):
                return None
            just_claimed = False
            try:
                return self._provider.send(
                    to=claim.to,
                    from_=claim.from_,
                    body=claim.body,
                    status_callback=self._callback_url(claim),
                )
            except ProviderError as exc:
                if not exc.is_transient:
                    return exc
                last_error = exc
            while True:  # until the provider can say whether it has the text
                attempt += 1
                delay = backoff_delay(attempt, BASE_BACKOFF, MAX_BACKOFF)
                if time.monotonic() + delay > deadline or self._closed.wait(delay):
                    return last_error
                try:
                    found = self._find(claim)
                except ProviderError as exc:
                    last_error = exc
                    continue
                if found is not None:
                    log.info("text to %s was created, its answer lost", mask_phone(claim.to))
                    return found
                break  # not there: safe to send again

    def _reconcile(self, claim: Claim, deadline: float) -> SentText | ProviderError | None:
        """Whether the provider has this text: its copy, None (not there: safe to send), or
        the error that kept the provider from answering until the deadline. Then the text
        is failed rather than sent blind: a second copy is worse than a failed one, which
        staff can see and act on."""
        attempt = 0
        while True:
            try:
                return self._find(claim)
            except ProviderError as exc:
                attempt += 1
                delay = backoff_delay(attempt, BASE_BACKOFF, MAX_BACKOFF)
                if time.monotonic() + delay > deadline or self._closed.wait(delay):
                    return exc

    def _find(self, claim: Claim) -> SentText | None:
        """The provider's copy of this text, matched exactly: from its sender to its
        recipient, with its body, created since it was first claimed, and with a sid none of
        our messages has. Every earlier text to this pair is resolved before a text is
        claimed (claims.py), so there is at most one such copy, and it is this text's."""
        return self._provider.find_sent(
            to=claim.to,
            from_=claim.from_,
            body=claim.body,
            since=claim.first_claimed_at - CLOCK_SKEW,
            is_known=self.claims.is_known_sid,
        )

    def _callback_url(self, claim: Claim) -> str:
        return f"{self._settings.status_callback_url}?text={claim.ref}"


def _age(claim: Claim) -> float:
    """Seconds since the text was first claimed: the send deadline counts from then."""
    return max(0.0, (utcnow() - claim.first_claimed_at).total_seconds())


def _is_unknown(outcome: SentText | ProviderError) -> bool:
    """An error that says nothing about the text (the process is stopping, or the provider
    was away): the claim is left for the next holder instead of failing the text."""
    return isinstance(outcome, ProviderError) and outcome.is_transient
