"""Hands accepted texts to the provider at once, in order per chat, off the request thread."""

from __future__ import annotations

import logging
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from backend.config import Settings
from backend.db import Database
from backend.domain.chats import record_provider_result
from backend.models import Chat, Clinic, Message
from backend.sms_gateway.provider import ProviderError, SentText, TwilioProvider
from desktop.services.sms import mask_phone

log = logging.getLogger(__name__)

_LANES = 4
BASE_BACKOFF = 0.25
MAX_BACKOFF = 30.0


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
        )
        self._lanes = [
            ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"sms-lane-{i}")
            for i in range(_LANES)
        ]
        self._closed = threading.Event()

    def submit(self, chat_id: int, message_ids: list[int]) -> None:
        if self._closed.is_set():
            return
        lane = self._lanes[chat_id % _LANES]
        for message_id in message_ids:
            lane.submit(self._send_one, message_id)

    def resume_unsent(self, older_than: timedelta = timedelta(seconds=0)) -> int:
        """Re-submit texts accepted but never handed over (the process stopped first)."""
        cutoff = datetime.now(UTC) - older_than
        with self._database.read() as session:
            rows = session.execute(
                select(Message.id, Message.chat_id)
                .where(Message.status == "accepted", Message.provider_sid.is_(None))
                .where(Message.created_at <= cutoff)
                .order_by(Message.id)
            ).all()
        for message_id, chat_id in rows:
            self.submit(chat_id, [message_id])
        return len(rows)

    def close(self) -> None:
        self._closed.set()
        for lane in self._lanes:
            lane.shutdown(wait=True, cancel_futures=True)

    def _send_one(self, message_id: int) -> None:
        try:
            self._deliver(message_id)
        except Exception:  # a lane must survive anything one text does
            log.exception("sending message %s failed unexpectedly", message_id)

    def _deliver(self, message_id: int) -> None:
        with self._database.read() as session:
            message = session.get(Message, message_id)
            if message is None or message.status != "accepted" or message.provider_sid:
                return
            chat = session.get(Chat, message.chat_id)
            clinic = session.get(Clinic, chat.clinic_id) if chat else None
            if chat is None or clinic is None or not clinic.sms_number or not chat.phone:
                return
            to, from_, body = chat.phone, clinic.sms_number, message.body
        # Anything the provider created since shortly before the first attempt may be ours.
        since = datetime.now(UTC) - timedelta(minutes=2)
        outcome = self._send_once(to, from_, body, since)
        with self._database.write() as session:
            if isinstance(outcome, SentText):
                record_provider_result(session, message_id, outcome.sid, outcome.status, None)
            else:
                record_provider_result(session, message_id, None, "failed", outcome.code)

    def _send_once(
        self, to: str, from_: str, body: str, since: datetime
    ) -> SentText | ProviderError:
        """Send, and after a failure with an unknown outcome (timeout, 5xx, lost connection)
        look for the text at the provider before sending again: an owner never gets it twice.
        Gives up after ``send_deadline`` seconds of trying."""
        deadline = time.monotonic() + self._settings.send_deadline
        attempt = 0
        while True:
            try:
                return self._provider.send(
                    to=to,
                    from_=from_,
                    body=body,
                    status_callback=self._settings.status_callback_url,
                )
            except ProviderError as exc:
                if not exc.is_transient:
                    return exc
                last_error = exc
            while True:  # reconcile until the provider can answer whether it has the text
                attempt += 1
                delay = min(MAX_BACKOFF, BASE_BACKOFF * 2**attempt) * random.uniform(0.5, 1.0)
                if time.monotonic() + delay > deadline or self._closed.wait(delay):
                    return last_error
                try:
                    found = self._provider.find_sent(
                        to=to, from_=from_, body=body, since=since, skip=self._known_sids(to)
                    )
                except ProviderError as exc:
                    last_error = exc
                    continue
                if found is not None:
                    log.info("text to %s was created before its answer was lost", mask_phone(to))
                    return found
                break  # not there: safe to send again

    def _known_sids(self, to: str) -> set[str]:
        """Provider ids of texts already recorded for this number (never matched again)."""
        with self._database.read() as session:
            rows = session.scalars(
                select(Message.provider_sid)
                .join(Chat, Chat.id == Message.chat_id)
                .where(Chat.phone == to, Message.provider_sid.is_not(None))
            )
            return {sid for sid in rows if sid}
