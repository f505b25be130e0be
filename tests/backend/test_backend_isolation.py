"""One clinic group never sees or changes another's data: every endpoint, walked as a
member of another group, answers 403/404 and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from backend.admin import load_groups
from backend.demo import EmbeddedDemo
from tests.support import BackendClient, text_in, wait_until

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
OTHER_GROUP = {
    "groups": [
        {
            "name": "Other Group",
            "clinics": [{"name": "Elsewhere Vets", "sms_number": "+447700900600"}],
            "staff": [{"name": "Eve", "email": "eve@other.example", "password": "pw-eve-123"}],
            "owners": [{"name": "Olive", "phone": "+447400999001", "pets": [{"name": "Pip"}]}],
        }
    ]
}


def _calls(ids: dict[str, int]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """For every route that names something of the demo group: requests that try to."""
    chat = ids["chat"]
    return {
        ("POST", "/api/v1/chats/sms"): [
            {"json": {"clinic_id": ids["clinic"], "phone": "07400 123456"}},
        ],
        ("POST", "/api/v1/chats"): [
            {"json": {"clinic_id": ids["clinic"], "owner_id": ids["owner"]}},
            {"json": {"clinic_id": ids["own_clinic"], "owner_id": ids["owner"]}},
        ],
        ("GET", "/api/v1/chats/{chat_id}/messages"): [{"path": chat}],
        ("POST", "/api/v1/chats/{chat_id}/messages"): [
            {"path": chat, "json": {"client_id": "eve-1", "body": "hello"}},
        ],
        ("PATCH", "/api/v1/chats/{chat_id}/details"): [
            {"path": chat, "json": {"owner_name": "X", "pet_name": "Y"}},
        ],
        ("POST", "/api/v1/chats/{chat_id}/handoff"): [
            {"path": chat, "json": {"to_staff_id": ids["own_staff"], "note": "mine now"}},
            {"path": ids["own_chat"], "json": {"to_staff_id": ids["staff"], "note": "yours"}},
        ],
        ("POST", "/api/v1/chats/{chat_id}/close"): [{"path": chat}],
        ("POST", "/api/v1/chats/{chat_id}/reopen"): [{"path": chat}],
    }


# Routes that name nothing of another group: checked for what they return instead.
SCOPED_BY_CALLER = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/staff"),
    ("GET", "/api/v1/sync"),
}


def test_every_endpoint_refuses_another_groups_ids(demo: EmbeddedDemo, alex: BackendClient) -> None:
    assert demo.database is not None
    with demo.database.write() as session:
        load_groups(session, OTHER_GROUP)
    chat = alex.start_sms_chat("07400 123456").json()["chat"]
    alex.send(chat["id"], "Private to Riverside", "a-1")
    text_in(demo, "+447400123456", "Reply only Riverside may read")
    eve = BackendClient(demo).sign_in("eve@other.example", "pw-eve-123")
    text_in(demo, "+447400999002", "Hello Elsewhere", to="+447700900600")
    own_chat = [c["data"] for c in eve.sync()["changes"] if c["type"] == "chat"][-1]
    ids = {
        "chat": chat["id"],
        "clinic": alex.clinic()["id"],
        "staff": alex.me["staff"]["id"],
        "owner": alex.start_sms_chat("+447400123001").json()["owner"]["id"],
        "own_clinic": eve.me["clinics"][0]["id"],
        "own_staff": eve.me["staff"]["id"],
        "own_chat": own_chat["id"],
    }
    # Let the provider's delivery receipts land first: they change the feed on their own.
    wait_until(
        lambda: all(
            m["status"] == "delivered" for m in alex.messages(chat["id"]) if m["direction"] == "out"
        ),
        what="delivery receipts",
    )
    before = alex.sync()

    document = json.loads(DOC.read_text(encoding="utf-8"))
    routes = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        if path.startswith("/api/v1")
        for method in operations
    }
    calls = _calls(ids)
    assert routes == set(calls) | SCOPED_BY_CALLER, "a new endpoint needs an isolation check"
    for (method, path), attempts in calls.items():
        for attempt in attempts:
            url = path.replace("{chat_id}", str(attempt.get("path", "")))
            answer = eve.call(method, url, json=attempt.get("json"))
            assert answer.status_code in (403, 404), (method, url, answer.status_code, answer.text)
            assert "Riverside" not in answer.text and "Private" not in answer.text

    after = alex.sync()
    assert after == before, "a refused request changed the other group's data"
    assert {c["name"] for c in eve.call("GET", "/api/v1/staff").json()} == {"Eve"}
    assert [c["name"] for c in eve.me["clinics"]] == ["Elsewhere Vets"]
    eve_feed = eve.sync()["changes"]
    eve_chats = {c["data"]["id"] for c in eve_feed if c["type"] == "chat"}
    assert all(c["data"]["clinic_id"] == ids["own_clinic"] for c in eve_feed if c["type"] == "chat")
    assert all(c["data"]["chat_id"] in eve_chats for c in eve_feed if c["type"] == "message")
    assert "Riverside" not in str(eve_feed) and "Private" not in str(eve_feed)
