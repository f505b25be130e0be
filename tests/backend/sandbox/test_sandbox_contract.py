"""The sandbox against Twilio's own OpenAPI description (contracts/twilio_api_v2010.json)."""

from __future__ import annotations

import json

import pytest
import requests
from openapi_core.exceptions import OpenAPIError
from sandbox_support import (
    CLINIC,
    OWNER,
    SID,
    TOKEN,
    Contract,
    Receiver,
    Sandbox,
    assert_twilio_error,
)


def test_validator_builds_quickly(contract: Contract) -> None:
    # Pruned to three paths the 1.8 MB description loads and builds in well under a second.
    assert contract.build_seconds < 3.0


def test_backend_style_send_and_201_match_contract(
    sandbox: Sandbox, contract: Contract, receiver: Receiver
) -> None:
    response = sandbox.send(
        To=OWNER,
        From=CLINIC,
        Body="Rex is ready for collection",
        StatusCallback=f"{receiver.url}/status",
    )
    contract.check_request(response)
    contract.check_response(response)
    assert response.status_code == 201
    message = response.json()
    assert message["status"] == "queued"
    assert message["direction"] == "outbound-api"
    assert message["num_segments"] == "1"
    assert message["num_media"] == "0"
    assert message["price"] is None
    assert message["price_unit"] == "GBP"
    assert message["messaging_service_sid"] is None
    assert message["uri"] == f"/2010-04-01/Accounts/{SID}/Messages/{message['sid']}.json"
    assert message["subresource_uris"]["media"].endswith(f"/Messages/{message['sid']}/Media.json")
    assert message["date_created"].endswith(" +0000")


def test_messaging_service_send_matches_contract(sandbox: Sandbox, contract: Contract) -> None:
    service_sid = "MG" + "ab" * 16
    response = sandbox.send(To=OWNER, MessagingServiceSid=service_sid, Body="Hello")
    contract.check_request(response)
    contract.check_response(response)
    assert response.json()["from"] is None
    assert response.json()["messaging_service_sid"] == service_sid


def test_fetch_matches_contract(sandbox: Sandbox, contract: Contract) -> None:
    sid = sandbox.send(To=OWNER, From=CLINIC, Body="hi").json()["sid"]
    response = requests.get(f"{sandbox.api}/Messages/{sid}.json", auth=(SID, TOKEN), timeout=5)
    contract.check_request(response)
    contract.check_response(response)
    assert response.json()["sid"] == sid


def test_list_pages_match_contract(sandbox: Sandbox, contract: Contract) -> None:
    for n in range(3):
        sandbox.send(To=OWNER, From=CLINIC, Body=f"m{n}")
    url = f"{sandbox.api}/Messages.json?To=%2B447700900123&PageSize=2"
    seen = []
    while url:
        response = requests.get(url, auth=(SID, TOKEN), timeout=5)
        contract.check_request(response)
        contract.check_response(response)
        page = response.json()
        seen += [m["body"] for m in page["messages"]]
        url = page["next_page_uri"] and sandbox.url + page["next_page_uri"]
    assert seen == ["m2", "m1", "m0"]


def test_incoming_phone_number_matches_contract(sandbox: Sandbox, contract: Contract) -> None:
    response = requests.post(
        f"{sandbox.api}/IncomingPhoneNumbers.json",
        data={"PhoneNumber": CLINIC, "SmsUrl": "http://127.0.0.1:9/sms", "SmsMethod": "POST"},
        auth=(SID, TOKEN),
        timeout=5,
    )
    contract.check_request(response)
    contract.check_response(response)
    body = response.json()
    assert response.status_code == 201
    assert body["sid"].startswith("PN") and len(body["sid"]) == 34
    assert body["phone_number"] == CLINIC
    assert body["sms_url"] == "http://127.0.0.1:9/sms"


def test_errors_use_twilio_error_body(sandbox: Sandbox) -> None:
    assert_twilio_error(sandbox.send(From=CLINIC, Body="x"), 400, 21604)
    missing = requests.get(
        f"{sandbox.api}/Messages/SM{'0' * 32}.json", auth=(SID, TOKEN), timeout=5
    )
    assert_twilio_error(missing, 404, 20404)
    unauthenticated = requests.get(f"{sandbox.api}/Messages.json", timeout=5)
    assert_twilio_error(unauthenticated, 401, 20003)
    assert unauthenticated.json()["message"] == "Authenticate"
    unknown_route = requests.get(f"{sandbox.api}/Calls.json", auth=(SID, TOKEN), timeout=5)
    assert_twilio_error(unknown_route, 404, 20404)


def test_contract_catches_drift(sandbox: Sandbox, contract: Contract) -> None:
    # Guards the guard: a response missing a property or with a wrong type must fail.
    response = sandbox.send(To=OWNER, From=CLINIC, Body="hi")
    for mutate in (lambda m: m.pop("price"), lambda m: m.update(num_segments=1)):
        message = response.json()
        mutate(message)
        response._content = json.dumps(message).encode()
        with pytest.raises(OpenAPIError):
            contract.check_response(response)
