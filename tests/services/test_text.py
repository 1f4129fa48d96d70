"""The one rule for typed text, which the conversations and the services' backstops share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.base import split_text, text_length
from bot.services.text import MAX_TEXT, clean_typed, read_text
from handlers.answers import read_percent


def test_text_needs_words_and_keeps_its_limit() -> None:
    assert read_text("  Đã hoàn thành  ").value == "Đã hoàn thành"
    assert read_text("x" * MAX_TEXT).value == "x" * MAX_TEXT
    assert read_text("x" * (MAX_TEXT + 1)).problem == "too_long"
    assert read_text("abc", limit=2).problem == "too_long"
    assert read_text(" ... !!! ").problem == "no_words"
    for empty in ("", "   ", None, 42, ["text"]):
        assert read_text(empty).problem == "empty"


@given(st.text(max_size=60), st.integers(min_value=1, max_value=80))
def test_accepted_text_is_stripped_within_the_limit(text: str, limit: int) -> None:
    answer = read_text(text, limit)
    assert (answer.value is None) != (answer.problem is None)
    if answer.value is not None:
        assert answer.value == text.strip() and len(answer.value) <= limit


def test_typed_text_loses_what_hides_or_reorders_it() -> None:
    assert clean_typed("ba\u0301o ca\u0301o") == "báo cáo"  # NFC: one code point per letter
    assert clean_typed("hoa\u0301\u202edon.exe") == "hoádon.exe"
    assert clean_typed("dòng 1\r\ndòng 2\x00\x07\tcột") == "dòng 1\ndòng 2\tcột"
    assert clean_typed("😀 \ud83d xong") == "😀 \ufffd xong"  # a lone surrogate from a broken emoji


@given(st.text(max_size=80))
def test_cleaned_text_can_always_be_measured_and_sent(text: str) -> None:
    cleaned = clean_typed(text)
    cleaned.encode("utf-8")  # no lone surrogate left: the database and platforms accept it
    assert clean_typed(cleaned) == cleaned
    assert all(text_length(piece) <= 10 for piece in split_text(cleaned, 10))


def test_a_lone_surrogate_is_measured_instead_of_raising() -> None:
    assert text_length("a\ud83db") == 3
    assert split_text("x\ud83d" * 3, 4) == ["x\ud83dx\ud83d", "x\ud83d"]


def test_numbers_are_read_in_ascii_digits_only() -> None:
    assert read_percent("60%") == 60
    assert read_percent("٦٠") is None  # Arabic-Indic digits
    assert read_percent("６０") is None  # full-width digits
