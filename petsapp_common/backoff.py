"""One back-off rule for every retry loop: the outbox, the sync engine and the backend's
SMS dispatcher. Exponential and capped, with jitter (each wait drawn between half and all
of its step), so that the PCs of a practice that lost its line together do not all come
back in the same second. Their loops differ (a stored next-attempt time, a wait that a
"Retry now" cuts short, a reconciliation before each resend), so they share this rule
rather than a retry decorator."""

from __future__ import annotations

import random

_MAX_DOUBLINGS = 32  # far past any cap; keeps 2**n small


def backoff_delay(attempt: int, base: float, cap: float) -> float:
    """Seconds to wait before retry number ``attempt`` (0 for the first retry)."""
    step = min(cap, base * 2.0 ** min(max(attempt, 0), _MAX_DOUBLINGS))
    return step * random.uniform(0.5, 1.0)
