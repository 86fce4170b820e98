from hypothesis import given
from hypothesis import strategies as st

from archive import segment


def test_words_and_grams_of_mixed_text() -> None:
    text = "集团召开2022年度会议，部署5G网络"
    assert segment.words(text) == ["集团", "召开", "2022", "年度", "会议", "部署", "5g", "网络"]
    assert segment.grams(text) == [
        "集团",
        "团召",
        "召开",
        "2022",
        "年度",
        "度会",
        "会议",
        "部署",
        "5g",
        "网络",
    ]


def test_single_characters_stay_unigrams() -> None:
    assert segment.grams("党、会") == ["党", "会"]


def test_punctuation_and_spaces_drop() -> None:
    assert segment.grams("“ ” 。，！") == []


@given(st.text())
def test_tokens_never_contain_spaces(text: str) -> None:
    for token in segment.words(text) + segment.grams(text):
        assert token and " " not in token
