"""SMS rules shared by the desktop app and the backend.

Both sides import this module (the backend does ``from petsapp_common.sms import ...``), so it
must stay free of Qt and of the rest of the project: stdlib and ``phonenumbers`` only (that
one loaded on first use, from ``phones.py``).

It holds four things:

* segment counting exactly as Twilio bills it (no Smart Encoding), for the composer's counter;
* phone number normalisation to E.164, refusing anything that cannot receive a text;
* display helpers (national/international formatting, masking for logs);
* Twilio's default opt-out / opt-in / help keywords.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from petsapp_common.phone_error import PhoneNumberError

__all__ = [
    "GSM7_MULTI_SEGMENT",
    "GSM7_SINGLE_SEGMENT",
    "HELP_KEYWORDS",
    "MAX_BODY_CHARS",
    "OPT_IN_KEYWORDS",
    "OPT_OUT_KEYWORDS",
    "UCS2_MULTI_SEGMENT",
    "UCS2_SINGLE_SEGMENT",
    "WELCOME_TEMPLATE",
    "PhoneNumberError",
    "SegmentInfo",
    "format_phone",
    "keyword_kind",
    "mask_phone",
    "normalise_phone",
    "segment_info",
]

#: The first text a number gets from a clinic (the backend sends it; the desktop shows it
#: before Start). UK rules: it names the sender and how to opt out.
WELCOME_TEMPLATE = (
    "Hi, this is {clinic}. We'll text you from this number about your pet, and you can "
    "reply here to chat with us. Reply STOP to opt out."
)

# --------------------------------------------------------------------------------------------
# Segments
# --------------------------------------------------------------------------------------------

#: Twilio refuses a Body longer than this (counted in characters; Python's len() is close enough).
MAX_BODY_CHARS: int = 1600

# A segment carries 140 octets. GSM-7 packs 160 septets into them; once a message is split, a
# 6-octet User Data Header takes 48 bits, leaving room for 153 septets (or 67 UCS-2 code units).
GSM7_SINGLE_SEGMENT: int = 160
GSM7_MULTI_SEGMENT: int = 153
UCS2_SINGLE_SEGMENT: int = 70
UCS2_MULTI_SEGMENT: int = 67

# GSM 03.38 basic character set: one septet each (ESC itself is not a character).
_GSM7_BASIC: frozenset[str] = frozenset(
    "\n\r !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
    "¡£¤¥§¿ÄÅÆÉÑÖØÜßàäåæÇèéìñòöøùüΓΔΘΛΞΠΣΦΨΩ"
)
# Extension table: ESC + char, so two septets each. Backtick is deliberately absent (not GSM-7).
_GSM7_EXTENDED: frozenset[str] = frozenset("\x0c[\\]^{|}~€")


@dataclass(frozen=True)
class SegmentInfo:
    """How a message body will be sent and billed.

    Attributes:
        encoding: ``"GSM-7"`` or ``"UCS-2"``.
        segments: Number of SMS segments Twilio bills; 0 for empty text.
        remaining: Single-unit characters (GSM-7 septets, or UTF-16 code units for UCS-2) that
            still fit in the last segment without adding another; 160 for empty text.
        characters: ``len(text)``.
    """

    encoding: str
    segments: int
    remaining: int
    characters: int


def _pack(sizes: Iterable[int], single: int, multi: int) -> tuple[int, int]:
    """Pack units into segments the way Twilio's calculator does; return (segments, remaining).

    ``sizes`` holds each character's size in units (1, or 2 for an escape pair / surrogate pair).
    A character is never split across segments, so a 2-unit character that meets a segment with
    one unit left moves whole to the next segment, wasting that unit.
    """
    sizes = list(sizes)
    total = sum(sizes)
    if total <= single:
        # No User Data Header needed: everything fits in one segment (or there is nothing).
        return (1 if total else 0), single - total
    segments, used = 1, 0
    for size in sizes:
        if used + size > multi:
            segments, used = segments + 1, 0
        used += size
    return segments, multi - used


def segment_info(text: str) -> SegmentInfo:
    """Count the SMS segments ``text`` needs, exactly as Twilio bills it (no Smart Encoding).

    GSM-7 is used when every character is in the GSM 03.38 basic or extension table; otherwise
    the whole message goes as UCS-2, counted in UTF-16 code units (astral characters such as
    most emoji take a surrogate pair, 2 units, which is never split across segments).
    """
    if all(ch in _GSM7_BASIC or ch in _GSM7_EXTENDED for ch in text):
        sizes = (2 if ch in _GSM7_EXTENDED else 1 for ch in text)
        segments, remaining = _pack(sizes, GSM7_SINGLE_SEGMENT, GSM7_MULTI_SEGMENT)
        return SegmentInfo("GSM-7", segments, remaining, len(text))
    # A lone surrogate (possible in a Python str) is one code unit, like any BMP character.
    sizes = (2 if ord(ch) > 0xFFFF else 1 for ch in text)
    segments, remaining = _pack(sizes, UCS2_SINGLE_SEGMENT, UCS2_MULTI_SEGMENT)
    return SegmentInfo("UCS-2", segments, remaining, len(text))


# --------------------------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------------------------


# Mobile numbers receive texts; FIXED_LINE_OR_MOBILE is how NANP (US/Canada) numbers come out,
# where the metadata cannot tell the two apart, so it has to be allowed.
def normalise_phone(text: str, region: str = "GB") -> str:
    """``text`` as an E.164 mobile number, or :class:`PhoneNumberError` saying why not
    (:func:`petsapp_common.phones.normalise_phone`; ``phonenumbers`` loads on first use)."""
    from petsapp_common import phones

    return phones.normalise_phone(text, region)


def format_phone(e164: str, region: str = "GB") -> str:
    """The number as the clinic writes it (:func:`petsapp_common.phones.format_phone`)."""
    from petsapp_common import phones

    return phones.format_phone(e164, region)


def mask_phone(e164: str | None) -> str:
    """Mask a number for logs, which must never hold a full phone number.

    Keeps the first 3 characters (``+`` and country code-ish) and the last 3 digits:
    ``"+447400123456"`` -> ``"+44*******456"``. ``None`` or empty gives ``"-"``; anything of 6
    characters or fewer is masked entirely, as showing 3 + 3 would reveal all of it.
    """
    if not e164 or not e164.strip():
        return "-"
    value = e164.strip()
    if len(value) <= 6:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 6) + value[-3:]


# --------------------------------------------------------------------------------------------
# Keywords (Twilio's default opt-out handling)
# --------------------------------------------------------------------------------------------

OPT_OUT_KEYWORDS: frozenset[str] = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
OPT_IN_KEYWORDS: frozenset[str] = frozenset({"START", "YES", "UNSTOP"})
HELP_KEYWORDS: frozenset[str] = frozenset({"HELP", "INFO"})


def keyword_kind(body: str) -> str | None:
    """Classify an inbound body as ``"opt_out"``, ``"opt_in"``, ``"help"`` or ``None``.

    Like Twilio, only a body that is exactly one keyword counts (after trimming whitespace,
    ignoring case): ``" stop\\n"`` opts out, ``"Stop please"`` does not.
    """
    if not body:
        return None
    word = body.strip()
    # ASCII only: Unicode case mapping would otherwise turn lookalikes (long s, dotless i) into
    # keywords that Twilio itself would not act on, and our opt-out state must match Twilio's.
    if not word.isascii():
        return None
    word = word.upper()
    if word in OPT_OUT_KEYWORDS:
        return "opt_out"
    if word in OPT_IN_KEYWORDS:
        return "opt_in"
    if word in HELP_KEYWORDS:
        return "help"
    return None
