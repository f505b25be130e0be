"""Pure SMS rules: segment counting, E.164, masking, opt-out keywords."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.sandbox import sms

GSM_BASIC = "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#%&'()*+,-./0123456789:;<=>?ABCXYZabcxyzäöñüà"


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters take two septets
        ("€" * 81, 2),
        ("a" * 152 + "€", 1),
        ("a" * 159 + "€", 2),
        ("é" * 160, 1),  # é is in the GSM alphabet
        ("ę" * 70, 1),  # ę is not: UCS-2
        ("ę" * 71, 2),
        ("ę" * 134, 2),
        ("ę" * 135, 3),
        ("🐶" * 35, 1),  # astral characters take two UTF-16 units
        ("🐶" * 36, 2),
        ("a" * 66 + "🐶" + "a" * 66, 3),  # a surrogate pair is never split in two
    ],
)
def test_count_segments(text: str, segments: int) -> None:
    assert sms.count_segments(text) == segments


@given(st.text(alphabet=GSM_BASIC, min_size=1, max_size=1600))
def test_gsm_segments_formula(text: str) -> None:
    expected = 1 if len(text) <= 160 else math.ceil(len(text) / 153)
    assert sms.count_segments(text) == expected


@given(st.text(alphabet="ęłśżźćńą€", min_size=1, max_size=800).filter(lambda t: "€" not in t))
def test_ucs2_segments_formula(text: str) -> None:
    expected = 1 if len(text) <= 70 else math.ceil(len(text) / 67)
    assert sms.count_segments(text) == expected


@given(st.text(max_size=400), st.text(max_size=50))
def test_more_text_never_needs_fewer_segments(text: str, more: str) -> None:
    # Holds within one encoding; adding a non-GSM char can only switch GSM -> UCS-2 (more).
    assert sms.count_segments(text + more) >= sms.count_segments(text)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("+447700900123", True),
        ("+1415555", True),
        ("+123456", False),
        ("+1234567890123456", False),
        ("+0447700900123", False),
        ("447700900123", False),
        ("07700900123", False),
        ("+44 7700 900123", False),
    ],
)
def test_is_e164(number: str, valid: bool) -> None:
    assert sms.is_e164(number) is valid


def test_senders() -> None:
    assert sms.is_valid_sender("+447700900500")
    assert sms.is_valid_sender("VETCLINIC")
    assert sms.is_valid_sender("Vets 4 Pets")
    assert not sms.is_valid_sender("123456")  # digits only: a mistyped number
    assert not sms.is_valid_sender("TWELVECHARSX")


def test_the_sandbox_masks_numbers_as_every_other_part_does() -> None:
    assert sms.mask_phone("+447700900123") == "+44*******123"  # the one rule (petsapp_common.sms)
    assert sms.mask_phone(None) == "-"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("STOP", "opt-out"),
        (" stop\n", "opt-out"),
        ("Unsubscribe", "opt-out"),
        ("start", "opt-in"),
        ("YES", "opt-in"),
        ("UNSTOP", "opt-in"),
        ("stop please", None),
        ("HELP", None),
        ("", None),
    ],
)
def test_keyword(body: str, kind: str | None) -> None:
    assert sms.keyword(body) == kind
