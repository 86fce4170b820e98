"""Enumerations: items split exactly at their markers, whatever the items say."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from archive.enrich.directives.enumerations import chinese_number, find_items
from archive.enrich.text import fold

# Item text: Han characters that cannot form a marker (no numerals, 是, 第, 其, 首先…).
_SAFE = "抓项目建设推进改革发展强化保障严格考核提升质量效益安全稳定服务群众落实责任"
item_text = st.text(alphabet=_SAFE, min_size=2, max_size=12)

STYLES = {
    "一是": lambda n: f"{chinese_number(n)}是",
    "第一": lambda n: f"第{chinese_number(n)}，",
    "（一）": lambda n: f"（{chinese_number(n)}）",
    "（1）": lambda n: f"（{n}）",
    "1.": lambda n: f"{n}.",
}


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 23)] == [
        "一", "九", "十", "十一", "二十", "二十三"
    ]  # fmt: skip


@given(
    items=st.lists(item_text, min_size=2, max_size=12),
    style=st.sampled_from(sorted(STYLES)),
    joint=st.sampled_from(["；", "。", "\n"]),
)
def test_items_are_split_exactly_at_their_markers(items: list[str], style: str, joint: str) -> None:
    marker = STYLES[style]
    body = joint.join(marker(n) + item for n, item in enumerate(items, 1))
    text = fold("要做好以下工作：" + body + "。")
    found = find_items(text, 0, 12, len(text))
    assert [text[i.start : i.end].rstrip("；。;\n") for i in found] == items


@given(items=st.lists(item_text, min_size=2, max_size=6))
def test_first_then_last(items: list[str]) -> None:
    words = ["首先"] + ["其次"] * (len(items) - 2) + ["最后"]
    text = "要求：" + "，".join(w + item for w, item in zip(words, items, strict=True)) + "。"
    found = find_items(fold(text), 0, 6, len(text))
    assert [fold(text)[i.start : i.end].rstrip("，,。") for i in found] == items


@given(item=item_text)
def test_one_marker_is_no_list(item: str) -> None:
    text = fold(f"要做好以下工作：一是{item}。")
    assert find_items(text, 0, 12, len(text)) == []


def test_a_list_stops_at_the_caller_s_limit() -> None:
    text = fold("要求：一是抓项目；二是抓改革。王刚强调：三是抓党建。")
    stop = text.index("王刚")
    assert [text[i.start : i.end] for i in find_items(text, 0, 6, stop)] == ["抓项目;", "抓改革。"]
