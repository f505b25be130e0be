"""Send claims: a text left claimed by a process that died is taken over after the lease,
found at the provider if it is there and sent once if not; two processes starting at once
send what was left once; the provider's callbacks name their text. Counted at the sandbox."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from backend.config import Settings
from backend.db import Database
from backend.demo import DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN, EmbeddedDemo
from backend.domain.chats.messages import post_message
from backend.domain.chats.opening import start_sms_chat
from backend.models import Message, Staff
from backend.serving import BackgroundServer, free_port
from backend.sms_gateway.claims import Claim, Claims
from backend.sms_gateway.dispatcher import SmsDispatcher
from backend.sms_gateway.provider import TwilioProvider
from tests.backend.crash_support import prepare_database, provider_copies, start_sandbox
from tests.support import BackendClient, sandbox_messages, wait_until

NUMBER = "+447400123460"


@pytest.fixture
def quick_demo(tmp_path: Path, database_url: str) -> Iterator[EmbeddedDemo]:
    """The demo with 1 s provider timeouts, so a dead holder's lease ends in ~4 s."""
    stack = EmbeddedDemo(
        tmp_path / "server",
        database_url=database_url,
        provider_timeout="1",
        provider_connect_timeout="1",
    ).start()
    yield stack
    stack.stop()


def _left_by_a_dead_process(demo: EmbeddedDemo, chat_id: int, body: str) -> Claim:
    """A text stored and claimed by a process that then died (no heartbeat, no result)."""
    assert demo.database is not None and demo.settings is not None
    with demo.database.write() as session:
        staff = session.scalars(select(Staff)).first()
        assert staff is not None
        message_id = post_message(session, staff, chat_id, str(uuid.uuid4()), body).record.id
    claim = Claims(demo.database, "pc-that-died:1", demo.settings.claim_lease).take(message_id)
    assert isinstance(claim, Claim) and not claim.taken_over
    return claim


def _new_chat(alex: BackendClient) -> int:
    """A Guest SMS chat whose welcome is with the provider (a text waits for the one
    before it, so a claim on the next one can be taken)."""
    chat_id = int(alex.start_sms_chat(NUMBER).json()["chat"]["id"])
    wait_until(
        lambda: all(m["status"] != "accepted" for m in alex.messages(chat_id)),
        what="the welcome to reach the provider",
    )
    return chat_id


def _provider(demo: EmbeddedDemo) -> TwilioProvider:
    return TwilioProvider(demo.sandbox_url, DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN)


def _status(alex: BackendClient, chat_id: int, body: str) -> str:
    return next(m["status"] for m in reversed(alex.messages(chat_id)) if m["body"] == body)


def _settled(alex: BackendClient, chat_id: int, body: str) -> bool:
    return _status(alex, chat_id, body) not in {"accepted"}


def test_a_text_the_dead_process_had_sent_is_found_not_sent_again(
    quick_demo: EmbeddedDemo,
) -> None:
    alex = BackendClient(quick_demo).sign_in("alex@riverside.example")
    chat_id = _new_chat(alex)
    claim = _left_by_a_dead_process(quick_demo, chat_id, "Milo's stitches come out Friday")
    # It reached the provider; the answer (and any callback) died with the process.
    _provider(quick_demo).send(to=claim.to, from_=claim.from_, body=claim.body)
    started = time.monotonic()
    wait_until(lambda: _settled(alex, chat_id, claim.body), timeout=20, what="the takeover")
    assert quick_demo.settings is not None
    assert time.monotonic() - started >= quick_demo.settings.claim_lease - 1.5
    time.sleep(0.5)
    bodies = [m["body"] for m in sandbox_messages(quick_demo, NUMBER)]
    assert bodies.count(claim.body) == 1


def test_a_text_the_dead_process_never_sent_is_sent_once_after_the_lease(
    quick_demo: EmbeddedDemo,
) -> None:
    alex = BackendClient(quick_demo).sign_in("alex@riverside.example")
    chat_id = _new_chat(alex)
    claim = _left_by_a_dead_process(quick_demo, chat_id, "Luna's vaccination is due")
    wait_until(lambda: _settled(alex, chat_id, claim.body), timeout=20, what="the takeover")
    wait_until(lambda: _status(alex, chat_id, claim.body) == "delivered", what="delivery")
    bodies = [m["body"] for m in sandbox_messages(quick_demo, NUMBER)]
    assert bodies.count(claim.body) == 1


@pytest.mark.parametrize("dead_process_sent_it", [True, False])
def test_the_same_words_twice_are_told_apart(
    quick_demo: EmbeddedDemo, dead_process_sent_it: bool
) -> None:
    """'See you at 3' sent earlier is the provider's and ours already (its sid is known):
    it is never taken for the second 'See you at 3' that a dead process left."""
    alex = BackendClient(quick_demo).sign_in("alex@riverside.example")
    chat_id = _new_chat(alex)
    assert alex.send(chat_id, "See you at 3", "first").status_code == 201
    wait_until(lambda: _settled(alex, chat_id, "See you at 3"), what="the first copy")
    claim = _left_by_a_dead_process(quick_demo, chat_id, "See you at 3")
    if dead_process_sent_it:
        _provider(quick_demo).send(to=claim.to, from_=claim.from_, body=claim.body)
    wait_until(
        lambda: all(m["status"] != "accepted" for m in alex.messages(chat_id)),
        timeout=20,
        what="the takeover",
    )
    time.sleep(0.5)
    bodies = [m["body"] for m in sandbox_messages(quick_demo, NUMBER)]
    assert bodies.count("See you at 3") == 2
    sids = {m["id"]: m["status"] for m in alex.messages(chat_id) if m["body"] == "See you at 3"}
    assert len(sids) == 2


def test_the_providers_callback_names_the_text_whose_answer_was_lost(
    quick_demo: EmbeddedDemo,
) -> None:
    """The dead process's request reached the provider with the text's own callback URL:
    the provider's next callback ties its sid to the text before anyone has to look."""
    alex = BackendClient(quick_demo).sign_in("alex@riverside.example")
    chat_id = _new_chat(alex)
    claim = _left_by_a_dead_process(quick_demo, chat_id, "Rex can go home at 5")
    assert quick_demo.settings is not None
    callback = f"{quick_demo.settings.status_callback_url}?text={claim.ref}"
    sent = _provider(quick_demo).send(
        to=claim.to, from_=claim.from_, body=claim.body, status_callback=callback
    )
    wait_until(
        lambda: _status(alex, chat_id, claim.body) == "delivered",
        timeout=quick_demo.settings.claim_lease - 1,
        what="the callbacks to name the text (before the lease ends)",
    )
    assert quick_demo.database is not None
    with quick_demo.database.read() as session:
        row = session.get(Message, claim.message_id)
        assert row is not None and row.provider_sid == sent.sid
    time.sleep(quick_demo.settings.claim_lease)
    assert [m["body"] for m in sandbox_messages(quick_demo, NUMBER)].count(claim.body) == 1


def test_two_processes_starting_at_once_send_what_was_left_once_in_order(
    tmp_path: Path, database_url: str
) -> None:
    port = free_port()
    sandbox: BackgroundServer = start_sandbox(f"http://127.0.0.1:{port}/webhooks/twilio/sms")
    sandbox.start()
    prepare_database(database_url)
    settings = Settings.from_env(
        data_dir=str(tmp_path),
        database_url=database_url,
        twilio_account_sid=DEMO_ACCOUNT_SID,
        twilio_auth_token=DEMO_AUTH_TOKEN,
        twilio_base_url=sandbox.url,
        public_url=f"http://127.0.0.1:{port}",
    )
    database = Database(database_url)
    bodies = [f"Reminder {n}: Bella's worming tablet" for n in range(20)]
    with database.write() as session:
        staff = session.scalars(select(Staff)).first()
        assert staff is not None
        clinic_id = 1
        chat = start_sms_chat(session, staff, clinic_id, NUMBER).record
        for body in bodies:
            post_message(session, staff, chat.id, str(uuid.uuid4()), body)
    dispatchers = [SmsDispatcher(Database(database_url), settings) for _ in range(2)]
    try:
        starters = [threading.Thread(target=d.start) for d in dispatchers]
        for starter in starters:
            starter.start()
        for starter in starters:
            starter.join()

        def unsent() -> int:
            with database.read() as session:
                return len(
                    session.scalars(select(Message.id).where(Message.status == "accepted")).all()
                )

        wait_until(lambda: unsent() == 0, timeout=60, what="every text to be sent")
        copies = provider_copies(sandbox.url, NUMBER)
        assert copies[1:] == bodies and len(copies) == 21  # the welcome, then each once
    finally:
        for dispatcher in dispatchers:
            dispatcher.close()
        sandbox.stop()
        database.dispose()
