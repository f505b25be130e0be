"""Tests for petsapp_common.sms: segment counting, masking, keywords and the module's
imports (normalising and formatting numbers: test_phones.py)."""

from __future__ import annotations

import ast
import math
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from petsapp_common import phones, sms
from petsapp_common.sms import (
    GSM7_MULTI_SEGMENT,
    GSM7_SINGLE_SEGMENT,
    HELP_KEYWORDS,
    MAX_BODY_CHARS,
    OPT_IN_KEYWORDS,
    OPT_OUT_KEYWORDS,
    UCS2_MULTI_SEGMENT,
    UCS2_SINGLE_SEGMENT,
    SegmentInfo,
    keyword_kind,
    mask_phone,
    segment_info,
)
from tests import processes

# Independent oracle for the GSM 03.38 tables, written out from the spec rather than imported.
GSM_BASIC = (
    "\n\r !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
    "¡£¤¥§¿ÄÅÆÉÑÖØÜßàäåæÇèéìñòöøùüΓΔΘΛΞΠΣΦΨΩ"
)
GSM_EXTENDED = "\x0c[\\]^{|}~€"
# Characters that are NOT GSM-7, including common lookalikes: backtick, lower-case c-cedilla,
# curly quotes from phone keyboards, Polish l, a BMP symbol and an astral emoji.
NON_GSM = "`çá’“łж✓😀"

ROOT = Path(__file__).resolve().parents[3]


def seg(text: str) -> tuple[str, int, int]:
    """(encoding, segments, remaining) for compact assertions."""
    info = segment_info(text)
    return info.encoding, info.segments, info.remaining


# ------------------------------------------------------------------------------------------
# Segments: constants and hand-computed boundaries
# ------------------------------------------------------------------------------------------


def test_constants() -> None:
    assert MAX_BODY_CHARS == 1600
    assert GSM7_SINGLE_SEGMENT == 160
    assert GSM7_MULTI_SEGMENT == 153
    assert UCS2_SINGLE_SEGMENT == 70
    assert UCS2_MULTI_SEGMENT == 67


def test_empty_text() -> None:
    assert segment_info("") == SegmentInfo("GSM-7", 0, 160, 0)


def test_segment_info_is_frozen() -> None:
    info = segment_info("hi")
    with pytest.raises(AttributeError):
        info.segments = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("length", "segments", "remaining"),
    [
        (1, 1, 159),
        (160, 1, 0),  # exactly one full segment
        (161, 2, 145),  # now 153 per segment: 2 * 153 - 161
        (306, 2, 0),  # 2 * 153
        (307, 3, 152),  # 3 * 153 - 307
    ],
)
def test_gsm_boundaries(length: int, segments: int, remaining: int) -> None:
    info = segment_info("a" * length)
    assert info == SegmentInfo("GSM-7", segments, remaining, length)


@pytest.mark.parametrize(
    ("text", "segments", "remaining"),
    [
        # One escape char costs 2 septets: 158 + 2 = 160 still fits one segment.
        ("a" * 158 + "€", 1, 0),
        # 159 + 2 = 161 septets -> multi-part: seg 1 = 153 'a', seg 2 = 6 'a' + '€' = 8 septets.
        ("a" * 159 + "€", 2, 145),
        # 152 + 2 = 154 septets <= 160: a single segment, so no splitting question arises.
        ("a" * 152 + "{", 1, 6),
        # 164 septets -> multi-part. Seg 1 has 152 'a' and 1 septet free; the ESC pair cannot
        # be split, so '{' opens seg 2: 2 + 10 = 12 used, 141 left.
        ("a" * 152 + "{" + "b" * 10, 2, 141),
        # One 'a' fewer: 151 + 2 = 153 fills seg 1 exactly; seg 2 holds 10 'b'.
        ("a" * 151 + "{" + "b" * 10, 2, 143),
        # 306 septets: naive ceil(306 / 153) = 2, but the wasted septet in seg 1 costs a third
        # segment: seg 1 = 152, seg 2 = '{' + 151 'b' = 153, seg 3 = 1 'b'.
        ("a" * 152 + "{" + "b" * 152, 3, 152),
        # 80 euros = 160 septets: one segment. 81 = 162: seg 1 takes 76 (152 septets, 1 wasted),
        # seg 2 the other 5 (10 septets).
        ("€" * 80, 1, 0),
        ("€" * 81, 2, 143),
        # All ten extension characters: 20 septets.
        (GSM_EXTENDED, 1, 140),
        # CR LF is two plain GSM-7 characters (not a reason for UCS-2).
        ("hi\r\nthere", 1, 151),
    ],
)
def test_gsm_escapes(text: str, segments: int, remaining: int) -> None:
    assert seg(text) == ("GSM-7", segments, remaining)


@pytest.mark.parametrize("ch", GSM_BASIC)
def test_each_basic_char_is_one_septet(ch: str) -> None:
    assert seg(ch) == ("GSM-7", 1, 159)


@pytest.mark.parametrize("ch", GSM_EXTENDED)
def test_each_extended_char_is_two_septets(ch: str) -> None:
    assert seg(ch) == ("GSM-7", 1, 158)


@pytest.mark.parametrize("ch", NON_GSM)
def test_non_gsm_chars_force_ucs2(ch: str) -> None:
    info = segment_info("Hello " + ch)
    assert info.encoding == "UCS-2"
    # Astral characters take a surrogate pair.
    assert info.remaining == 70 - 6 - (2 if ord(ch) > 0xFFFF else 1)


@pytest.mark.parametrize(
    ("text", "segments", "remaining"),
    [
        ("ł" * 70, 1, 0),
        ("ł" * 71, 2, 63),  # 2 * 67 - 71
        ("ł" * 134, 2, 0),  # 2 * 67
        ("ł" * 135, 3, 66),  # 3 * 67 - 135
        # 35 emoji = 70 code units: exactly one segment.
        ("😀" * 35, 1, 0),
        # 36 emoji = 72 units: seg 1 takes 33 (66 units, 1 wasted), seg 2 the other 3 (6 units).
        ("😀" * 36, 2, 61),
        # 134 units, but the pair at offset 66 cannot be split: seg 1 = 66, seg 2 = 2 + 65 = 67,
        # seg 3 = 1. A naive ceil(134 / 67) would say 2.
        ("ł" * 66 + "😀" + "ł" * 66, 3, 66),
        # Shift the emoji one place left and it ends seg 1 exactly: 67 + 67.
        ("ł" * 65 + "😀" + "ł" * 67, 2, 0),
        # 152 GSM chars + 1 non-GSM = 153 UCS-2 units -> 67 + 67 + 19.
        ("a" * 152 + "ł", 3, 48),
        # A single backtick turns a whole GSM-looking message into UCS-2: 101 units.
        ("a" * 100 + "`", 2, 33),
        # A lone surrogate (possible in Python strings) is one code unit.
        ("\ud800", 1, 69),
    ],
)
def test_ucs2_boundaries(text: str, segments: int, remaining: int) -> None:
    assert seg(text) == ("UCS-2", segments, remaining)


def test_characters_is_len() -> None:
    assert segment_info("😀€a").characters == 3


def test_max_body_is_fast_and_sane() -> None:
    info = segment_info("😀" * (MAX_BODY_CHARS // 2))
    assert info.encoding == "UCS-2"
    assert info.segments == 25  # 1600 units, 33 emoji (66 units) per segment -> ceil(800 / 33)


# ------------------------------------------------------------------------------------------
# Segments: properties
# ------------------------------------------------------------------------------------------

MIXED_ALPHABET = GSM_BASIC[:20] + "az" + GSM_EXTENDED[:4] + "€" + NON_GSM
mixed_text = st.text(alphabet=MIXED_ALPHABET, max_size=400)


def units(text: str) -> int:
    """Septets for GSM-7 text, UTF-16 code units otherwise."""
    if all(c in GSM_BASIC or c in GSM_EXTENDED for c in text):
        return sum(2 if c in GSM_EXTENDED else 1 for c in text)
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)


@given(text=mixed_text, suffix=st.text(alphabet=MIXED_ALPHABET, min_size=1, max_size=40))
def test_segments_never_decrease_when_appending(text: str, suffix: str) -> None:
    assert segment_info(text + suffix).segments >= segment_info(text).segments


@given(text=mixed_text)
def test_remaining_within_bounds(text: str) -> None:
    info = segment_info(text)
    assert info.remaining >= 0
    single = GSM7_SINGLE_SEGMENT if info.encoding == "GSM-7" else UCS2_SINGLE_SEGMENT
    multi = GSM7_MULTI_SEGMENT if info.encoding == "GSM-7" else UCS2_MULTI_SEGMENT
    assert info.remaining <= (single if info.segments <= 1 else multi)
    assert info.characters == len(text)
    # Single segment exactly when everything fits in one.
    assert (info.segments <= 1) == (units(text) <= single)
    # Capacity covers the content; waste comes only from unsplittable pairs (< 1 per segment).
    if info.segments > 1:
        used = info.segments * multi - info.remaining
        assert units(text) <= used <= units(text) + info.segments - 1


@given(text=st.text(max_size=50) | mixed_text)
def test_encoding_is_gsm_iff_all_chars_in_tables(text: str) -> None:
    expected = all(c in GSM_BASIC or c in GSM_EXTENDED for c in text)
    assert (segment_info(text).encoding == "GSM-7") is expected


@given(text=st.text(alphabet=GSM_BASIC, min_size=161, max_size=700))
def test_gsm_basic_only_matches_ceil_formula(text: str) -> None:
    info = segment_info(text)
    assert info.segments == math.ceil(len(text) / 153)
    assert info.remaining == info.segments * 153 - len(text)


@given(text=st.text(alphabet="łжé✓ab ", min_size=71, max_size=400))
def test_ucs2_bmp_only_matches_ceil_formula(text: str) -> None:
    info = segment_info(text)
    if info.encoding == "UCS-2":  # the alphabet can produce all-GSM text by chance
        assert info.segments == math.ceil(len(text) / 67)


# ------------------------------------------------------------------------------------------
# Masking (phone numbers themselves: test_phones.py)
# ------------------------------------------------------------------------------------------


def test_mask_phone_examples() -> None:
    assert mask_phone("+447400123456") == "+44*******456"
    assert mask_phone(None) == "-"
    assert mask_phone("") == "-"
    assert mask_phone("  ") == "-"
    assert mask_phone("12345") == "*****"  # too short to reveal 3 + 3 characters


@given(digits=st.from_regex(r"\A[1-9][0-9]{6,14}\Z"))
def test_mask_phone_hides_middle(digits: str) -> None:
    e164 = "+" + digits
    masked = mask_phone(e164)
    assert len(masked) == len(e164)
    assert masked[:3] == e164[:3]
    assert masked[-3:] == e164[-3:]
    assert set(masked[3:-3]) == {"*"}
    middle = e164[3:-3]
    if len(middle) >= 4:
        assert middle not in masked


# ------------------------------------------------------------------------------------------
# Keywords
# ------------------------------------------------------------------------------------------


def test_keyword_sets() -> None:
    assert {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"} == (
        OPT_OUT_KEYWORDS
    )
    assert {"START", "YES", "UNSTOP"} == OPT_IN_KEYWORDS
    assert {"HELP", "INFO"} == HELP_KEYWORDS


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("STOP", "opt_out"),
        (" stop\n", "opt_out"),
        ("Unsubscribe", "opt_out"),
        ("optout", "opt_out"),
        ("\tRevoke  ", "opt_out"),
        ("start", "opt_in"),
        ("Yes", "opt_in"),
        ("UNSTOP", "opt_in"),
        ("help", "help"),
        ("Info", "help"),
        ("Stop please", None),
        ("OPT OUT", None),
        ("STOP.", None),
        ("yes please", None),
        ("", None),
        ("   ", None),
        ("Is Rex ready to collect?", None),
        ("\u017ftop", None),  # long s: Unicode upper() would make it STOP; Twilio would not
        ("ＳＴＯＰ", None),  # full-width letters
    ],
)
def test_keyword_kind(body: str, kind: str | None) -> None:
    assert keyword_kind(body) == kind


@given(word=st.sampled_from(sorted(OPT_OUT_KEYWORDS | OPT_IN_KEYWORDS | HELP_KEYWORDS)))
def test_keywords_ignore_case_and_padding(word: str) -> None:
    expected = keyword_kind(word)
    assert expected is not None
    assert keyword_kind(f"  {word.lower()} \r\n") == expected
    assert keyword_kind(word.title()) == expected
    assert keyword_kind(word + " now") is None


# ------------------------------------------------------------------------------------------
# Module hygiene: both sides import this module, so it must not drag in Qt or either side.
# ------------------------------------------------------------------------------------------


def _imported(module: object) -> set[str]:
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            names.add(node.module or "")
    return names


def test_imports_only_stdlib_and_phonenumbers() -> None:
    stdlib = {"__future__", "collections.abc", "dataclasses", "typing"}
    error = "petsapp_common.phone_error"  # shared by both, so that neither imports the other
    assert _imported(sms) <= stdlib | {"petsapp_common", error}  # phones, lazily
    assert _imported(phones) <= stdlib | {"phonenumbers", error}


def test_import_does_not_load_phonenumbers_until_a_number_is_handled() -> None:
    code = (
        "import sys, petsapp_common.sms as sms; print('phonenumbers' in sys.modules); "
        "sms.format_phone('+447400123456'); print('phonenumbers' in sys.modules)"
    )
    out = processes.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_import_does_not_load_qt() -> None:
    code = (
        "import sys, petsapp_common.sms; "
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))); "
        "assert not bad, bad"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = processes.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_a_number_abroad_is_told_by_its_country_and_plus_44_is_home() -> None:
    assert phones.abroad("+12025550123", "GB") == "US"
    assert phones.abroad("+33612345678", "GB") == "FR"
    assert phones.abroad("+447400123456", "GB") is None
    assert phones.abroad("+447797123456", "GB") is None  # Jersey: +44, texted as at home
