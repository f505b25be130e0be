"""tests/fault_proxy.py does what the network-fault tests count on: a delayed answer is late
(past a client's read timeout if it likes), a lost answer never comes though the server
did the work, a refused connection is refused."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from tests.fault_proxy import FaultProxy, Odds


class Recorder(ThreadingHTTPServer):
    """A plain HTTP server on loopback that notes every request it gets."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen: list[str] = []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps connections open, as the backend does
    server: Recorder

    def do_GET(self) -> None:
        self.server.seen.append(self.path)
        body = f"answer to {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:  # quiet
        pass


@pytest.fixture
def server() -> Iterator[Recorder]:
    recorder = Recorder()
    thread = threading.Thread(target=recorder.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield recorder
    recorder.shutdown()
    recorder.server_close()
    thread.join(5)


@pytest.fixture
def proxy(server: Recorder) -> Iterator[FaultProxy]:
    line = FaultProxy(server.server_address[1]).start()
    yield line
    line.stop()


def _get(proxy: FaultProxy, path: str, timeout: float = 5.0) -> requests.Response:
    with requests.Session() as http:  # a new connection each time: faults are per connection
        return http.get(f"{proxy.url}{path}", timeout=timeout)


def test_a_delayed_answer_arrives_late_and_the_lifetime_cut_does_not_hide_it(
    proxy: FaultProxy, server: Recorder
) -> None:
    proxy.odds = Odds(delay=1.0, delay_seconds=0.6, max_lifetime=0.2)
    started = time.monotonic()
    answer = _get(proxy, "/late")
    assert time.monotonic() - started >= 0.6
    assert answer.text == "answer to /late"

    proxy.odds.delay_seconds = 1.5  # per test, between requests: past this client's patience
    with pytest.raises(requests.ReadTimeout):
        _get(proxy, "/too-late", timeout=0.5)
    assert server.seen == ["/late", "/too-late"]
    assert proxy.counts["delay"] == 2


def test_a_lost_answer_never_arrives_though_the_server_saw_the_request(
    proxy: FaultProxy, server: Recorder
) -> None:
    proxy.odds = Odds(lose_answer=1.0, max_lifetime=0.2)
    with pytest.raises(requests.ConnectionError):
        _get(proxy, "/lost")
    assert server.seen == ["/lost"]
    assert proxy.counts == {"lose_answer": 1}


def test_a_refused_connection_is_refused_and_offline_refuses_all(
    proxy: FaultProxy, server: Recorder
) -> None:
    proxy.odds = Odds(refuse=1.0)
    with pytest.raises(requests.ConnectionError):
        _get(proxy, "/refused")
    proxy.odds = Odds()
    proxy.offline = True
    with pytest.raises(requests.ConnectionError):
        _get(proxy, "/offline")
    assert server.seen == []

    proxy.offline = False  # and a healthy line passes, at once
    started = time.monotonic()
    assert _get(proxy, "/fine").text == "answer to /fine"
    assert time.monotonic() - started < 0.5
    assert proxy.counts == {"refuse": 2, "pass": 1}
