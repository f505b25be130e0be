"""The API core through the real backend, SQLite and the provider sandbox on loopback."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from backend.demo import EmbeddedDemo
from tests.support import (
    OWNER_JANE,
    BackendClient,
    sandbox_messages,
    text_in,
    wait_until,
)

GUEST = "+447400123456"


def test_login_me_and_colleagues(alex: BackendClient) -> None:
    me = alex.me
    assert me["staff"]["name"] == "Alex Morgan"
    assert me["group"]["name"] == "Riverside Veterinary Group"
    assert me["support_email"]
    clinics = {c["name"]: c for c in me["clinics"]}
    assert clinics["Riverside Vets"]["sms_enabled"] is True
    assert clinics["Riverside Vets"]["sms_number"] == "+447700900500"
    assert clinics["Hillside Animal Clinic"]["sms_enabled"] is False
    assert clinics["Hillside Animal Clinic"]["sms_number"] is None
    assert all(c["magic_link"].startswith("https://") for c in me["clinics"])
    colleagues = alex.call("GET", "/api/v1/staff").json()
    assert [c["name"] for c in colleagues] == ["Alex Morgan", "Sam Patel"]


def test_wrong_password_and_missing_token_are_refused(demo: EmbeddedDemo) -> None:
    client = BackendClient(demo)
    answer = client.call(
        "POST", "/api/v1/auth/login", json={"email": "alex@riverside.example", "password": "no"}
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "invalid_credentials"
    answer = client.call("GET", "/api/v1/me")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "not_signed_in"


def test_sign_out_revokes_the_token(alex: BackendClient) -> None:
    assert alex.call("POST", "/api/v1/auth/logout").status_code == 204
    answer = alex.call("GET", "/api/v1/me")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "invalid_token"


def test_new_sms_chat_sends_the_welcome_through_the_provider(
    demo: EmbeddedDemo, alex: BackendClient
) -> None:
    answer = alex.start_sms_chat("07400 123456")
    assert answer.status_code == 201, answer.text
    chat = answer.json()["chat"]
    assert chat["kind"] == "sms"
    assert chat["phone"] == GUEST
    assert chat["is_guest"] is True
    assert chat["title"] == "Guest"
    assert chat["opted_out"] is False
    sent = wait_until(lambda: sandbox_messages(demo, GUEST), what="the welcome at the provider")
    assert len(sent) == 1
    assert "Riverside Vets" in sent[0]["body"]
    assert "Reply STOP to opt out" in sent[0]["body"]
    assert sent[0]["from"] == "+447700900500"
    history = wait_until(
        lambda: [m for m in alex.messages(chat["id"]) if m["status"] == "delivered"],
        what="the welcome's delivery receipt",
    )
    assert history[0]["direction"] == "out"


def test_starting_again_opens_the_same_chat_without_a_second_welcome(
    demo: EmbeddedDemo, alex: BackendClient
) -> None:
    first = alex.start_sms_chat(GUEST).json()["chat"]
    again = alex.start_sms_chat("+44 7400 123456")
    assert again.status_code == 200
    assert again.json()["chat"]["id"] == first["id"]
    wait_until(lambda: sandbox_messages(demo, GUEST))
    time.sleep(0.2)
    assert len(sandbox_messages(demo, GUEST)) == 1


def test_new_sms_chat_refusals(alex: BackendClient) -> None:
    answer = alex.start_sms_chat(OWNER_JANE)
    assert answer.status_code == 409
    body = answer.json()
    assert body["error"]["code"] == "owner_registered"
    assert body["owner"]["name"] == "Jane Cooper"
    assert body["owner"]["pets"][0]["name"] == "Bella"

    for number, code in (
        ("0740012345", "invalid_phone"),
        ("hello", "invalid_phone"),
        ("020 7946 0000", "not_mobile"),
    ):
        answer = alex.start_sms_chat(number)
        assert answer.status_code == 422, number
        assert answer.json()["error"]["code"] == code
        assert answer.json()["error"]["message"]

    off = alex.clinic(sms=False)
    answer = alex.call("POST", "/api/v1/chats/sms", json={"clinic_id": off["id"], "phone": GUEST})
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "sms_not_enabled"


def test_registered_owner_gets_a_petsapp_chat(alex: BackendClient) -> None:
    owner = alex.start_sms_chat(OWNER_JANE).json()["owner"]
    answer = alex.call(
        "POST", "/api/v1/chats", json={"clinic_id": alex.clinic()["id"], "owner_id": owner["id"]}
    )
    assert answer.status_code == 201
    chat = answer.json()["chat"]
    assert chat["kind"] == "app"
    assert chat["is_guest"] is False
    assert "Jane Cooper" in chat["title"]


def test_send_is_idempotent_on_client_id(demo: EmbeddedDemo, alex: BackendClient) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    first = alex.send(chat["id"], "Bella's bloods are back", "c-1")
    assert first.status_code == 201
    again = alex.send(chat["id"], "Bella's bloods are back", "c-1")
    assert again.status_code == 200
    assert again.json()["message"]["id"] == first.json()["message"]["id"]
    wait_until(lambda: len(sandbox_messages(demo, GUEST)) == 2)
    time.sleep(0.2)
    bodies = [m["body"] for m in sandbox_messages(demo, GUEST)]
    assert bodies[1] == "Bella's bloods are back"
    assert len(bodies) == 2  # welcome first, then the message, each once


def test_sms_chats_refuse_media_and_oversize_bodies(alex: BackendClient) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    answer = alex.send(chat["id"], "photo", "m-1", attachments=[{"name": "xray.png"}])
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "sms_no_media"
    answer = alex.send(chat["id"], "pay", "m-2", payment_request={"amount": 10, "currency": "GBP"})
    assert answer.json()["error"]["code"] == "sms_no_media"
    answer = alex.send(chat["id"], "x" * 1601, "m-3")
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "body_too_long"


def test_inbound_text_opens_a_guest_chat_and_stop_opts_out(
    demo: EmbeddedDemo, alex: BackendClient
) -> None:
    text_in(demo, GUEST, "Hi, is Milo ready?")
    chats = [c["data"] for c in alex.sync()["changes"] if c["type"] == "chat"]
    assert chats[-1]["is_guest"] is True
    chat_id = chats[-1]["id"]
    assert alex.messages(chat_id)[-1]["body"] == "Hi, is Milo ready?"

    text_in(demo, GUEST, " stop ")
    answer = alex.send(chat_id, "Milo is ready", "o-1")
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "opted_out"
    latest = [c["data"] for c in alex.sync()["changes"] if c["type"] == "chat"][-1]
    assert latest["opted_out"] is True
    assert not sandbox_messages(demo, GUEST)  # no reply of ours to STOP

    text_in(demo, GUEST, "START")
    assert alex.send(chat_id, "Milo is ready", "o-2").status_code == 201


def test_webhooks_need_a_valid_signature(demo: EmbeddedDemo, alex: BackendClient) -> None:
    import requests

    for path in ("/webhooks/twilio/sms", "/webhooks/twilio/status"):
        answer = requests.post(
            f"{demo.backend_url}{path}",
            data={"From": GUEST, "To": "+447700900500", "Body": "forged", "MessageSid": "SM1"},
            headers={"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},
            timeout=10,
        )
        assert answer.status_code == 403
    assert alex.sync()["changes"] == []


def test_sync_long_poll_wakes_on_an_inbound_text(demo: EmbeddedDemo, alex: BackendClient) -> None:
    cursor = alex.sync()["cursor"]
    threading.Timer(0.3, lambda: text_in(demo, GUEST, "Are you open today?")).start()
    started = time.monotonic()
    answer = alex.sync(cursor, wait=10)
    elapsed = time.monotonic() - started
    assert elapsed < 5, "the long-poll should answer when the text arrives, not at its timeout"
    assert {c["type"] for c in answer["changes"]} >= {"chat", "message"}
    seqs = [c["seq"] for c in answer["changes"]]
    assert seqs == sorted(seqs)
    assert answer["cursor"] == seqs[-1]


def test_replay_from_zero_gives_each_change_once_in_order(
    demo: EmbeddedDemo, alex: BackendClient
) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    alex.send(chat["id"], "one", "r-1")
    text_in(demo, GUEST, "two")
    changes = alex.sync()["changes"]
    seqs = [c["seq"] for c in changes]
    assert seqs == list(range(1, len(seqs) + 1))
    assert {"id", "kind", "is_guest", "opted_out"} <= set(changes[-1]["data"]) or {
        "id",
        "direction",
        "status",
    } <= set(changes[-1]["data"])


def test_other_groups_cannot_see_or_touch_a_chat(demo: EmbeddedDemo, alex: BackendClient) -> None:
    from backend.admin import load_groups

    assert demo.database is not None
    with demo.database.write() as session:
        load_groups(
            session,
            {
                "groups": [
                    {
                        "name": "Other Group",
                        "clinics": [{"name": "Elsewhere", "sms_number": None}],
                        "staff": [
                            {"name": "Eve", "email": "eve@other.example", "password": "pw-eve"}
                        ],
                    }
                ]
            },
        )
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    eve = BackendClient(demo).sign_in("eve@other.example", "pw-eve")
    assert eve.call("GET", f"/api/v1/chats/{chat['id']}/messages").status_code == 404
    assert eve.send(chat["id"], "hi", "e-1").status_code == 404
    assert (
        eve.call(
            "POST", "/api/v1/chats/sms", json={"clinic_id": alex.clinic()["id"], "phone": GUEST}
        ).status_code
        == 404
    )
    assert eve.sync()["changes"] == []
    assert [c["name"] for c in eve.call("GET", "/api/v1/staff").json()] == ["Eve"]


def test_malformed_bodies_get_error_shapes_not_500(alex: BackendClient) -> None:
    for payload in ({}, {"clinic_id": "x", "phone": 5}, {"clinic_id": 1, "phone": "1", "x": 1}):
        answer = alex.call("POST", "/api/v1/chats/sms", json=payload)
        assert answer.status_code == 422
        assert answer.json()["error"]["code"] == "invalid_request"
    answer = alex.call("POST", "/api/v1/chats/sms", data="not json")
    assert answer.status_code == 422
    answer = alex.call("GET", "/api/v1/chats/999/messages")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_close_and_reopen_and_writing_in_a_closed_chat(
    demo: EmbeddedDemo, alex: BackendClient
) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    closed = alex.call("POST", f"/api/v1/chats/{chat['id']}/close")
    assert closed.status_code == 200 and closed.json()["chat"]["status"] == "closed"
    # A text from that number now opens a new Guest chat; reopening the old one would
    # make two open chats with one number, which is refused.
    text_in(demo, GUEST, "Hello again")
    chats = {c["data"]["id"]: c["data"] for c in alex.sync()["changes"] if c["type"] == "chat"}
    newer = max(chats)
    assert newer != chat["id"] and chats[newer]["is_guest"] and chats[newer]["status"] == "open"
    refused = alex.call("POST", f"/api/v1/chats/{chat['id']}/reopen")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "chat_already_open"
    alex.call("POST", f"/api/v1/chats/{newer}/close")
    reopened = alex.call("POST", f"/api/v1/chats/{chat['id']}/reopen")
    assert reopened.json()["chat"]["status"] == "open"


def test_hand_off_needs_a_note_and_keeps_it_internal(
    demo: EmbeddedDemo, alex: BackendClient
) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    sam = next(c for c in alex.call("GET", "/api/v1/staff").json() if c["name"] == "Sam Patel")
    empty = alex.call(
        "POST", f"/api/v1/chats/{chat['id']}/handoff", json={"to_staff_id": sam["id"], "note": "  "}
    )
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "note_required"
    done = alex.call(
        "POST",
        f"/api/v1/chats/{chat['id']}/handoff",
        json={"to_staff_id": sam["id"], "note": "Owner prefers mornings"},
    )
    assert done.status_code == 200 and done.json()["chat"]["assignee_id"] == sam["id"]
    note = alex.messages(chat["id"])[-1]
    assert note["direction"] == "internal" and "Owner prefers mornings" in note["body"]
    time.sleep(0.3)
    assert all("mornings" not in m["body"] for m in sandbox_messages(demo, GUEST))


def test_details_turn_a_guest_chat_into_a_named_one(alex: BackendClient) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    answer = alex.call(
        "PATCH",
        f"/api/v1/chats/{chat['id']}/details",
        json={"owner_name": "Priya Shah", "pet_name": "Rex"},
    )
    named = answer.json()["chat"]
    assert named["is_guest"] is False
    assert named["title"] == "Rex · Priya Shah"
    history = alex.call("GET", f"/api/v1/chats/{chat['id']}/messages", params={"limit": 1})
    assert len(history.json()["messages"]) == 1


def test_oversized_bodies_are_refused_before_they_are_read(alex: BackendClient) -> None:
    huge = {"clinic_id": 1, "phone": "0" * 300_000}
    answer = alex.call("POST", "/api/v1/chats/sms", json=huge)
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"

    def chunks():  # no Content-Length: counted as it arrives
        yield b'{"clinic_id": 1, "phone": "'
        for _ in range(40):
            yield b"0" * 10_000
        yield b'"}'

    answer = alex.call(
        "POST", "/api/v1/chats/sms", data=chunks(), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 413


def test_expired_tokens_are_refused(demo: EmbeddedDemo, alex: BackendClient) -> None:
    from sqlalchemy import update

    from backend.models import StaffToken

    assert demo.database is not None
    with demo.database.write() as session:
        session.execute(update(StaffToken).values(expires_at=datetime(2020, 1, 1, tzinfo=UTC)))
    answer = alex.call("GET", "/api/v1/me")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "invalid_token"


def test_sync_batches_are_capped_and_say_more(demo: EmbeddedDemo, alex: BackendClient) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    for n in range(6):
        alex.send(chat["id"], f"note {n}", f"b-{n}")
    everything = alex.sync()["changes"]
    cursor, pages = 0, []
    while True:
        page = alex.call("GET", "/api/v1/sync", params={"cursor": cursor, "limit": 5}).json()
        pages.append(page)
        cursor = page["cursor"]
        if not page["more"]:
            break
    assert all(len(p["changes"]) == 5 for p in pages[:-1]) and len(pages) > 2
    assert [c["seq"] for p in pages for c in p["changes"]][: len(everything)] == [
        c["seq"] for c in everything
    ]


def test_a_resent_hand_off_is_recognised_not_repeated(alex: BackendClient) -> None:
    chat = alex.start_sms_chat(GUEST).json()["chat"]
    sam = next(c for c in alex.call("GET", "/api/v1/staff").json() if c["name"] == "Sam Patel")
    body = {"to_staff_id": sam["id"], "note": "Call back after 3", "client_id": "h-1"}
    for _ in range(3):
        assert alex.call("POST", f"/api/v1/chats/{chat['id']}/handoff", json=body).ok
    notes = [m for m in alex.messages(chat["id"]) if m["direction"] == "internal"]
    assert len(notes) == 1
