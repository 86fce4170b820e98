"""Meeting: the reporting sentence, name, type, organizer."""

from __future__ import annotations

import pytest

from archive.enrich import enrich
from archive.enrich.meeting import meeting_name, meeting_type
from archive.records import Meeting
from tests.enrich.helpers import make_doc


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("2023年度工作务虚会", "务虚会"),
        ("2022年工作会议", "工作会议"),
        ("全市安全生产工作会", "工作会议"),
        ("党委会议", "党委会"),
        ("党委扩大会议", "党委会"),
        ("第十五次常委会议", "常委会"),
        ("十三届五中全会", "全会"),
        ("十三届五中全会第二次全体会议", "全会"),
        ("第三届职工代表大会第二次会议", "职代会"),
        ("民营企业发展座谈会", "座谈会"),
        ("重点项目建设推进会", "推进会"),
        ("安全生产专题会议", "专题会"),
        ("总经理办公会", "办公会"),
        ("市政府常务会议", "办公会"),
        ("党史学习教育专题学习会", "学习会"),
        ("年度工作总结会", "总结会"),
        ("春季植树造林动员大会", "动员会"),
        ("防汛工作部署会", "部署会"),
        ("2021年度总结表彰大会", "表彰大会"),
        ("迎春茶话会", "茶话会"),
        ("会议", "other"),
        ("紧急会议", "other"),
        ("签约仪式", "签约仪式"),
        (None, "other"),
    ],
)
def test_meeting_type(name: str | None, kind: str) -> None:
    assert meeting_type(name) == kind


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("会议", "会议"),
        ("  ", None),
        ("“智慧港口”论坛", "“智慧港口”论坛"),
        ("“中英论坛", "中英论坛"),
    ],
)
def test_meeting_name(written: str, kept: str | None) -> None:
    assert meeting_name(written) == kept


@pytest.mark.parametrize(
    ("text", "name", "kind", "organizer"),
    [
        (
            "1月5日-6日,市交投集团召开2022年度工作务虚会,总结2021年工作。",
            "2022年度工作务虚会",
            "务虚会",
            "市交投集团",
        ),
        ("3月1日上午,青禾区召开民营企业发展座谈会。", "民营企业发展座谈会", "座谈会", "青禾区"),
        ("近日,江岭能源集团在总部召开党委会议。", "党委会议", "党委会", "江岭能源集团"),
        ("江岭能源集团于5月8日召开了党委会议。", "党委会议", "党委会", "江岭能源集团"),
        (
            "天河水务公司隆重举行2022年度总结表彰大会。",
            "2022年度总结表彰大会",
            "表彰大会",
            "天河水务公司",
        ),
        # name first, organizer at its head
        (
            "1月30日,滨海港务集团第三届职工代表大会第二次会议在集团总部召开。",
            "第三届职工代表大会第二次会议",
            "职代会",
            "滨海港务集团",
        ),
        ("全市防汛工作部署会在市政府召开。", "全市防汛工作部署会", "部署会", None),
        # a generic name is kept as written: the article reports a meeting it does not name
        ("市政府召开会议,研究部署春耕生产。", "会议", "other", "市政府"),
        # the publisher's own word in front of the name is who holds it
        (
            "11月2日,公司2023年四季度工作推进会在总部召开。",
            "2023年四季度工作推进会",
            "推进会",
            "公司",
        ),
        ("5月9日,青禾集团召开集团二季度经营分析会。", "二季度经营分析会", "分析会", "青禾集团"),
        # a chair who holds it: the name stays whole, the organizer is the chair's
        (
            "2月20日,江岭区委书记林海主持召开区委常委会第十二次会议。",
            "区委常委会第十二次会议",
            "常委会",
            "江岭区委",
        ),
        (
            "3月2日,青禾市人大常委会主任谭鸿飞主持召开市九届人大常委会第十四次会议。",
            "市九届人大常委会第十四次会议",
            "常委会",
            "青禾市人大常委会",
        ),
        # names joined by 暨, and a noun that goes on
        (
            "3月1日,青禾集团召开2024年度安全工作会议暨消防工作会议。",
            "2024年度安全工作会议暨消防工作会议",
            "工作会议",
            "青禾集团",
        ),
        (
            "6月2日,青禾集团召开第四届职工代表大会预备会议。",
            "第四届职工代表大会预备会议",
            "职代会",
            "青禾集团",
        ),
        # an organizer that names its session, and one that hosts in its own rooms
        ("11月3日,市九届政协常委会举行第二十次会议。", "第二十次会议", "other", "市九届政协常委会"),
        ("10月9日,在集团三楼会议室召开了三季度经营分析会。", "三季度经营分析会", "分析会", "集团"),
        # a host verb ends the organizer; 我县 names the publisher's county
        ("4月17日,青禾集团召集中层干部召开经营分析会。", "经营分析会", "分析会", "青禾集团"),
        ("9月18日,我县召开返乡创业人才座谈会。", "返乡创业人才座谈会", "座谈会", "我县"),
        # a page that breaks its line after 召开
        (
            "5月20日下午,白沙镇在镇政府三楼召开了\n全镇防汛备汛工作部署会。",
            "全镇防汛备汛工作部署会",
            "部署会",
            "白沙镇",
        ),
        # the subject is a sentence, not an organizer
        ("记者从日前召开的全省交通工作会议上获悉。", "全省交通工作会议", "工作会议", None),
        ("他将同有关方面就合作问题举行会谈。", None, None, None),
    ],
)
def test_meeting(text: str, name: str | None, kind: str | None, organizer: str | None) -> None:
    meeting = enrich(make_doc(text)).meeting
    assert (meeting.name, meeting.type, meeting.organizer) == (name, kind, organizer)


@pytest.mark.parametrize(
    "text",
    [
        "人民大会堂里灯火通明。",  # 大会 of 大会堂
        "他是协会会员。",
        "市长会见了客商。",
        "为迎接党代会胜利召开,各地积极准备。",
        "",
    ],
)
def test_no_meeting(text: str) -> None:
    meeting = enrich(make_doc(text)).meeting
    assert meeting == Meeting()
