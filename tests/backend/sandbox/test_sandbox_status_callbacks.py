"""Status callbacks: signed, in order, off the request path, and never fatal."""

from __future__ import annotations

import logging
import time

import pytest
from sandbox_support import (
    CLINIC,
    OWNER,
    SID,
    Receiver,
    Sandbox,
    status_hooks,
    wait_for_status,
)

from backend.sandbox import UNDELIVERED, UNREACHABLE

CALLBACK_KEYS = {
    "MessageSid",
    "SmsSid",
    "AccountSid",
    "From",
    "To",
    "MessageStatus",
    "SmsStatus",
    "ApiVersion",
}


def test_sent_then_delivered_signed(sandbox: Sandbox, receiver: Receiver) -> None:
    sid = sandbox.send(
        To=OWNER,
        From=CLINIC,
        Body="Your appointment is at 3pm",
        StatusCallback=f"{receiver.url}/status",
    ).json()["sid"]

    hooks = receiver.wait_for(status_hooks(sid), count=2)
    assert [h.params["MessageStatus"] for h in hooks] == ["sent", "delivered"]
    for hook in hooks:
        assert hook.method == "POST"
        assert set(hook.params) == CALLBACK_KEYS  # no ErrorCode when there is none
        assert hook.params["SmsStatus"] == hook.params["MessageStatus"]
        assert hook.params["AccountSid"] == SID
        assert (hook.params["From"], hook.params["To"]) == (CLINIC, OWNER)
        assert hook.params["ApiVersion"] == "2010-04-01"
        assert hook.signature_valid()
        assert not hook.signature_valid("some-other-token")
    message = wait_for_status(sandbox, sid, "delivered")
    assert message["error_code"] is None


def test_no_callback_for_queued(sandbox: Sandbox, receiver: Receiver) -> None:
    sid = sandbox.send(To=OWNER, From=CLINIC, Body="hi", StatusCallback=f"{receiver.url}/status")
    sid = sid.json()["sid"]
    receiver.wait_for(status_hooks(sid), count=2)
    time.sleep(0.1)
    statuses = [h.params["MessageStatus"] for h in receiver.hooks(status_hooks(sid))]
    assert statuses == ["sent", "delivered"]


def test_unreachable_handset_fails_with_30003(sandbox: Sandbox, receiver: Receiver) -> None:
    response = sandbox.send(
        To=UNREACHABLE, From=CLINIC, Body="hi", StatusCallback=f"{receiver.url}/status"
    )
    assert response.status_code == 201
    sid = response.json()["sid"]
    (hook,) = receiver.wait_for(status_hooks(sid))
    assert hook.params["MessageStatus"] == "failed"
    assert hook.params["ErrorCode"] == "30003"
    assert hook.signature_valid()
    message = wait_for_status(sandbox, sid, "failed")
    assert message["error_code"] == 30003
    assert message["error_message"] == "Unreachable destination handset"


def test_undelivered_goes_sent_then_undelivered_30005(sandbox: Sandbox, receiver: Receiver) -> None:
    sid = sandbox.send(
        To=UNDELIVERED, From=CLINIC, Body="hi", StatusCallback=f"{receiver.url}/status"
    )
    hooks = receiver.wait_for(status_hooks(sid.json()["sid"]), count=2)
    assert [h.params["MessageStatus"] for h in hooks] == ["sent", "undelivered"]
    assert "ErrorCode" not in hooks[0].params
    assert hooks[1].params["ErrorCode"] == "30005"


def test_status_progresses_without_callback(sandbox: Sandbox, receiver: Receiver) -> None:
    sid = sandbox.send(To=OWNER, From=CLINIC, Body="hi").json()["sid"]
    wait_for_status(sandbox, sid, "delivered")
    assert receiver.hooks() == []


def test_callback_failures_are_logged_and_dropped(
    sandbox: Sandbox, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="backend.sandbox")
    refused = sandbox.send(
        To=OWNER, From=CLINIC, Body="secret body", StatusCallback="http://127.0.0.1:9/closed"
    ).json()["sid"]
    erroring = sandbox.send(
        To=OWNER, From=CLINIC, Body="secret body", StatusCallback=f"{receiver.url}/fail/500"
    ).json()["sid"]
    wait_for_status(sandbox, refused, "delivered")
    wait_for_status(sandbox, erroring, "delivered")

    # The worker survived: a later message still gets its callbacks.
    later = sandbox.send(To=OWNER, From=CLINIC, Body="hi", StatusCallback=f"{receiver.url}/status")
    receiver.wait_for(status_hooks(later.json()["sid"]), count=2)

    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(refused in w for w in warnings)
    assert any(erroring in w and "500" in w for w in warnings)
    for text in warnings:
        assert "secret body" not in text
        assert OWNER not in text and OWNER[-3:] in text
