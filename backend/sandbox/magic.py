"""Magic recipient numbers that make the sandbox fail on purpose.

They are in Ofcom's drama range (+44 7700 900000-900999), which is never allocated
to a real handset, so a test or demo can never text a real person by accident.

=================  ===============================  ==========================================
Constant           ``To`` number                    What the sandbox does
=================  ===============================  ==========================================
UNSUBSCRIBED       ``+447700900001``                HTTP 400, code 21610 "Attempt to send to
                                                    unsubscribed recipient"
NOT_MOBILE         ``+447700900002``                HTTP 400, code 21614 "'To' number is not
                                                    a valid mobile number"
UNREACHABLE        ``+447700900003``                201 queued, then status ``failed`` with
                                                    ErrorCode 30003 (no ``sent`` before it)
UNDELIVERED        ``+447700900004``                201 queued, then ``sent``, then
                                                    ``undelivered`` with ErrorCode 30005
RATE_LIMITED       ``+447700900005``                HTTP 429, code 20429 the first time for
                                                    each distinct Body; accepted on retry
SERVER_ERROR       ``+447700900006``                HTTP 500, code 20500 the first time for
                                                    each distinct Body; accepted on retry
LOST_ANSWER        ``+447700900007``                the first time per Body: the message IS
                                                    created, but the answer is HTTP 500
SLOW_ANSWER        ``+447700900008``                the first time per Body: the message IS
                                                    created, and the answer comes after
                                                    SLOW_ANSWER_SECONDS (a client timeout)
=================  ===============================  ==========================================

Any other valid number is accepted and goes ``queued`` -> ``sent`` -> ``delivered``.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.sandbox import errors

UNSUBSCRIBED = "+447700900001"
NOT_MOBILE = "+447700900002"
UNREACHABLE = "+447700900003"
UNDELIVERED = "+447700900004"
RATE_LIMITED = "+447700900005"
SERVER_ERROR = "+447700900006"
LOST_ANSWER = "+447700900007"
SLOW_ANSWER = "+447700900008"
SLOW_ANSWER_SECONDS = 3.0

MAGIC_NUMBERS = frozenset(
    {
        UNSUBSCRIBED,
        NOT_MOBILE,
        UNREACHABLE,
        UNDELIVERED,
        RATE_LIMITED,
        SERVER_ERROR,
        LOST_ANSWER,
        SLOW_ANSWER,
    }
)


@dataclass(frozen=True, slots=True)
class Step:
    """One status transition after a message is accepted; reported to its StatusCallback."""

    status: str
    error_code: int | None = None


# What happens after ``queued``; each step waits for the matching ``status_delays`` entry.
DELIVERED_PLAN: tuple[Step, ...] = (Step("sent"), Step("delivered"))
_PLANS: dict[str, tuple[Step, ...]] = {
    UNREACHABLE: (Step("failed", errors.UNREACHABLE_HANDSET),),
    UNDELIVERED: (Step("sent"), Step("undelivered", errors.UNKNOWN_HANDSET)),
}


def refusal(to: str) -> errors.TwilioApiError | None:
    """The permanent error Twilio gives for sending to ``to``, if it is a refusing number."""
    if to == UNSUBSCRIBED:
        return unsubscribed_error()
    if to == NOT_MOBILE:
        return errors.TwilioApiError(
            400, errors.NOT_MOBILE, "'To' number is not a valid mobile number"
        )
    return None


def unsubscribed_error() -> errors.TwilioApiError:
    """21610, also used for numbers that texted STOP."""
    return errors.TwilioApiError(
        400, errors.UNSUBSCRIBED_RECIPIENT, "Attempt to send to unsubscribed recipient"
    )


def transient_error(to: str) -> errors.TwilioApiError | None:
    """The error a flaky magic number gives on its first attempt per Body, else None."""
    if to == RATE_LIMITED:
        return errors.TwilioApiError(429, errors.TOO_MANY_REQUESTS, "Too Many Requests")
    if to == SERVER_ERROR:
        return errors.TwilioApiError(500, errors.INTERNAL_ERROR, "Internal Server Error")
    return None


def delivery_plan(to: str) -> tuple[Step, ...]:
    """The status steps a message accepted for ``to`` goes through."""
    return _PLANS.get(to, DELIVERED_PLAN)
