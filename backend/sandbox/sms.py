"""SMS rules the sandbox shares with Twilio: E.164, sender IDs, segments, opt-out keywords.

Segment counting and keyword matching come from :mod:`petsapp_common.sms` (Qt-free, shared
by the desktop and the backend) so every part of PetsApp counts and classifies alike; the
E.164 check is Twilio's own plain pattern, deliberately looser than phonenumbers' validation
so the sandbox accepts exactly what Twilio's API would.
"""

from __future__ import annotations

import re

from petsapp_common.sms import MAX_BODY_CHARS, keyword_kind, mask_phone, segment_info

__all__ = [
    "MAX_BODY_CHARS",
    "count_segments",
    "is_e164",
    "is_valid_sender",
    "keyword",
    "mask_phone",
]

#: Twilio's E.164 check for SMS recipients: ``+``, a non-zero country digit, 7-15 digits.
E164_RE = re.compile(r"^\+[1-9]\d{6,14}$")

#: Alphanumeric sender IDs (UK clinics may send as "VETCLINIC"): 1-11 letters, digits or
#: spaces with at least one letter, so a mistyped phone number is not taken for one.
ALPHANUMERIC_SENDER_RE = re.compile(r"^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$")


def is_e164(number: str) -> bool:
    """True when ``number`` is an E.164 phone number Twilio would accept as ``To``."""
    return bool(E164_RE.match(number))


def is_valid_sender(sender: str) -> bool:
    """True for an E.164 number or an alphanumeric sender ID."""
    return is_e164(sender) or bool(ALPHANUMERIC_SENDER_RE.match(sender))


def keyword(body: str) -> str | None:
    """``"opt-out"``/``"opt-in"`` when the whole trimmed body is such a keyword, else None.

    Delegates to the desktop's shared rules so the sandbox's block list and the backend's
    idea of who opted out can never disagree.
    """
    kind = keyword_kind(body)
    if kind == "opt_out":
        return "opt-out"
    if kind == "opt_in":
        return "opt-in"
    return None


def count_segments(text: str) -> int:
    """How many SMS segments ``text`` needs, as Twilio bills it (``num_segments``).

    Uses the project's shared counter (GSM-7 160/153 septets, else UCS-2 70/67 UTF-16
    units, never splitting an escape or surrogate pair). A sent message always occupies
    at least one segment, so a media-only message counts 1, not 0.
    """
    return max(segment_info(text).segments, 1)
