"""Twilio's Messages list: filters, newest-first paging and the ``ListMessageResponse`` body.

Paging works like Twilio's: ``Page`` is an index kept for the client, while ``PageToken``
(``PA<sid>`` = after that message, ``PB<sid>`` = before it) is a cursor, so messages
arriving while a client pages through do not shift or repeat later pages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

from backend.sandbox import errors
from backend.sandbox.errors import TwilioApiError
from backend.sandbox.resources import message_resource
from backend.sandbox.store import MessageRecord

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
# The filters, in the order Twilio echoes them back in page URIs.
FILTER_KEYS = ("To", "From", "DateSent", "DateSent<", "DateSent>")

Predicate = Callable[[MessageRecord], bool]


@dataclass(frozen=True, slots=True)
class MessageQuery:
    """A parsed list request."""

    filters: tuple[tuple[str, str], ...]
    predicate: Predicate
    page_size: int
    page: int
    page_token: str | None


def _field_is(name: str, value: str) -> Predicate:
    return lambda record: bool(getattr(record, name) == value)


def parse_query(params: Mapping[str, str]) -> MessageQuery:
    """Parse the list query string; Twilio-shaped 400 for bad values."""
    checks: list[Predicate] = []
    filters: list[tuple[str, str]] = []
    for key in FILTER_KEYS:
        value = params.get(key)
        if value is None or value == "":
            continue
        filters.append((key, value))
        if key == "To":
            checks.append(_field_is("to", value))
        elif key == "From":
            checks.append(_field_is("from_", value))
        else:
            checks.append(_date_check(key, value))
    return MessageQuery(
        filters=tuple(filters),
        predicate=lambda r: all(check(r) for check in checks),
        page_size=_int_param(params, "PageSize", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
        page=_int_param(params, "Page", 0, 0, None),
        page_token=params.get("PageToken") or None,
    )


def build_page(
    records: Sequence[MessageRecord], query: MessageQuery, list_uri: str
) -> dict[str, object]:
    """One page of ``records`` (all messages, newest first) as a ListMessageResponse."""
    matching = [r for r in records if query.predicate(r)]
    size = query.page_size
    if query.page_token is None:
        start = query.page * size
        items = matching[start : start + size]
    else:
        cursor = _token_seq(query.page_token, records)
        if query.page_token.startswith("PA"):
            items = [r for r in matching if r.seq < cursor][:size]
        else:
            items = [r for r in matching if r.seq > cursor][-size:]

    def uri(page: int, token: str | None) -> str:
        pairs = [*query.filters, ("PageSize", str(size)), ("Page", str(page))]
        if token:
            pairs.append(("PageToken", token))
        return f"{list_uri}?{urlencode(pairs)}"

    next_uri = previous_uri = None
    if items and any(r.seq < items[-1].seq for r in matching):
        next_uri = uri(query.page + 1, f"PA{items[-1].sid}")
    if query.page > 0:
        previous_uri = uri(query.page - 1, f"PB{items[0].sid}" if items else None)
    start_index = query.page * size
    return {
        "messages": [message_resource(r) for r in items],
        "end": start_index + max(len(items) - 1, 0),
        "first_page_uri": uri(0, None),
        "next_page_uri": next_uri,
        "page": query.page,
        "page_size": size,
        "previous_page_uri": previous_uri,
        "start": start_index,
        "uri": uri(query.page, query.page_token),
    }


def _token_seq(token: str, records: Sequence[MessageRecord]) -> int:
    """The sequence number a ``PA``/``PB`` token points at."""
    if token[:2] in ("PA", "PB"):
        sid = token[2:]
        for record in records:
            if record.sid == sid:
                return record.seq
    raise TwilioApiError(400, errors.INVALID_PARAMETER, f"Invalid PageToken: {token}")


def _int_param(
    params: Mapping[str, str], key: str, default: int, low: int, high: int | None
) -> int:
    raw = params.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise TwilioApiError(400, errors.INVALID_PARAMETER, f"{key} must be {bounds}")
    return value


def _date_check(key: str, raw: str) -> Predicate:
    """Predicate for ``DateSent`` (same day), ``DateSent<`` (on/before), ``DateSent>``.

    A bare ``YYYY-MM-DD`` compares whole GMT days; a datetime (twilio-python sends
    ``%Y-%m-%dT%H:%M:%SZ``) compares instants, inclusively, for ``<`` and ``>``.
    """
    moment = parse_date_param(raw)
    if moment is None:
        raise TwilioApiError(400, errors.INVALID_PARAMETER, f"Invalid {key}: {raw}")

    def sent(record: MessageRecord) -> datetime | None:
        return record.date_sent.astimezone(UTC) if record.date_sent else None

    if key == "DateSent" or not isinstance(moment, datetime):
        day = moment.date() if isinstance(moment, datetime) else moment

        def by_day(record: MessageRecord) -> bool:
            when = sent(record)
            if when is None:
                return False
            if key == "DateSent":
                return when.date() == day
            return when.date() <= day if key == "DateSent<" else when.date() >= day

        return by_day

    instant = moment

    def by_instant(record: MessageRecord) -> bool:
        when = sent(record)
        if when is None:
            return False
        return when <= instant if key == "DateSent<" else when >= instant

    return by_instant


def parse_date_param(raw: str) -> date | datetime | None:
    """``YYYY-MM-DD``, ISO 8601 datetimes (naive = GMT) or RFC 2822; None if none fits."""
    text = raw.strip()
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
