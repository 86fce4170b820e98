"""Places: known names, administrative endings, and what is not a place."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.enrich import enrich
from archive.enrich.places import find_places, is_place, place_parents
from archive.enrich.rules import read_rule_file
from archive.enrich.text import Segmented
from tests.enrich.helpers import make_doc


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("代表团到河北省石家庄市考察。", ["河北省", "石家庄市"]),
        ("河北省石家庄市召开会议。", []),  # the organizer is an organisation here
        ("北京、上海、广州三地同步举行。", ["北京", "上海", "广州"]),
        ("中国南非两国签署协议。", ["中国", "南非"]),  # adjacent places stay separate
        ("广西壮族自治区和香港特别行政区代表发言。", ["广西壮族自治区", "香港特别行政区"]),
        ("他曾在亚洲、欧洲和中东工作。", ["亚洲", "欧洲", "中东"]),
        ("代表团访问了美国纽约和日本东京。", ["美国", "纽约", "日本", "东京"]),
        ("平谷县的农民增收了。", ["平谷县"]),  # jieba ns word with an ending
        ("海淀区中关村科技园区。", ["海淀区", "中关村"]),
        ("中国人民向台湾同胞致意。", ["中国", "台湾"]),  # a place opening a longer word
        ("北京、北京市、北京重复出现。", ["北京", "北京市"]),  # deduplicated, in order
    ],
)
def test_places(text: str, places: list[str]) -> None:
    assert enrich(make_doc(text)).places == places


@pytest.mark.parametrize(
    "text",
    [
        "城市建设和市场监管要加强。",  # 城市, 市场
        "市委市政府高度重视。",  # 市委
        "市城发集团召开会议。",  # 市城 is no place, the whole is an organisation
        "北京大学和中国政府代表出席。",  # a place inside an organisation
        "北京市委书记讲话。",
        "沿海地区的大中城市。",
        "他在地区工作。",
        "",
    ],
)
def test_no_places(text: str) -> None:
    assert enrich(make_doc(text)).places == []


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("石家庄", True),
        ("石家庄市", True),
        ("朝阳区", True),
        ("伊拉克", True),  # jieba ns, transliteration characters only
        ("城市", False),
        ("市场", False),
        ("市委", False),
        ("地区", False),
        ("京", False),  # no one-character short forms
    ],
)
def test_is_place(word: str, expected: bool) -> None:
    assert is_place(word) is expected


def test_the_hierarchy_names_parents() -> None:
    parents = place_parents()
    assert parents["石家庄"] == "河北"
    assert parents["河北"] == "中国"
    assert parents["纽约"] == "美国"
    assert not [name for name in parents if len(name) < 2]


def _places_by_rescan(seg: Segmented) -> list[tuple[int, int]]:
    """find_places as first written, cutting the text for every run of tokens: the
    reference the faster loop must agree with."""
    from archive.enrich.places import MAX_PLACE_CHARS, MAX_PLACE_TOKENS, leading_place

    tokens, known, i, out = seg.tokens, place_parents(), 0, []
    ends = {suffix[-1] for suffix in read_rule_file("place_suffixes.txt")}
    while i < len(tokens):
        found = None
        for j in range(min(len(tokens), i + MAX_PLACE_TOKENS) - 1, i - 1, -1):
            start, end = tokens[i].start, tokens[j].end
            word = seg.text[start:end]
            long_or_bare = end - start > MAX_PLACE_CHARS or word[-1] not in ends
            if j > i and long_or_bare and word not in known:
                continue
            if is_place(word):
                found = j
                break
        if found is None:
            start = tokens[i].start
            end = start + leading_place(tokens[i].word)
            found = i if end > start else None
        else:
            start, end = tokens[i].start, tokens[found].end
        if found is None:
            i += 1
            continue
        out.append((start, end))
        stop = tokens[found].end
        if end < stop and is_place(seg.text[end:stop]):
            out.append((end, stop))
        i = found + 1
    return out


_PIECES = [
    "河北", "省", "石家庄", "市", "海淀", "区", "平谷", "县", "中国", "人民", "台湾", "同胞",
    "美国", "纽约", "伊拉克", "城市", "市场", "市委", "北京", "大学", "西站", "香港", "回归",
    "广西", "壮族", "自治区", "特别行政区", "青禾", "集团", "召开", "会议", "，", "。", "、",
    "2021", "年", "和", "的", "地区", "镇", "村", "街道",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_the_token_loop_finds_what_cutting_every_run_finds(pieces: list[str]) -> None:
    seg = Segmented("".join(pieces))
    assert list(find_places(seg)) == _places_by_rescan(seg)
