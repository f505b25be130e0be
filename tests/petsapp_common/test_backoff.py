"""The one back-off rule the outbox, the sync engine and the dispatcher share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from petsapp_common.backoff import backoff_delay


@given(st.integers(min_value=-3, max_value=10_000))
def test_each_wait_is_half_to_all_of_its_capped_doubling_step(attempt: int) -> None:
    step = min(30.0, 0.25 * 2 ** min(max(attempt, 0), 32))
    assert step / 2 <= backoff_delay(attempt, 0.25, 30.0) <= step


def test_waits_grow_then_stay_at_the_cap() -> None:
    firsts = [max(backoff_delay(n, 1.0, 300.0) for _ in range(50)) for n in range(12)]
    assert firsts[0] <= 1.0 < firsts[2] <= 4.0  # 1, 2, 4 ... seconds
    assert all(150.0 <= wait <= 300.0 for wait in firsts[9:])  # 512 s is past the cap
    waits = {round(backoff_delay(3, 1.0, 300.0), 6) for _ in range(20)}
    assert len(waits) > 1  # jittered: PCs that failed together do not retry together
