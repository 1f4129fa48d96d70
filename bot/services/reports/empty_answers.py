"""The one rule for an optional question's answer that means "nothing to say".

At "khó khăn, vướng mắc" and "đề xuất, kiến nghị" people answer "Không", "không có", "chưa
có", "Bỏ qua", "ko", "0", "không có khó khăn gì ạ" or "none": that is no blocker and no
proposal. Case, diacritics, punctuation and polite particles do not matter; a sentence that
names something ("Chưa có kinh phí") is an answer, so only the words of the question itself
may follow a negation.
"""

from __future__ import annotations

import re
import unicodedata

# Whole answers that mean none, after folding (lower case, no diacritics, đ → d).
_NONE = frozenset(
    {
        "khong",
        "ko",
        "k",
        "kg",
        "kh",
        "khg",
        "hong",
        "hok",
        "0",
        "khong co",
        "ko co",
        "k co",
        "kco",
        "chua co",
        "chua",
        "bo qua",
        "boqua",
        "skip",
        "none",
        "no",
        "nothing",
        "nil",
        "n",  # "n/a", once "a" is read as a particle
        "na",
        "khong co gi",
        "ko co gi",
        "chua co gi",
        "khong co y kien",
        "khong y kien",
        "khong phat sinh",
    }
)
# A negation that may open an answer meaning none…
_NEGATIONS = ("khong co", "ko co", "k co", "chua co", "khong", "ko", "chua", "no", "none")
# …followed only by the question's own words ("không có khó khăn, vướng mắc gì").
_TOPIC_WORDS = frozenset(
    {"kho", "khan", "vuong", "mac", "diem", "nghen", "de", "xuat", "kien", "nghi", "y", "gi"}
    | {"ca", "nao", "them", "van", "phat", "sinh"}
)
# Polite particles and fillers that change nothing: "Không ạ", "không có nhé", "dạ không",
# "Đơn vị hiện nay chưa có".
_FILLERS = frozenset(
    {"a", "da", "vang", "nhe", "nha", "ah", "oi", "thua", "ak", "don", "vi", "hien", "tai", "nay"}
)


def fold(text: str) -> str:
    """Lower case without diacritics or punctuation, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


def means_none(text: str | None) -> bool:
    """Whether a typed answer to an optional question means "nothing" (no blocker, no proposal)."""
    if text is None:
        return True
    words = [w for w in fold(text).split() if w not in _FILLERS]
    phrase = " ".join(words)
    if not phrase or phrase in _NONE:
        # Only punctuation or particles ("-", "dạ ạ") say nothing either.
        return True
    for negation in _NEGATIONS:
        if phrase.startswith(negation + " "):
            rest = phrase[len(negation) + 1 :].split()
            return all(w in _TOPIC_WORDS for w in rest)
    return False
