"""Organisations (v0, sparse on purpose): organizers, orgs before titles, suffixed names."""

from __future__ import annotations

import pytest

from archive.enrich import enrich
from tests.enrich.helpers import make_doc


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        ("市华建集团党委书记、董事长张卫东出席会议。", ["市华建集团"]),
        ("会议学习了中央、省委、市委经济工作会议精神。", ["中央", "省委", "市委"]),
        (
            "青禾新材料有限公司、禾丰农业科技公司负责人发言。",
            ["青禾新材料有限公司", "禾丰农业科技公司"],
        ),
        ("江岭市人民政府办公室印发通知。", ["江岭市人民政府办公室"]),
        ("3月1日,青禾区召开座谈会。", ["青禾区"]),  # the organizer
        # bare endings and common words ending like an organisation are not kept
        ("集团党委班子成员参加会议。", []),
        ("全体干部要树立全局观念,形成新格局。", []),
        ("子公司要做好衔接。", []),
    ],
)
def test_orgs(text: str, orgs: list[str]) -> None:
    assert enrich(make_doc(text)).orgs == orgs


def test_orgs_are_deduplicated_in_order_of_first_mention() -> None:
    text = "市委要求,市交投集团要抓好落实。市交投集团总经理讲话。市委督查组到会。"
    assert enrich(make_doc(text)).orgs == ["市委", "市交投集团"]


def test_an_organizer_is_no_place() -> None:
    assert enrich(make_doc("3月1日,青禾区召开座谈会。")).places == []


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        # well-known organisations (rules/orgs_known.txt), the longest name wins
        ("联合国儿童基金会代表访问青禾。", ["联合国儿童基金会"]),
        ("新华社青禾1月5日电 国家计委发出通知。", ["新华社", "国家计委"]),
        # a known name takes a place in front of it, not a verb or a byline's name
        ("经国务院批准，中国国务院新闻办公室发布白皮书。", ["国务院", "中国国务院新闻办公室"]),
        ("本报记者郑启明新华社记者谭鸿飞报道。", ["新华社"]),
        # kinds of organisations, not names (rules/org_generic.txt)
        ("各商业银行和上市公司要支持地方政府的工作。", []),
        ("大公司和各级党委都要行动起来。", []),
        # teams
        ("江苏队以三比一战胜广东队。", ["江苏队", "广东队"]),
        ("青禾蓝鹰队主场迎战江岭飞龙队。", ["青禾蓝鹰队", "江岭飞龙队"]),  # sponsors' names
        ("这支球队和车队都来自部队。", []),
        ("江岭美术出版社出版了画册。", ["江岭美术出版社"]),
    ],
)
def test_known_and_generic_orgs(text: str, orgs: list[str]) -> None:
    assert enrich(make_doc(text)).orgs == orgs


def test_a_short_form_resolves_to_the_named_organisation() -> None:
    # 市委 here is 青禾市委; with no named one it stays as written.
    text = "青禾市委召开常委会议。市委要求抓好落实。"
    assert enrich(make_doc(text)).orgs == ["青禾市委"]
    assert enrich(make_doc("市委要求抓好落实。")).orgs == ["市委"]
