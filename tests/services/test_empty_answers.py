"""The rule for an optional answer that means none: what it accepts and what stays an answer."""

from __future__ import annotations

import pytest

from bot.services.reports import means_none

NONE_ANSWERS = [
    "Không",
    "không",
    "KHÔNG!",
    "Không.",
    "khong",
    "Không có",
    "không có.",
    "Chưa có",
    "chưa có ạ",
    "Bỏ qua",
    "bo qua",
    "ko",
    "Ko",
    "k",
    "K.",
    "0",
    "không có gì",
    "Không có gì ạ",
    "Dạ không",
    "none",
    "None",
    "no",
    "NO",
    "n/a",
    "Không có khó khăn, vướng mắc",
    "không có vướng mắc gì",
    "Không có đề xuất, kiến nghị.",
    "chưa có kiến nghị gì",
    "Không ý kiến",
    "  không  có  ",
    "Không phát sinh",
    "Đơn vị không có khó khăn, vướng mắc",
    "Hiện nay chưa có",
    "không có vấn đề gì",
    "-",
    "Không\u0301",  # a stray combining accent
    "Kho\u0302ng co\u0301",  # decomposed diacritics (NFD)
]

REAL_ANSWERS = [
    "Chưa có kinh phí mua đầu đọc thẻ",
    "Không có kết nối mạng tại 3 xã",
    "Đề nghị Sở Tài chính bố trí kinh phí",
    "Kho bạc chưa hướng dẫn",
    "Thiếu nhân lực",
    "không kịp tiến độ",
    "khó khăn về kinh phí",
    "10 cơ sở chưa có máy đọc thẻ",
    "Không có khó khăn gì lớn nhưng thiếu máy",
    "kiến nghị bổ sung biên chế",
    "Đơn vị chưa có kinh phí",
    "Hiện tại không có đường truyền",
    "Không phát sinh kinh phí nên chưa mua được máy",
]


@pytest.mark.parametrize("answer", NONE_ANSWERS)
def test_these_answers_mean_none(answer: str) -> None:
    assert means_none(answer)


@pytest.mark.parametrize("answer", REAL_ANSWERS)
def test_an_answer_that_names_something_is_kept(answer: str) -> None:
    assert not means_none(answer)


def test_no_answer_at_all_means_none() -> None:
    assert means_none(None)
