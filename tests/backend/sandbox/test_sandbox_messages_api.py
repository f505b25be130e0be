"""Messages API over raw HTTP: authentication, validation order, list paging and filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sandbox_support import CLINIC, OWNER, SID, TOKEN, Sandbox, assert_twilio_error

from backend.sandbox import create_sandbox_app

# -- authentication -----------------------------------------------------------------------


def test_wrong_account_sid_in_path_is_401(sandbox: Sandbox) -> None:
    other = "AC" + "f" * 32
    response = requests.post(
        f"{sandbox.url}/2010-04-01/Accounts/{other}/Messages.json",
        data={"To": OWNER, "From": CLINIC, "Body": "hi"},
        auth=(SID, TOKEN),
        timeout=5,
    )
    body = assert_twilio_error(response, 401, 20003)
    assert body["message"] == "Authenticate"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer abc"},
        {"Authorization": "Basic not-base64!"},
        {"Authorization": "Basic " + "QUM6"},  # "AC:" - wrong user, empty password
    ],
)
def test_bad_credentials_are_401(sandbox: Sandbox, headers: dict[str, str]) -> None:
    response = requests.get(f"{sandbox.api}/Messages.json", headers=headers, timeout=5)
    assert_twilio_error(response, 401, 20003)
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_authentication_comes_before_validation(sandbox: Sandbox) -> None:
    response = requests.post(f"{sandbox.api}/Messages.json", data={}, timeout=5)
    assert_twilio_error(response, 401, 20003)


# -- create validation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"From": CLINIC, "Body": "hi"}, 21604),
        ({"To": "", "From": CLINIC, "Body": "hi"}, 21604),
        ({"To": "447700900123", "From": CLINIC, "Body": "hi"}, 21211),
        ({"To": "+0447700900123", "From": CLINIC, "Body": "hi"}, 21211),
        ({"To": OWNER, "Body": "hi"}, 21603),
        ({"To": OWNER, "From": "not a number!", "Body": "hi"}, 21212),
        ({"To": OWNER, "MessagingServiceSid": "MG123", "Body": "hi"}, 21701),
        ({"To": OWNER, "From": CLINIC}, 21602),
        ({"To": OWNER, "From": CLINIC, "Body": "   "}, 21602),
        ({"To": OWNER, "From": CLINIC, "Body": "x" * 1601}, 21617),
        ({"To": OWNER, "From": OWNER, "Body": "hi"}, 21211),
        ({"To": OWNER, "From": CLINIC, "Body": "hi", "StatusCallback": "ftp://x/y"}, 21609),
    ],
)
def test_create_validation(sandbox: Sandbox, form: dict[str, str], code: int) -> None:
    assert_twilio_error(sandbox.send(**form), 400, code)


def test_invalid_to_message_names_the_number(sandbox: Sandbox) -> None:
    body = assert_twilio_error(sandbox.send(To="07400123456", From=CLINIC, Body="hi"), 400, 21211)
    assert body["message"] == "The 'To' number 07400123456 is not a valid phone number."


def test_longest_body_and_unknown_params_are_accepted(sandbox: Sandbox) -> None:
    response = sandbox.send(To=OWNER, From=CLINIC, Body="x" * 1600, SmartEncoded="true")
    assert response.status_code == 201
    assert response.json()["num_segments"] == "11"


def test_alphanumeric_sender_and_media_only(sandbox: Sandbox) -> None:
    assert sandbox.send(To=OWNER, From="VETCLINIC", Body="hi").json()["from"] == "VETCLINIC"
    media = sandbox.send(To=OWNER, From=CLINIC, MediaUrl="https://example.com/xray.png").json()
    assert media["sid"].startswith("MM")
    assert media["num_media"] == "1"


def test_unknown_message_is_404(sandbox: Sandbox) -> None:
    sid = "SM" + "0" * 32
    body = assert_twilio_error(sandbox.get(f"/Messages/{sid}.json"), 404, 20404)
    assert sid in body["message"]


# -- list ---------------------------------------------------------------------------------


def send_many(sandbox: Sandbox, count: int, to: str = OWNER) -> list[str]:
    return [sandbox.send(To=to, From=CLINIC, Body=f"m{n}").json()["sid"] for n in range(count)]


def query(uri: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(uri).query)


def test_empty_list_shape(sandbox: Sandbox) -> None:
    page = sandbox.get("/Messages.json").json()
    assert page["messages"] == []
    assert (page["page"], page["page_size"], page["start"], page["end"]) == (0, 50, 0, 0)
    assert page["next_page_uri"] is None and page["previous_page_uri"] is None
    assert page["uri"] == f"/2010-04-01/Accounts/{SID}/Messages.json?PageSize=50&Page=0"
    assert page["first_page_uri"] == page["uri"]


def test_paging_with_tokens_and_previous_pages(sandbox: Sandbox) -> None:
    sids = send_many(sandbox, 5)[::-1]  # newest first
    first = sandbox.get("/Messages.json", To=OWNER, PageSize="2").json()
    assert [m["sid"] for m in first["messages"]] == sids[:2]
    assert (first["start"], first["end"]) == (0, 1)
    assert query(first["next_page_uri"]) == {
        "To": [OWNER],
        "PageSize": ["2"],
        "Page": ["1"],
        "PageToken": [f"PA{sids[1]}"],
    }

    # A message arriving mid-paging does not shift the next page.
    send_many(sandbox, 1)
    second = requests.get(sandbox.url + first["next_page_uri"], auth=(SID, TOKEN), timeout=5)
    second = second.json()
    assert [m["sid"] for m in second["messages"]] == sids[2:4]
    assert (second["page"], second["start"], second["end"]) == (1, 2, 3)

    back = requests.get(sandbox.url + second["previous_page_uri"], auth=(SID, TOKEN), timeout=5)
    assert [m["sid"] for m in back.json()["messages"]] == sids[:2]

    third = requests.get(sandbox.url + second["next_page_uri"], auth=(SID, TOKEN), timeout=5)
    third = third.json()
    assert [m["sid"] for m in third["messages"]] == sids[4:]
    assert third["next_page_uri"] is None


def test_page_index_without_token(sandbox: Sandbox) -> None:
    sids = send_many(sandbox, 3)[::-1]
    page = sandbox.get("/Messages.json", PageSize="2", Page="1").json()
    assert [m["sid"] for m in page["messages"]] == sids[2:]
    assert page["next_page_uri"] is None
    assert page["previous_page_uri"] is not None
    assert sandbox.get("/Messages.json", PageSize="2", Page="5").json()["messages"] == []


def test_filters_by_from_and_to(sandbox: Sandbox) -> None:
    sandbox.send(To=OWNER, From=CLINIC, Body="a")
    sandbox.send(To=OWNER, From="+447700900501", Body="b")
    sandbox.send(To="+447700900124", From=CLINIC, Body="c")
    bodies = [m["body"] for m in sandbox.get("/Messages.json", From=CLINIC).json()["messages"]]
    assert bodies == ["c", "a"]
    page = sandbox.get("/Messages.json", From=CLINIC, To=OWNER).json()
    assert [m["body"] for m in page["messages"]] == ["a"]


def test_date_sent_filters(sandbox: Sandbox) -> None:
    send_many(sandbox, 2)
    now = datetime.now(UTC)
    today, yesterday, tomorrow = now.date(), now.date() - timedelta(1), now.date() + timedelta(1)
    instant = (now - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def count(**params: str) -> int:
        response = sandbox.get("/Messages.json", **params)
        assert response.status_code == 200, response.text
        return len(response.json()["messages"])

    assert count(DateSent=today.isoformat()) == 2
    assert count(DateSent=yesterday.isoformat()) == 0
    assert count(**{"DateSent<": today.isoformat()}) == 2  # on or before
    assert count(**{"DateSent<": yesterday.isoformat()}) == 0
    assert count(**{"DateSent>": today.isoformat()}) == 2  # on or after
    assert count(**{"DateSent>": tomorrow.isoformat()}) == 0
    assert count(**{"DateSent>": instant}) == 2  # twilio-python's datetime form
    assert count(**{"DateSent<": instant}) == 0
    assert count(**{"DateSent>": format_datetime(now - timedelta(minutes=1))}) == 2


@pytest.mark.parametrize(
    "params",
    [
        {"PageSize": "0"},
        {"PageSize": "1001"},
        {"PageSize": "many"},
        {"Page": "-1"},
        {"DateSent": "yesterday"},
        {"PageToken": "PAnot-a-sid"},
    ],
)
def test_bad_list_params_are_400(sandbox: Sandbox, params: dict[str, str]) -> None:
    assert_twilio_error(sandbox.get("/Messages.json", **params), 400, 20001)


def test_page_size_limits(sandbox: Sandbox) -> None:
    send_many(sandbox, 3)
    assert len(sandbox.get("/Messages.json", PageSize="1").json()["messages"]) == 1
    assert len(sandbox.get("/Messages.json", PageSize="1000").json()["messages"]) == 3


# -- control endpoints and factory --------------------------------------------------------


def test_health_needs_no_auth(sandbox: Sandbox) -> None:
    assert requests.get(f"{sandbox.url}/sandbox/health", timeout=5).json() == {"ok": True}


def test_reset_forgets_messages(sandbox: Sandbox) -> None:
    send_many(sandbox, 2)
    requests.post(f"{sandbox.url}/sandbox/reset", timeout=5).raise_for_status()
    assert sandbox.get("/Messages.json").json()["messages"] == []


@pytest.mark.parametrize("delays", [(-1.0, 0.0), (0.0,)])
def test_factory_rejects_bad_delays(delays: tuple[float, float]) -> None:
    with pytest.raises(ValueError, match="status_delays"):
        create_sandbox_app(SID, TOKEN, status_delays=delays)
