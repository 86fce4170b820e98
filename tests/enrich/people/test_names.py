"""The name readings' cheap pre-test must never turn away a token they would take."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.enrich.people.names import (
    dictionary_name,
    foreign_name,
    may_start_name,
    unknown_name,
)
from archive.enrich.text import Segmented, fold

PIECES = [
    *("柏松涛", "谭鸿飞", "常昭明", "林海", "郑启明", "约翰", "·", "米勒", "米勒顿", "让"),
    *("皮埃尔", "董事长", "出席", "会议", "集团", "，", "。", "、", "说", "同志", "王", "高"),
    *("素质", "施工图", "陈妍", "欧佩克", "利库德", "2021", "年", " ", "\n"),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25).map("".join))
def test_a_token_turned_away_is_one_no_reading_takes(text: str) -> None:
    seg = Segmented(text)
    folded = fold(text)
    for index, token in enumerate(seg.tokens):
        if may_start_name(folded, token):
            continue
        for reading in (dictionary_name, unknown_name, foreign_name):
            assert reading(folded, seg, index) is None, (reading.__name__, token)


def test_long_words_and_dot_names_pass_the_pre_test_and_common_words_do_not() -> None:
    text = "董事长和约翰·米勒出席"
    seg = Segmented(text)
    passed = [t.word for t in seg.tokens if may_start_name(text, t)]
    assert passed == ["董事长", "约翰"]
