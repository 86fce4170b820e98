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
