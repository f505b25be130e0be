"""Tests for phone numbers (petsapp_common.phones, reached through sms.normalise_phone and
sms.format_phone as the app and the backend call them): what is accepted, what is refused
and why, and how numbers are shown."""

from __future__ import annotations

import pickle
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from petsapp_common.sms import PhoneNumberError, format_phone, normalise_phone

# ------------------------------------------------------------------------------------------
# Phone numbers
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "07400 123456",
        "07400123456",
        "+44 7400 123456",
        "+447400123456",
        "447400123456",
        "0044 7400 123456",
        "(07400) 123-456",
        "+44 (0)7400 123456",
        "tel:+44-7400-123456",
        "  07400 123456\n",
    ],
)
def test_accepted_forms(text: str) -> None:
    assert normalise_phone(text) == "+447400123456"


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("07624 123456", "+447624123456"),  # Isle of Man
        ("07781 123456", "+447781123456"),  # Guernsey
        ("07911 123456", "+447911123456"),  # Guernsey
        ("07839 123456", "+447839123456"),  # Guernsey
        ("07797 123456", "+447797123456"),  # Jersey
        ("07509 123456", "+447509123456"),  # Jersey
    ],
)
def test_crown_dependency_mobiles_accepted(text: str, e164: str) -> None:
    assert normalise_phone(text) == e164


def test_irish_mobile_with_ie_region() -> None:
    assert normalise_phone("085 123 4567", region="IE") == "+353851234567"
    assert normalise_phone("085 123 4567", region="ie") == "+353851234567"
    # Written internationally, the clinic's region does not matter.
    assert normalise_phone("+353 85 123 4567") == "+353851234567"


def test_us_fixed_line_or_mobile_accepted() -> None:
    assert normalise_phone("+1 212 555 0100") == "+12125550100"


def refused(text: str, region: str = "GB") -> PhoneNumberError:
    with pytest.raises(PhoneNumberError) as info:
        normalise_phone(text, region)
    return info.value


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Enter a phone number."),
        ("   ", "Enter a phone number."),
        ("hello", "does not look like a phone number"),
        ("07700 900123", "not a valid phone number"),  # Ofcom drama range
        ("0740012345", "too few digits"),  # one digit short
        ("07400 1234567", "too many digits"),
        ("+999 1234 5678", "country code"),
        ("07400 123456 ext 12", "Remove the extension"),
        ("07400 123456 x12", "Remove the extension"),
    ],
)
def test_invalid_numbers(text: str, fragment: str) -> None:
    error = refused(text)
    assert error.code == "invalid_phone"
    assert fragment in str(error)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("020 7946 0000", "020 7946 0000 is a landline number"),
        ("07012 345678", "personal number"),  # 070: personal numbering, not mobile
        ("07640 123456", "pager"),  # 076 but not 07624 (Isle of Man)
        ("0800 123 4567", "freephone"),
    ],
)
def test_not_mobile(text: str, fragment: str) -> None:
    error = refused(text)
    assert error.code == "not_mobile"
    assert fragment in str(error)
    assert str(error).endswith("SMS chat needs a mobile number.")


def test_error_is_value_error_and_pickles() -> None:
    error = refused("020 7946 0000")
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, str(copy)) == (error.code, str(error))


def test_long_junk_is_not_echoed_in_full() -> None:
    error = refused("x" * 500)
    assert len(str(error)) < 120


gb_mobile_input = st.builds(
    lambda prefix, digits, sep: prefix + sep.join(digits[i : i + 3] for i in range(0, 10, 3)),
    st.sampled_from(["0", "+44", "44", "0044", "+44 (0)", "tel:+44-", "+44 "]),
    st.from_regex(r"\A7[1-9][0-9]{8}\Z"),
    st.sampled_from(["", " ", "-", "."]),
)


@settings(deadline=None)
@given(text=gb_mobile_input)
def test_normalise_is_idempotent(text: str) -> None:
    try:
        e164 = normalise_phone(text)
    except PhoneNumberError as error:
        assert error.code in {"invalid_phone", "not_mobile"}
        return
    assert re.fullmatch(r"\+447\d{9}", e164)
    assert normalise_phone(e164) == e164
    assert normalise_phone(format_phone(e164)) == e164


@settings(deadline=None)
@given(text=st.text(alphabet="0123456789+()- .xet:abc", max_size=25))
def test_normalise_returns_e164_or_raises_phone_error(text: str) -> None:
    try:
        e164 = normalise_phone(text)
    except PhoneNumberError as error:
        assert error.code in {"invalid_phone", "not_mobile"}
        assert str(error)
    else:
        assert re.fullmatch(r"\+[1-9]\d{6,14}", e164)


# ------------------------------------------------------------------------------------------
# Formatting
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("e164", "region", "shown"),
    [
        ("+447400123456", "GB", "07400 123456"),
        ("+447624123456", "GB", "07624 123456"),  # Isle of Man shares +44: national
        ("+353851234567", "GB", "+353 85 123 4567"),
        ("+353851234567", "IE", "085 123 4567"),
        ("+447400123456", "IE", "+44 7400 123456"),
    ],
)
def test_format_phone_round_trip(e164: str, region: str, shown: str) -> None:
    assert format_phone(e164, region) == shown
    assert normalise_phone(shown, region) == e164


@pytest.mark.parametrize("text", ["", "not a number", "+"])
def test_format_phone_leaves_unparseable_alone(text: str) -> None:
    assert format_phone(text) == text
