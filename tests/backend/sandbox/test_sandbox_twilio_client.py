"""twilio-python, unmodified, against the sandbox: what the backend's adapter will do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sandbox_support import CLINIC, OWNER, SID, Sandbox
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from backend.sandbox import (
    NOT_MOBILE,
    RATE_LIMITED,
    SERVER_ERROR,
    UNSUBSCRIBED,
)


def test_create_and_fetch(client: Client) -> None:
    sent = client.messages.create(to=OWNER, from_=CLINIC, body="Bella's vaccines are due")
    assert sent.sid.startswith("SM") and len(sent.sid) == 34
    assert sent.status == "queued"
    assert sent.account_sid == SID
    assert sent.num_segments == "1"
    assert sent.date_created is not None  # parsed from RFC 2822 by twilio-python

    fetched = client.messages(sent.sid).fetch()
    assert fetched.sid == sent.sid
    assert fetched.body == "Bella's vaccines are due"
    assert fetched.to == OWNER
    assert fetched.from_ == CLINIC


def test_num_segments_counts_unicode_and_long_text(client: Client) -> None:
    assert client.messages.create(to=OWNER, from_=CLINIC, body="x" * 161).num_segments == "2"
    assert client.messages.create(to=OWNER, from_=CLINIC, body="🐶" * 36).num_segments == "2"


def test_list_pages_through_everything(client: Client) -> None:
    bodies = [f"reminder {n}" for n in range(7)]
    for body in bodies:
        client.messages.create(to=OWNER, from_=CLINIC, body=body)
    client.messages.create(to="+447700900777", from_=CLINIC, body="someone else")

    listed = client.messages.list(to=OWNER, page_size=2)
    assert [m.body for m in listed] == bodies[::-1]  # newest first, across 4 pages
    assert [m.body for m in client.messages.list(to=OWNER, limit=3, page_size=2)] == [
        "reminder 6",
        "reminder 5",
        "reminder 4",
    ]
    assert len(list(client.messages.stream(page_size=3))) == 8


def test_wrong_token_is_401(sandbox: Sandbox) -> None:
    intruder = Client(SID, "wrong-token")
    intruder.api.base_url = sandbox.url
    with pytest.raises(TwilioRestException) as caught:
        intruder.messages.create(to=OWNER, from_=CLINIC, body="hi")
    assert caught.value.status == 401
    assert caught.value.code == 20003


@pytest.mark.parametrize(
    ("to", "status", "code"),
    [
        ("07400123456", 400, 21211),  # national format, not E.164
        (UNSUBSCRIBED, 400, 21610),
        (NOT_MOBILE, 400, 21614),
    ],
)
def test_refusals_raise_twilio_errors(client: Client, to: str, status: int, code: int) -> None:
    with pytest.raises(TwilioRestException) as caught:
        client.messages.create(to=to, from_=CLINIC, body="hi")
    assert (caught.value.status, caught.value.code) == (status, code)


@pytest.mark.parametrize(
    ("to", "status", "code"), [(RATE_LIMITED, 429, 20429), (SERVER_ERROR, 500, 20500)]
)
def test_flaky_numbers_fail_once_per_body(client: Client, to: str, status: int, code: int) -> None:
    with pytest.raises(TwilioRestException) as caught:
        client.messages.create(to=to, from_=CLINIC, body="first try")
    assert (caught.value.status, caught.value.code) == (status, code)
    # The retry of the same body goes through; a new body fails once again.
    assert client.messages.create(to=to, from_=CLINIC, body="first try").status == "queued"
    with pytest.raises(TwilioRestException):
        client.messages.create(to=to, from_=CLINIC, body="another body")


def test_date_filters_as_twilio_python_sends_them(client: Client) -> None:
    client.messages.create(to=OWNER, from_=CLINIC, body="today")
    now = datetime.now(UTC)
    assert len(client.messages.list(date_sent_after=now - timedelta(minutes=5))) == 1
    assert client.messages.list(date_sent_before=now - timedelta(minutes=5)) == []
    assert len(client.messages.list(date_sent=now)) == 1


def test_incoming_phone_number_create(client: Client, sandbox: Sandbox) -> None:
    number = client.incoming_phone_numbers.create(
        phone_number=CLINIC, sms_url=f"{sandbox.url}/sandbox/health", sms_method="GET"
    )
    assert number.sid.startswith("PN")
    assert (number.phone_number, number.sms_method) == (CLINIC, "GET")


def test_inbound_webhook_back_into_the_sandbox_does_not_deadlock(
    client: Client, sandbox: Sandbox
) -> None:
    # The inbound endpoint waits on its webhook; if it blocked the event loop, a webhook
    # served by the same app could never be answered.
    client.incoming_phone_numbers.create(
        phone_number=CLINIC, sms_url=f"{sandbox.url}/sandbox/health", sms_method="GET"
    )
    result = sandbox.text_in(OWNER, CLINIC, "hi").json()
    assert (result["webhook_status"], result["webhook_error"]) == (200, None)
