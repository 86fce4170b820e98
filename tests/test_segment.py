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


def test_the_user_dictionary_keeps_rule_words_whole() -> None:
    # titles, meeting types and well-known organisations from enrich/rules
    words = segment.words("党委书记主持务虚会，国家计委和国务院港澳办派员参加")
    assert {"党委书记", "务虚会", "国家计委", "国务院港澳办"} <= set(words)


def test_the_dictionary_fingerprint_follows_the_user_dictionary() -> None:
    from archive.enrich.rules import user_dictionary

    fingerprint = segment.dictionary_fingerprint()
    assert len(fingerprint) == 12 and fingerprint == segment.dictionary_fingerprint()
    assert ("党委书记", "n") in user_dictionary() and ("国家计委", "nt") in user_dictionary()
