"""The one rule for typed text, which the conversations and the services' backstops share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.services.text import MAX_TEXT, read_text


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
