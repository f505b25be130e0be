"""The backend's provider adapter and the sandbox agree with Twilio's OpenAPI description."""

from __future__ import annotations

import pytest
import requests
from sandbox_support import CLINIC, OWNER, SID, TOKEN, Contract, Receiver, Sandbox

from backend.sandbox import RATE_LIMITED, UNSUBSCRIBED
from backend.sms_gateway.provider import ProviderError, TwilioProvider


def _recording(provider: TwilioProvider) -> list[requests.Response]:
    seen: list[requests.Response] = []
    provider.session.hooks["response"].append(lambda response, **_: seen.append(response))
    return seen


def test_adapter_request_and_answer_match_the_contract(
    sandbox: Sandbox, contract: Contract, receiver: Receiver
) -> None:
    provider = TwilioProvider(sandbox.url, SID, TOKEN)
    seen = _recording(provider)
    sent = provider.send(
        to=OWNER, from_=CLINIC, body="Rex is ready", status_callback=f"{receiver.url}/status"
    )
    assert sent.sid.startswith("SM") and sent.status == "queued"
    assert len(seen) == 1
    contract.check_request(seen[0])
    contract.check_response(seen[0])


def test_adapter_maps_refusals_and_retries_rate_limits(sandbox: Sandbox) -> None:
    provider = TwilioProvider(sandbox.url, SID, TOKEN)
    with pytest.raises(ProviderError) as refused:
        provider.send(to=UNSUBSCRIBED, from_=CLINIC, body="hello")
    assert refused.value.code == 21610
    assert not refused.value.is_transient
    seen = _recording(provider)
    assert provider.send(to=RATE_LIMITED, from_=CLINIC, body="busy").sid.startswith("SM")
    assert [r.status_code for r in seen] == [201]  # the 429 was retried inside urllib3

    wrong = TwilioProvider(sandbox.url, SID, "wrong-token")
    with pytest.raises(ProviderError) as denied:
        wrong.send(to=OWNER, from_=CLINIC, body="hello")
    assert denied.value.http_status == 401
