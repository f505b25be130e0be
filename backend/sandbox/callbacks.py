"""Signed webhooks (inbound SMS, status callbacks) and the timer thread that paces them.

Every webhook carries ``X-Twilio-Signature`` computed with twilio-python's own
``RequestValidator``, so the backend's signature check runs unchanged against the sandbox.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import requests
from twilio.request_validator import RequestValidator

logger = logging.getLogger(__name__)

#: Twilio gives webhooks 15 s to answer; the sandbox does the same.
WEBHOOK_TIMEOUT = (5.0, 15.0)


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """Outcome of one webhook: the HTTP status, or why there was none."""

    status: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def safe_url(url: str) -> str:
    """Scheme, host and path only: query strings may carry secrets and must not be logged."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def signed_request(
    url: str,
    params: Mapping[str, str],
    auth_token: str,
    *,
    method: str = "POST",
    session: requests.Session | None = None,
) -> DeliveryResult:
    """Send ``params`` to ``url`` as Twilio would and sign it; never raises.

    POST sends a form body and signs URL + params; GET appends the params to the query
    string and signs the full URL alone, matching Twilio's signature rules.
    """
    validator = RequestValidator(auth_token)
    sender = session or requests
    try:
        if method.upper() == "GET":
            joiner = "&" if urlsplit(url).query else "?"
            full_url = f"{url}{joiner}{urlencode(params)}" if params else url
            signature = validator.compute_signature(full_url, {})
            response = sender.get(full_url, headers=_headers(signature), timeout=WEBHOOK_TIMEOUT)
        else:
            signature = validator.compute_signature(url, dict(params))
            response = sender.post(
                url, data=dict(params), headers=_headers(signature), timeout=WEBHOOK_TIMEOUT
            )
    except (requests.RequestException, ValueError) as exc:
        # ValueError: URLs requests cannot even parse; still "unreachable", never a crash.
        return DeliveryResult(None, f"{type(exc).__name__}: could not reach {safe_url(url)}")
    # Release the connection; the sandbox ignores any TwiML answer.
    response.close()
    if 200 <= response.status_code < 300:
        return DeliveryResult(response.status_code, None)
    return DeliveryResult(response.status_code, f"webhook answered HTTP {response.status_code}")


def _headers(signature: str) -> dict[str, str]:
    return {
        "X-Twilio-Signature": signature,
        "User-Agent": "TwilioProxy/1.1 (PetsApp provider sandbox)",
        "Accept": "*/*",
    }


class TimerThread:
    """One daemon thread that runs scheduled jobs in due order, off the request path.

    Jobs run one at a time, so a job that schedules its follow-up when it finishes gets
    strict ordering (``sent`` is always posted before ``delivered``). A job that raises is
    logged and dropped: nothing a webhook receiver does can kill the thread.
    """

    def __init__(self, name: str = "sandbox-callbacks") -> None:
        self._name = name
        self._cond = threading.Condition()
        self._queue: list[tuple[float, int, Callable[[], None]]] = []
        self._tiebreak = itertools.count()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def schedule(self, delay: float, job: Callable[[], None]) -> None:
        """Run ``job`` on the timer thread after ``delay`` seconds (starts it if needed)."""
        with self._cond:
            # A schedule after stop() revives the timer (e.g. an app served twice).
            self._stopping = False
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            due = time.monotonic() + max(delay, 0.0)
            heapq.heappush(self._queue, (due, next(self._tiebreak), job))
            self._cond.notify()

    def clear(self) -> None:
        """Drop every job not yet started."""
        with self._cond:
            self._queue.clear()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop after the job in progress; pending jobs are dropped."""
        with self._cond:
            self._stopping = True
            self._queue.clear()
            self._cond.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                job = self._next_job()
                if job is None:
                    # Cleared under the lock so schedule() knows to start a new thread.
                    self._thread = None
                    return
            try:
                job()
            except Exception:
                logger.exception("sandbox background job failed; dropped")

    def _next_job(self) -> Callable[[], None] | None:
        """Wait (holding the condition) until a job is due; None once stopping."""
        while not self._stopping:
            if not self._queue:
                self._cond.wait()
                continue
            due = self._queue[0][0]
            wait = due - time.monotonic()
            if wait <= 0:
                return heapq.heappop(self._queue)[2]
            self._cond.wait(wait)
        return None
