"""The SMS gateway through the real backend and the provider sandbox: retries that never
text twice, refusals, receipts, keywords, webhook replays and continuing in the app."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from twilio.request_validator import RequestValidator

from backend.admin import add_owner
from backend.demo import DEMO_AUTH_TOKEN, EmbeddedDemo
from backend.sandbox import (
    LOST_ANSWER,
    RATE_LIMITED,
    SERVER_ERROR,
    SLOW_ANSWER,
    UNREACHABLE,
    UNSUBSCRIBED,
)
from tests.support import CLINIC_SMS, BackendClient, sandbox_messages, text_in, wait_until


@pytest.fixture
def fast_demo(tmp_path: Path) -> Iterator[EmbeddedDemo]:
    """The demo with a 1 s provider timeout, so a slow answer counts as lost."""
    stack = EmbeddedDemo(tmp_path / "server", provider_timeout="1").start()
    yield stack
    stack.stop()


def _chat_with(demo: EmbeddedDemo, alex: BackendClient, number: str) -> int:
    """Magic numbers are not valid mobiles, so the owner texts first to open the chat."""
    text_in(demo, number, "Hello")
    chats = [c["data"] for c in alex.sync()["changes"] if c["type"] == "chat"]
    return int(next(c["id"] for c in reversed(chats) if c["phone"] == number))


def _final(alex: BackendClient, chat_id: int, body: str) -> dict:
    return wait_until(
        lambda: next(
            (
                m
                for m in alex.messages(chat_id)
                if m["body"] == body and m["status"] in {"delivered", "failed", "undelivered"}
            ),
            None,
        ),
        timeout=20,
        what=f"a final status for {body!r}",
    )


@pytest.mark.parametrize("number", [LOST_ANSWER, SERVER_ERROR, RATE_LIMITED])
def test_unknown_outcomes_are_reconciled_and_never_sent_twice(
    demo: EmbeddedDemo, alex: BackendClient, number: str
) -> None:
    chat_id = _chat_with(demo, alex, number)
    assert alex.send(chat_id, "Bella is ready to collect", "g-1").status_code == 201
    assert _final(alex, chat_id, "Bella is ready to collect")["status"] == "delivered"
    bodies = [m["body"] for m in sandbox_messages(demo, number)]
    assert bodies.count("Bella is ready to collect") == 1
    assert len(bodies) == 2  # the welcome, then the message: each exactly once


def test_a_timed_out_send_is_found_at_the_provider_not_resent(
    fast_demo: EmbeddedDemo,
) -> None:
    alex = BackendClient(fast_demo).sign_in("alex@riverside.example")
    chat_id = _chat_with(fast_demo, alex, SLOW_ANSWER)
    alex.send(chat_id, "Slow network today", "s-1")
    assert _final(alex, chat_id, "Slow network today")["status"] == "delivered"
    bodies = [m["body"] for m in sandbox_messages(fast_demo, SLOW_ANSWER)]
    assert bodies.count("Slow network today") == 1


def test_the_providers_unsubscribed_refusal_opts_the_number_out(
    demo: EmbeddedDemo, alex: BackendClient
) -> None:
    chat_id = _chat_with(demo, alex, UNSUBSCRIBED)
    alex.send(chat_id, "Are you there?", "u-1")
    failed = wait_until(
        lambda: next((m for m in alex.messages(chat_id) if m["status"] == "failed"), None),
        what="the refusal",
    )
    assert failed["error_code"] == 21610
    chat = [c["data"] for c in alex.sync()["changes"] if c["type"] == "chat"][-1]
    assert chat["opted_out"] is True
    refused = alex.send(chat_id, "Hello?", "u-2")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "opted_out"


def test_delivery_failures_arrive_with_their_error_code(
    demo: EmbeddedDemo, alex: BackendClient
) -> None:
    chat_id = _chat_with(demo, alex, UNREACHABLE)
    alex.send(chat_id, "Phone off?", "f-1")
    final = _final(alex, chat_id, "Phone off?")
    assert (final["status"], final["error_code"]) == ("failed", 30003)


@pytest.mark.parametrize(
    ("body", "opted_out"),
    [
        ("STOPALL", True),
        ("  Unsubscribe\n", True),
        ("optout", True),
        ("Stop please", False),
        ("OPT OUT", False),
        ("HELP", False),
    ],
)
def test_opt_out_keywords_match_twilios(
    demo: EmbeddedDemo, alex: BackendClient, body: str, opted_out: bool
) -> None:
    text_in(demo, "+447400123456", body)
    chat = [c["data"] for c in alex.sync()["changes"] if c["type"] == "chat"][-1]
    assert chat["opted_out"] is opted_out
    time.sleep(0.2)
    assert sandbox_messages(demo, "+447400123456") == []  # Twilio answers keywords itself


def test_opting_back_in_with_unstop(demo: EmbeddedDemo, alex: BackendClient) -> None:
    text_in(demo, "+447400123456", "stop")
    text_in(demo, "+447400123456", "UNSTOP")
    chat = [c["data"] for c in alex.sync()["changes"] if c["type"] == "chat"][-1]
    assert chat["opted_out"] is False


def test_a_replayed_webhook_is_stored_once(demo: EmbeddedDemo, alex: BackendClient) -> None:
    url = f"{demo.backend_url}/webhooks/twilio/sms"
    form = {
        "MessageSid": "SM" + "ab" * 16,
        "From": "+447400123456",
        "To": CLINIC_SMS,
        "Body": "Only once please",
        "NumMedia": "0",
    }
    signature = RequestValidator(DEMO_AUTH_TOKEN).compute_signature(url, form)
    for _ in range(3):
        answer = requests.post(
            url, data=form, headers={"X-Twilio-Signature": signature}, timeout=10
        )
        assert answer.status_code == 200
    messages = [c["data"] for c in alex.sync()["changes"] if c["type"] == "message"]
    assert [m["body"] for m in messages] == ["Only once please"]


def test_a_chat_continues_in_the_app_when_the_owner_registers(
    demo: EmbeddedDemo, alex: BackendClient
) -> None:
    chat = alex.start_sms_chat("07400 123456").json()["chat"]
    assert demo.database is not None
    with demo.database.write() as session:
        add_owner(session, alex.me["group"]["id"], "Priya Shah", "07400 123456", [("Rex", "dog")])
    changes = alex.sync()["changes"]
    linked = [c["data"] for c in changes if c["type"] == "chat"][-1]
    assert linked["id"] == chat["id"]
    assert linked["owner_name"] == "Priya Shah" and linked["is_guest"] is False
    notes = [
        c["data"]
        for c in changes
        if c["type"] == "message" and c["data"]["direction"] == "internal"
    ]
    assert len(notes) == 1 and "continue in the app" in notes[0]["body"]
