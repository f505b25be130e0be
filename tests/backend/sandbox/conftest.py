"""Fixtures: a live sandbox, a webhook receiver, a twilio-python client, the Twilio contract.

Everything runs over real HTTP on loopback, once per session; each test starts from a
reset sandbox and an empty receiver.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
import requests
from openapi_core import Config, OpenAPI
from sandbox_support import (
    CONTRACT_PATHS,
    SID,
    SPEC_PATH,
    TOKEN,
    Contract,
    Receiver,
    Sandbox,
    pruned_spec,
)
from twilio.rest import Client

from backend.sandbox import create_sandbox_app
from backend.serving import BackgroundServer


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    rec = Receiver()
    server = BackgroundServer(rec.app).start()
    rec.url = server.url
    yield rec
    server.stop()


@pytest.fixture(scope="session")
def sandbox_server(receiver: Receiver) -> Iterator[Sandbox]:
    app = create_sandbox_app(SID, TOKEN, sms_url=f"{receiver.url}/sms", status_delays=(0.02, 0.02))
    server = BackgroundServer(app).start()
    yield Sandbox(server.url, app)
    server.stop()


@pytest.fixture
def sandbox(sandbox_server: Sandbox, receiver: Receiver) -> Sandbox:
    """The shared sandbox, reset, with an empty receiver."""
    requests.post(f"{sandbox_server.url}/sandbox/reset", timeout=5).raise_for_status()
    receiver.clear()
    return sandbox_server


@pytest.fixture
def client(sandbox: Sandbox) -> Client:
    """twilio-python pointed at the sandbox (twilio 9.x: set ``client.api.base_url``)."""
    twilio = Client(SID, TOKEN)
    twilio.api.base_url = sandbox.url
    return twilio


@pytest.fixture(scope="session")
def contract(sandbox_server: Sandbox) -> Contract:
    """Twilio's description pruned to the tested paths (the full file takes ~1 s to build)."""
    started = time.perf_counter()
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    openapi = OpenAPI.from_dict(
        pruned_spec(spec, CONTRACT_PATHS, sandbox_server.url),
        # Every documented property must be present, not merely well-typed.
        config=Config(response_properties_default_policy="required"),
    )
    return Contract(openapi, time.perf_counter() - started)
