"""The demo's owners answer: a text to one gets a plausible reply a few seconds later, by
the real inbound path (SMS: the sandbox texts in through the backend's webhook; PetsApp
chats: the owner's message is stored and goes out on the change feed like any other).
And the demo's own route behind the desktop's Demo → "Text in as the client…".

Only the lived-in demo (``EmbeddedDemo(lived_in=True)``) has any of this.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Annotated

import requests
from fastapi import APIRouter, Path
from pydantic import BaseModel, Field
from sqlalchemy import select

from backend.api.deps import CurrentStaff, Parts
from backend.db import Database
from backend.domain.chats.records import add_message, chat_in_group, publish_chat
from backend.domain.errors import DomainError
from backend.models import Chat, Clinic, Message

log = logging.getLogger(__name__)

REPLY_SECONDS = 4.0  # after the clinic's last text in a row: a person reads, then types
WELCOME_MARK = "Reply STOP to opt out."

# (words any of which the clinic's text holds, the owner's answer); the first match wins.
REPLIES: list[tuple[tuple[str, ...], str]] = [
    (("stop", "opt out"), ""),
    (("book her in", "book him in", "book them in", "like to book", "shall we book"),
     "Yes please! Could we do Saturday morning?"),
    (("does that work", "would you like", "is that ok", "suit you", "shall we"),
     "Yes, that works perfectly, thank you!"),
    (("vaccin", "jab", "booster"), "Thanks! Could we do Saturday morning for the jabs?"),
    (("prescription", "tablets", "medication", "drops", "worming", "flea"),
     "Brilliant, I'll pick it up on my way home. Thank you!"),
    (("results", "blood test"), "That's such a relief, thank you for letting me know."),
    (("stitches", "post-op", "operation", "surgery", "dental", "wound"),
     "She's doing well: eating again and the wound looks clean."),
    (("ready", "collect", "home at", "pick up"), "Wonderful, I'm on my way now."),
    (("book", "appointment", "slot", "available"), "Yes please, any time after 3pm works for me."),
    (("how is", "how's", "doing"), "Much better today, thank you for asking."),
    (("?",), "Yes, that's fine. Thank you!"),
]  # fmt: skip
THANKS = "Thank you, see you soon!"


def reply_for(text: str) -> str | None:
    """What an owner answers to the clinic's ``text``, a run of texts one per line (None:
    they do not answer)."""
    text = "\n".join(line for line in text.splitlines() if WELCOME_MARK not in line)
    if not text.strip():
        return None  # only the welcome: the clinic's first text comes with it
    lowered = text.lower()
    for words, answer in REPLIES:
        if any(word in lowered for word in words):
            return answer or None
    return THANKS


class AppOwnerReplies:
    """Watches for the clinic's messages in PetsApp chats and answers each run of them as
    the chat's owner, ``REPLY_SECONDS`` after its last one."""

    def __init__(self, database: Database, delay: float = REPLY_SECONDS) -> None:
        self._database = database
        self._delay = delay
        self._stop = threading.Event()
        with database.read() as session:
            self._seen = session.scalar(select(Message.id).order_by(Message.id.desc())) or 0
        self._due: dict[int, tuple[float, str]] = {}  # chat -> (when, what it answers)
        self._thread = threading.Thread(target=self._run, name="demo-owners", daemon=True)

    def start(self) -> AppOwnerReplies:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            try:
                self._look()
                self._answer_due()
            except Exception:  # the demo's owners stop answering; the demo goes on
                log.exception("demo owner replies failed")

    def _look(self) -> None:
        with self._database.read() as session:
            rows = session.execute(
                select(Message.id, Message.chat_id, Message.body)
                .join(Chat, Chat.id == Message.chat_id)
                .where(Message.id > self._seen, Chat.kind == "app")
                .where(Message.direction == "out", Message.sender_id.is_not(None))
                .order_by(Message.id)
            ).all()
        for message_id, chat_id, body in rows:
            self._seen = max(self._seen, message_id)
            earlier = self._due.get(chat_id, (0.0, ""))[1]
            run = f"{earlier}\n{body}" if earlier else body
            self._due[chat_id] = (time.monotonic() + self._delay, run)

    def _answer_due(self) -> None:
        now = time.monotonic()
        for chat_id, (when, body) in list(self._due.items()):
            if when > now:
                continue
            del self._due[chat_id]
            answer = reply_for(body)
            if answer:
                owner_says(self._database, chat_id, answer)


def owner_says(database: Database, chat_id: int, body: str) -> None:
    """The owner of a PetsApp chat writes ``body`` in it (as their app would)."""
    with database.write() as session:
        chat = session.get(Chat, chat_id)
        if chat is None or chat.kind != "app":
            return
        add_message(session, chat, direction="in", body=body, status="received")
        publish_chat(session, chat)


class TextIn(BaseModel):
    body: str = Field(min_length=1, max_length=1600)


def demo_router(sandbox_url: str) -> APIRouter:
    """``POST /api/v1/demo/chats/{id}/text-in``: the open chat's owner writes in, by the
    path their message would really take (SMS: the sandbox texts the clinic's number)."""
    router = APIRouter(prefix="/api/v1/demo", include_in_schema=False)

    @router.post("/chats/{chat_id}/text-in", status_code=204)
    def text_in(
        chat_id: Annotated[int, Path(ge=1)], body: TextIn, staff: CurrentStaff, backend: Parts
    ) -> None:
        with backend.database.read() as session:
            chat = chat_in_group(session, staff, chat_id)
            kind, phone = chat.kind, chat.phone
            number = session.scalar(select(Clinic.sms_number).where(Clinic.id == chat.clinic_id))
        if kind == "app":
            owner_says(backend.database, chat_id, body.body)
            return
        if not phone or not number:
            raise DomainError(422, "no_number", "This chat has no number to text in from.")
        answer = requests.post(
            f"{sandbox_url}/sandbox/inbound",
            json={"from": phone, "to": number, "body": body.body},
            timeout=30,
        )
        if answer.status_code != 200:
            raise DomainError(502, "sandbox_refused", "The demo's SMS sandbox refused the text.")

    return router
