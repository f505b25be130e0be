"""Phone numbers: normalising to E.164 and formatting for display, with ``phonenumbers``.

Kept apart from ``sms.py`` because importing ``phonenumbers`` takes ~20 ms, and the desktop's
first screen must not wait for it; ``sms.normalise_phone``/``sms.format_phone`` load this
module on first use.
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from petsapp_common.phone_error import PhoneNumberError

_TEXTABLE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})

_TYPE_NAMES: dict[int, str] = {
    PhoneNumberType.FIXED_LINE: "a landline number",
    PhoneNumberType.TOLL_FREE: "a freephone number",
    PhoneNumberType.PREMIUM_RATE: "a premium-rate number",
    PhoneNumberType.SHARED_COST: "a shared-cost number",
    PhoneNumberType.VOIP: "an internet (VoIP) number",
    PhoneNumberType.PERSONAL_NUMBER: "a personal number",
    PhoneNumberType.PAGER: "a pager number",
    PhoneNumberType.UAN: "a company number",
    PhoneNumberType.VOICEMAIL: "a voicemail access number",
}

_PARSE_REASONS: dict[int, str] = {
    NumberParseException.INVALID_COUNTRY_CODE: "the country code is not recognised.",
    NumberParseException.NOT_A_NUMBER: "it does not look like a phone number.",
    NumberParseException.TOO_SHORT_AFTER_IDD: "it has too few digits.",
    NumberParseException.TOO_SHORT_NSN: "it has too few digits.",
    NumberParseException.TOO_LONG: "it has too many digits.",
}

_LENGTH_REASONS: dict[int, str] = {
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "the country code is not recognised.",
    phonenumbers.ValidationResult.TOO_SHORT: "it has too few digits.",
    phonenumbers.ValidationResult.TOO_LONG: "it has too many digits.",
    phonenumbers.ValidationResult.INVALID_LENGTH: "check the number of digits.",
}


def _shown(text: str) -> str:
    """The user's input as echoed back in a message, cut short so junk cannot flood the UI."""
    text = " ".join(text.split())
    return text if len(text) <= 30 else text[:29] + "…"


def _invalid_reason(number: phonenumbers.PhoneNumber) -> str:
    """Explain why a parsed number is invalid, using phonenumbers' length checks where possible."""
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason in _LENGTH_REASONS:
        return _LENGTH_REASONS[reason]
    # The length suits *some* number type (GB landlines can be 9 or 10 digits) but maybe not a
    # mobile: "0740012345" is a plausible length overall yet one digit short for a mobile.
    reason = phonenumbers.is_possible_number_for_type_with_reason(number, PhoneNumberType.MOBILE)
    if reason == phonenumbers.ValidationResult.TOO_SHORT:
        return "it has too few digits for a mobile number."
    if reason == phonenumbers.ValidationResult.TOO_LONG:
        return "it has too many digits for a mobile number."
    # Right length but an unallocated range (such as Ofcom's 07700 900xxx drama numbers).
    return "check the digits."


def normalise_phone(text: str, region: str = "GB") -> str:
    """Return ``text`` as an E.164 mobile number (e.g. ``"+447400123456"``).

    ``region`` is the clinic's country (ISO 3166 code such as ``"GB"`` or ``"IE"``) and decides
    how numbers written without a country code are read.

    Raises:
        PhoneNumberError: ``code="invalid_phone"`` when the text is blank, unparseable, not a
            valid number or has an extension; ``code="not_mobile"`` when the number is valid but
            cannot receive texts (landline, pager, personal number, ...).
    """
    if not text or not text.strip():
        raise PhoneNumberError("invalid_phone", "Enter a phone number.")
    shown = _shown(text)
    try:
        number = phonenumbers.parse(text, region.upper())
    except NumberParseException as exc:
        reason = _PARSE_REASONS.get(exc.error_type, "check the number.")
        raise PhoneNumberError(
            "invalid_phone", f"{shown} is not a valid phone number: {reason}"
        ) from None
    if number.extension:
        raise PhoneNumberError(
            "invalid_phone", "Remove the extension: a text message cannot reach an extension."
        )
    # is_valid_number, not is_possible_number: length alone would let unallocated ranges through.
    if not phonenumbers.is_valid_number(number):
        raise PhoneNumberError(
            "invalid_phone", f"{shown} is not a valid phone number: {_invalid_reason(number)}"
        )
    # No region check on purpose: Isle of Man, Guernsey and Jersey mobiles share +44 but belong
    # to regions IM/GG/JE, and UK clinics must be able to text them.
    kind = phonenumbers.number_type(number)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if kind not in _TEXTABLE_TYPES:
        described = _TYPE_NAMES.get(kind, "not a mobile number")
        raise PhoneNumberError(
            "not_mobile",
            f"{format_phone(e164, region)} is {described}. SMS chat needs a mobile number.",
        )
    return e164


def format_phone(e164: str, region: str = "GB") -> str:
    """Format a number for display: national within the clinic's country code, else international.

    "Country" means calling code, so a Jersey mobile shows as ``07797 123456`` to a GB clinic.
    Returns ``e164`` unchanged when it cannot be parsed.
    """
    if not e164:
        return e164
    region = region.upper()
    try:
        number = phonenumbers.parse(e164, region)
    except NumberParseException:
        return e164
    same_country = number.country_code == phonenumbers.country_code_for_region(region)
    style = PhoneNumberFormat.NATIONAL if same_country else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def abroad(e164: str, region: str = "GB") -> str | None:
    """The ISO region code of the country a number is in, when its calling code is not the
    clinic's (``"US"`` for a GB clinic); None at home (a Jersey mobile is +44, texted like
    any UK one) or when ``phonenumbers`` cannot tell. (Its geocoder, which names countries,
    is ~40 MB of data the bundle leaves out: the window names the country with Qt.)"""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return None
    if number.country_code == phonenumbers.country_code_for_region(region.upper()):
        return None
    return phonenumbers.region_code_for_number(number) or None
