"""The meeting's location, and the other meetings an article names."""

from __future__ import annotations

import pytest

from archive.enrich import enrich
from tests.enrich.helpers import make_doc


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("1月30日,滨海港务集团第三届职工代表大会第二次会议在集团总部召开。", "集团总部"),
        ("近日,江岭能源集团在总部召开党委会议。", "总部"),
        ("江岭能源集团于1月8日在北京召开年度工作会议。", "北京"),
        ("全市安全生产工作会议在市行政中心举行。", "市行政中心"),
        ("3月1日,青禾区在区政府三楼会议室以视频形式召开座谈会。", "区政府三楼会议室"),
    ],
)
def test_location(text: str, location: str) -> None:
    assert enrich(make_doc(text)).meeting.location == location


@pytest.mark.parametrize(
    "text",
    [
        "1月5日,市交投集团召开2022年度工作务虚会。",  # not stated
        "在党的领导下,集团召开职工代表大会。",  # no venue
        "他在会上讲话。",  # no meeting
    ],
)
def test_no_location(text: str) -> None:
    assert enrich(make_doc(text)).meeting.location is None


@pytest.mark.parametrize(
    ("text", "meetings"),
    [
        (
            "集团召开党委会议。会议学习了中央、省委、市委经济工作会议精神。",
            [
                ("中央经济工作会议", "工作会议"),
                ("省委经济工作会议", "工作会议"),
                ("市委经济工作会议", "工作会议"),
            ],
        ),
        ("集团召开党委会议,传达学习市委十三届十二次全会精神。", [("市委十三届十二次全会", "全会")]),
        (
            "总经理传达了市新冠肺炎疫情防控指挥部2021年第1次会议精神。",
            [("市新冠肺炎疫情防控指挥部2021年第1次会议", None)],
        ),
        ("会议认真学习贯彻全国两会精神。", []),  # 两会 is no meeting noun here
    ],
)
def test_other_meetings(text: str, meetings: list[tuple[str, str | None]]) -> None:
    assert [(m.name, m.type) for m in enrich(make_doc(text)).meetings] == meetings


@pytest.mark.parametrize(
    "text",
    [
        "会议要求,认真贯彻落实本次会议精神。",  # the reported meeting itself
        "要学习好会议精神。",  # generic
        "大家学习了座谈会精神。",  # no issuer or session: too vague to keep
        "集团召开2021年度工作会议,贯彻落实2021年度工作会议精神。",  # the main one
        "",
    ],
)
def test_no_other_meetings(text: str) -> None:
    assert enrich(make_doc(text)).meetings == []
