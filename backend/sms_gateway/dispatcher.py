"""Hands accepted texts to the provider at once, in order per chat, off the request thread."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from backend.config import Settings
from backend.db import Database
from backend.domain.chats import record_provider_result
from backend.models import Chat, Clinic, Message
from backend.sms_gateway.provider import ProviderError, TwilioProvider

log = logging.getLogger(__name__)

_LANES = 4


class SmsDispatcher:
    """Sends each accepted text once. A chat always maps to the same single-thread lane,
    so the welcome message reaches the provider before the text that follows it."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self._database = database
        self._settings = settings
        self._provider = TwilioProvider(
            settings.twilio_base_url, settings.twilio_account_sid, settings.twilio_auth_token
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
        try:
            sent = self._provider.send(
                to=to,
                from_=from_,
                body=body,
                status_callback=self._settings.status_callback_url,
            )
        except ProviderError as exc:
            with self._database.write() as session:
                record_provider_result(session, message_id, None, "failed", exc.code)
            return
        with self._database.write() as session:
            record_provider_result(session, message_id, sent.sid, sent.status, None)
