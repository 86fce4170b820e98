"""Title: given, headline, synthesized from the meeting sentence, cut, never empty."""

from __future__ import annotations

import pytest

from archive.enrich import enrich
from tests.enrich.helpers import make_doc


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # a headline first line
        ("青禾区召开民营企业发展座谈会\n3月15日上午,召开座谈会。", "青禾区召开民营企业发展座谈会"),
        ("  天河水务公司举行学习会  \n正文。", "天河水务公司举行学习会"),
        # a first line ending like a sentence part is no headline: synthesize
        (
            "1月5日-6日,市交投集团召开2022年度工作务虚会,总结2021年工作,部署2022年任务。",
            "市交投集团召开2022年度工作务虚会",
        ),
        ("1月5日市交投集团召开2022年度工作务虚会。", "市交投集团召开2022年度工作务虚会"),
        ("近日,江岭能源集团召开党委会议,研究安全生产。", "江岭能源集团召开党委会议"),
        ("3月1日上午,天河水务公司隆重举行总结表彰大会。", "天河水务公司隆重举行总结表彰大会"),
        (
            "1月30日,滨海港务集团第三届职工代表大会第二次会议在集团总部召开。",
            "滨海港务集团第三届职工代表大会第二次会议在集团总部召开",
        ),
        # a first line that opens with a date is a dateline, not a headline
        ("1月5日 市交投集团召开会议\n会议研究了安全生产。", "市交投集团召开会议"),
        # no meeting: the first sentence, cut
        (
            "今年以来,全区经济运行总体平稳,主要指标好于预期,就业形势保持稳定。",
            "今年以来,全区经济运行总体平稳,主要指标好于预期,就业形势保",
        ),
        ("3月2日,市民在公园植树。", "市民在公园植树"),
    ],
)
def test_title(text: str, title: str) -> None:
    assert enrich(make_doc(text)).title == title


def test_title_given_by_the_markup_wins() -> None:
    doc = make_doc("青禾区召开座谈会\n正文。", title="青禾区民营企业座谈会召开")
    assert enrich(doc).title == "青禾区民营企业座谈会召开"


def test_blank_given_title_is_ignored() -> None:
    assert enrich(make_doc("青禾区召开座谈会\n正文。", title="  ")).title == "青禾区召开座谈会"


@pytest.mark.parametrize("text", ["", "   ", "。。。", "\n\n"])
def test_title_is_never_empty(text: str) -> None:
    assert enrich(make_doc(text, filename="2022-03-16 会议.txt")).title == "2022-03-16 会议"
