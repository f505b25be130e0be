"""Helpers for the sandbox tests: constants, a webhook receiver, the Twilio contract.

A uniquely named module rather than ``conftest`` imports, so test modules can import it
without clashing with other folders' conftest files.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi import FastAPI, Request
from fastapi.responses import Response
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from twilio.request_validator import RequestValidator

SID = "AC" + "0123456789abcdef" * 2
TOKEN = "sandbox-test-auth-token"
CLINIC = "+447700900500"
OWNER = "+447700900123"
SPEC_PATH = Path(__file__).resolve().parents[3] / "contracts" / "twilio_api_v2010.json"
CONTRACT_PATHS = (
    "/2010-04-01/Accounts/{AccountSid}/Messages.json",
    "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json",
    "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json",
)
ERROR_KEYS = {"code", "message", "more_info", "status"}


def assert_twilio_error(response: requests.Response, status: int, code: int) -> dict[str, Any]:
    """Twilio's error body, exactly: ``{code, message, more_info, status}``."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == code
    assert body["status"] == status
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    return body


# -- webhook receiver ---------------------------------------------------------------------


@dataclass(frozen=True)
class Hook:
    """One webhook the receiver got."""

    method: str
    url: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]

    def signature_valid(self, token: str = TOKEN) -> bool:
        signature = self.headers.get("x-twilio-signature", "")
        params = self.params if self.method == "POST" else {}
        return RequestValidator(token).validate(self.url, params, signature)


class Receiver:
    """Records webhooks; ``/fail/<code>`` answers that HTTP status, anything else 200."""

    def __init__(self) -> None:
        self.url = ""  # set once the receiver is served
        self._hooks: list[Hook] = []
        self._cond = threading.Condition()
        self.app = FastAPI()

        @self.app.api_route("/{path:path}", methods=["GET", "POST"])
        async def record(request: Request, path: str) -> Response:
            form = await request.form() if request.method == "POST" else request.query_params
            hook = Hook(
                method=request.method,
                url=str(request.url),
                path="/" + path,
                params={k: v for k, v in form.items() if isinstance(v, str)},
                headers={k.lower(): v for k, v in request.headers.items()},
            )
            with self._cond:
                self._hooks.append(hook)
                self._cond.notify_all()
            status = int(path.split("/")[1]) if path.startswith("fail/") else 200
            return Response("<Response/>", status_code=status, media_type="text/xml")

    def clear(self) -> None:
        with self._cond:
            self._hooks.clear()

    def hooks(self, predicate: Callable[[Hook], bool] = lambda _h: True) -> list[Hook]:
        with self._cond:
            return [h for h in self._hooks if predicate(h)]

    def wait_for(
        self, predicate: Callable[[Hook], bool], count: int = 1, timeout: float = 5.0
    ) -> list[Hook]:
        """Block until ``count`` matching webhooks arrived; fail the test otherwise."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [h for h in self._hooks if predicate(h)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    pytest.fail(f"expected {count} webhook(s), got {len(found)}: {found}")
                self._cond.wait(remaining)


def status_hooks(sid: str) -> Callable[[Hook], bool]:
    """Matches the status callbacks of message ``sid``."""
    return lambda h: h.path == "/status" and h.params.get("MessageSid") == sid


# -- sandbox ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sandbox:
    """The running sandbox and raw-HTTP shortcuts into it."""

    url: str
    app: FastAPI

    @property
    def api(self) -> str:
        return f"{self.url}/2010-04-01/Accounts/{SID}"

    def send(self, **form: str) -> requests.Response:
        """POST Messages.json as the backend does (form-encoded, HTTP Basic)."""
        return requests.post(f"{self.api}/Messages.json", data=form, auth=(SID, TOKEN), timeout=5)

    def get(self, path: str, **params: str) -> requests.Response:
        return requests.get(f"{self.api}{path}", params=params, auth=(SID, TOKEN), timeout=5)

    def text_in(self, sender: str, to: str, body: str) -> requests.Response:
        """Text in as an owner through the control API."""
        return requests.post(
            f"{self.url}/sandbox/inbound",
            json={"from": sender, "to": to, "body": body},
            timeout=20,
        )


def wait_for_status(sandbox: Sandbox, sid: str, status: str, timeout: float = 5.0) -> dict:
    """Poll Messages/{sid}.json until it reaches ``status``."""
    deadline = time.monotonic() + timeout
    while True:
        message = sandbox.get(f"/Messages/{sid}.json").json()
        if message["status"] == status:
            return message
        if time.monotonic() > deadline:
            pytest.fail(f"{sid} stuck in {message['status']}, expected {status}")
        time.sleep(0.01)


# -- contract -----------------------------------------------------------------------------


def pruned_spec(spec: dict[str, Any], paths: tuple[str, ...], server: str) -> dict[str, Any]:
    """``spec`` cut down to ``paths`` and the schemas they reference, served at ``server``."""
    kept = {path: {**spec["paths"][path], "servers": [{"url": server}]} for path in paths}
    schemas = spec["components"]["schemas"]
    needed: set[str] = set()
    todo: list[Any] = [kept]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in needed:
                    needed.add(name)
                    todo.append(schemas[name])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return {
        **spec,
        "servers": [{"url": server}],
        "paths": kept,
        "components": {
            "securitySchemes": spec["components"]["securitySchemes"],
            "schemas": {name: schemas[name] for name in sorted(needed)},
        },
    }


class Contract:
    """Twilio's OpenAPI description, checking live requests and responses against it."""

    def __init__(self, openapi: OpenAPI, build_seconds: float) -> None:
        self.openapi = openapi
        self.build_seconds = build_seconds

    def check_request(self, response: requests.Response) -> None:
        self.openapi.validate_request(RequestsOpenAPIRequest(response.request))

    def check_response(self, response: requests.Response) -> None:
        self.openapi.validate_response(
            RequestsOpenAPIRequest(response.request), RequestsOpenAPIResponse(response)
        )
