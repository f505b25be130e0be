"""Texting in as an owner: stored, webhook delivered synchronously and signed, STOP/START."""

from __future__ import annotations

import pytest
import requests
from sandbox_support import (
    CLINIC,
    OWNER,
    SID,
    TOKEN,
    Receiver,
    Sandbox,
    assert_twilio_error,
)

INBOUND_KEYS = {
    "MessageSid",
    "SmsSid",
    "SmsMessageSid",
    "AccountSid",
    "From",
    "To",
    "Body",
    "NumMedia",
    "NumSegments",
    "SmsStatus",
    "ApiVersion",
}


def register(sandbox: Sandbox, number: str, sms_url: str, method: str = "POST") -> None:
    response = requests.post(
        f"{sandbox.api}/IncomingPhoneNumbers.json",
        data={"PhoneNumber": number, "SmsUrl": sms_url, "SmsMethod": method},
        auth=(SID, TOKEN),
        timeout=5,
    )
    assert response.status_code == 201, response.text


def test_inbound_delivers_signed_webhook(sandbox: Sandbox, receiver: Receiver) -> None:
    response = sandbox.text_in(OWNER, CLINIC, "Can I book Milo in for Tuesday? 🐱")
    assert response.status_code == 200
    result = response.json()
    assert result["webhook_status"] == 200
    assert result["webhook_error"] is None
    message = result["message"]
    assert message["direction"] == "inbound"
    assert message["status"] == "received"
    assert message["sid"].startswith("SM")

    # Synchronous: the webhook has landed by the time the control call returns.
    (hook,) = receiver.hooks(lambda h: h.path == "/sms")
    assert hook.method == "POST"
    assert set(hook.params) == INBOUND_KEYS
    assert hook.params["MessageSid"] == hook.params["SmsMessageSid"] == message["sid"]
    assert hook.params["AccountSid"] == SID
    assert (hook.params["From"], hook.params["To"]) == (OWNER, CLINIC)
    assert hook.params["Body"] == "Can I book Milo in for Tuesday? 🐱"
    assert hook.params["NumMedia"] == "0"
    assert hook.params["NumSegments"] == "1"
    assert hook.params["SmsStatus"] == "received"
    assert hook.params["ApiVersion"] == "2010-04-01"
    assert hook.signature_valid()

    fetched = sandbox.get(f"/Messages/{message['sid']}.json").json()
    assert fetched == message


def test_registered_number_uses_its_own_sms_url(sandbox: Sandbox, receiver: Receiver) -> None:
    register(sandbox, CLINIC, f"{receiver.url}/clinic-sms?clinic=7", method="GET")
    assert sandbox.text_in(OWNER, CLINIC, "hello").json()["webhook_status"] == 200
    (hook,) = receiver.hooks()
    assert hook.path == "/clinic-sms"
    assert hook.method == "GET"
    assert hook.params["clinic"] == "7" and hook.params["Body"] == "hello"
    assert hook.signature_valid()
    # Other numbers still go to the default sms_url.
    sandbox.text_in(OWNER, "+447700900501", "hi")
    assert receiver.hooks()[-1].path == "/sms"


def test_unreachable_or_failing_webhook_is_reported(sandbox: Sandbox, receiver: Receiver) -> None:
    register(sandbox, CLINIC, "http://127.0.0.1:9/nothing-here")
    result = sandbox.text_in(OWNER, CLINIC, "hi").json()
    assert result["webhook_status"] is None
    assert "could not reach" in result["webhook_error"]
    assert result["message"]["status"] == "received"  # stored anyway

    register(sandbox, CLINIC, f"{receiver.url}/fail/403")
    result = sandbox.text_in(OWNER, CLINIC, "hi").json()
    assert result["webhook_status"] == 403
    assert "403" in result["webhook_error"]


def test_stop_blocks_sends_until_start(sandbox: Sandbox, receiver: Receiver) -> None:
    assert sandbox.send(To=OWNER, From=CLINIC, Body="before").status_code == 201

    assert sandbox.text_in(OWNER, CLINIC, "  stop ").json()["webhook_status"] == 200
    assert receiver.hooks()[-1].params["Body"] == "  stop "  # still delivered to the app
    assert_twilio_error(sandbox.send(To=OWNER, From=CLINIC, Body="blocked"), 400, 21610)
    # Only that clinic number is blocked, and a Messaging Service send is blocked too.
    assert sandbox.send(To=OWNER, From="+447700900501", Body="other").status_code == 201
    service_send = sandbox.send(To=OWNER, MessagingServiceSid="MG" + "0" * 32, Body="x")
    assert_twilio_error(service_send, 400, 21610)

    sandbox.text_in(OWNER, CLINIC, "Start")
    assert sandbox.send(To=OWNER, From=CLINIC, Body="after").status_code == 201


@pytest.mark.parametrize(
    "word", ["STOPALL", "unsubscribe", "Cancel", "END", "quit", "REVOKE", "optout"]
)
def test_all_opt_out_keywords(sandbox: Sandbox, word: str) -> None:
    sandbox.text_in(OWNER, CLINIC, word)
    assert_twilio_error(sandbox.send(To=OWNER, From=CLINIC, Body="x"), 400, 21610)
    sandbox.text_in(OWNER, CLINIC, "unstop")
    assert sandbox.send(To=OWNER, From=CLINIC, Body="x").status_code == 201


def test_keyword_must_be_whole_body(sandbox: Sandbox) -> None:
    sandbox.text_in(OWNER, CLINIC, "please stop the reminders for Rex")
    assert sandbox.send(To=OWNER, From=CLINIC, Body="x").status_code == 201


@pytest.mark.parametrize(
    "payload",
    [
        {"from": "07700900123", "to": CLINIC, "body": "hi"},
        {"from": OWNER, "to": "clinic", "body": "hi"},
        {"from": OWNER, "to": CLINIC, "body": ""},
        {"from": OWNER, "to": CLINIC},
        {"from": OWNER, "to": CLINIC, "body": 5},
    ],
)
def test_inbound_rejects_bad_input(sandbox: Sandbox, payload: dict[str, object]) -> None:
    response = requests.post(f"{sandbox.url}/sandbox/inbound", json=payload, timeout=5)
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "more_info", "status"}


def test_inbound_rejects_non_json(sandbox: Sandbox) -> None:
    response = requests.post(f"{sandbox.url}/sandbox/inbound", data="nope", timeout=5)
    assert response.status_code == 400
