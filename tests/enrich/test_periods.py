"""Plan periods and anniversaries."""

from __future__ import annotations

import pytest

from archive.enrich import enrich
from tests.enrich.helpers import make_doc


@pytest.mark.parametrize(
    ("text", "periods"),
    [
        ("总结“十三五”时期工作,谋划“十四五”工作思路。", ["十三五", "十四五"]),
        ("十四五规划和十四五开局。", ["十四五"]),  # deduplicated
        ("编制第十四个五年规划。", ["第十四个五年规划"]),
        ("“九五”计划顺利实施,九五期间成绩显著。", ["九五"]),
        ("庆祝建党100周年。", ["建党100周年"]),
        ("庆祝建国70周年和改革开放40周年。", ["建国70周年", "改革开放40周年"]),
        ("纪念新中国成立七十周年。", ["新中国成立七十周年"]),
        ("纪念邓小平同志诞辰１００周年。", ["邓小平同志诞辰１００周年"]),  # as written
    ],
)
def test_periods(text: str, periods: list[str]) -> None:
    assert enrich(make_doc(text)).periods == periods


@pytest.mark.parametrize(
    "text",
    [
        "十五年来变化很大。",
        "二十一五个单位参加。",
        "他今年九五岁。",
        "公司成立三周年。",  # no listed event
        "",
    ],
)
def test_no_periods(text: str) -> None:
    assert enrich(make_doc(text)).periods == []
