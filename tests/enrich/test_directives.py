"""Directives: speakers, cues, enumerations, continuations and what is no directive.
Articles are invented in the style of meeting news; a first line is the headline."""

from __future__ import annotations

import pytest

from archive.enrich import enrich
from archive.records import Directive
from tests.enrich.helpers import make_doc

HEAD = "青禾集团召开专题会议\n"


def directives(body: str) -> list[Directive]:
    return enrich(make_doc(HEAD + body)).directives


def summary(body: str) -> list[tuple[str, str, list[str]]]:
    return [(d.speaker, d.cue, d.items) for d in directives(body)]


@pytest.mark.parametrize(
    ("body", "items"),
    [
        (
            "郑启明强调，要重点抓好三项工作：一是抓项目，加快重点工程建设；二是抓改革，深化国企"
            "改革；三是抓党建，压实管党治党责任。",
            ["抓项目，加快重点工程建设", "抓改革，深化国企改革", "抓党建，压实管党治党责任"],
        ),
        (
            "会议要求，各单位要做好以下工作。第一，提高政治站位；第二，狠抓安全生产；第三，加强"
            "作风建设。",
            ["提高政治站位", "狠抓安全生产", "加强作风建设"],
        ),
        (
            "总经理谭鸿飞就下一步工作提出要求：\n（一）加快项目建设进度。\n（二）强化资金保障。\n"
            "（三）严格考核问责。",
            ["加快项目建设进度", "强化资金保障", "严格考核问责"],
        ),
        (
            "鲍士林指出，今年要着力做好以下工作：1.稳增长，确保营收增长8%；2.防风险，守住安全"
            "底线；3.强党建，推进全面从严治党。",
            ["稳增长，确保营收增长8%", "防风险，守住安全底线", "强党建，推进全面从严治党"],
        ),
        (
            "甘雨桐要求，首先要统一思想，其次要明确责任，最后要狠抓落实。",
            ["要统一思想", "要明确责任", "要狠抓落实"],
        ),
        # a nested list of another style stays inside its outer item
        (
            "郑启明强调，要做好两方面工作：一是抓发展，包括：1.扩大投资；2.优化结构；二是抓稳定，"
            "做好信访维稳工作。",
            ["抓发展，包括：1.扩大投资；2.优化结构", "抓稳定，做好信访维稳工作"],
        ),
        # an item running over several sentences ends at the next marker
        (
            "郑启明要求，全体干部要在三个方面下功夫：一是强化担当。要敢于碰硬；二是提升本领。"
            "要加强学习；三是改进作风。要深入基层。",
            ["强化担当。要敢于碰硬", "提升本领。要加强学习", "改进作风。要深入基层"],
        ),
        (
            "郑启明说，各级党组织要扛起责任，一要抓学习，二要抓落实，三要抓督查。",
            ["抓学习", "抓落实", "抓督查"],
        ),
    ],
    ids=["一是", "第一", "（一）", "1.", "首先", "nested", "multi-sentence items", "一要"],
)
def test_enumerations_split_exactly_at_markers(body: str, items: list[str]) -> None:
    (directive,) = directives(body)
    assert directive.items == items
    assert directive.text.endswith(items[-1])


def test_two_speakers_alternating() -> None:
    body = (
        "郑启明指出，各单位要把安全生产放在首位。谭鸿飞强调，要抓好疫情防控。"
        "郑启明要求，必须严格落实主体责任。"
    )
    assert [(d.speaker, d.cue, d.text) for d in directives(body)] == [
        ("郑启明", "指出", "各单位要把安全生产放在首位"),
        ("谭鸿飞", "强调", "要抓好疫情防控"),
        ("郑启明", "要求", "必须严格落实主体责任"),
    ]


def test_a_meeting_level_requirement() -> None:
    (directive,) = directives("会议号召，全体党员干部要以昂扬的斗志投入新一年的工作。")
    assert (directive.speaker, directive.cue) == ("会议", "号召")
    assert directive.targets == ["全体党员干部"]


def test_pronouns_and_surname_references_resolve_to_the_person() -> None:
    body = (
        "区委书记林海出席会议并讲话。他强调，各级党组织要扛起管党治党政治责任。"
        "林书记要求，全体党员干部要以身作则。"
    )
    found = directives(body)
    assert [(d.speaker, d.speaker_titles, d.cue) for d in found] == [
        ("林海", ["区委书记"], "强调"),
        ("林海", ["区委书记"], "要求"),
    ]
    assert [d.targets for d in found] == [["各级党组织"], ["全体党员干部"]]


def test_requirement_sentences_after_a_cue_belong_to_its_speaker() -> None:
    body = "郑启明强调，今年是攻坚之年，任务十分繁重。要坚决完成全年目标。各单位必须压实责任。"
    assert [(d.speaker, d.cue, d.text) for d in directives(body)] == [
        ("郑启明", "强调", "要坚决完成全年目标"),
        ("郑启明", "强调", "各单位必须压实责任"),
    ]


def test_the_cue_after_a_cue_counts_and_the_clause_before_it_gives_the_topic() -> None:
    body = "董事长郑启明对疫情防控工作作了部署，要求全系统要坚决落实各项措施。"
    (directive,) = directives(body)
    assert (directive.cue, directive.text) == ("要求", "全系统要坚决落实各项措施")
    assert directive.topics == ["疫情防控"] and directive.targets == ["全系统"]


def test_a_colon_block_runs_to_the_end_of_its_line() -> None:
    body = "谭鸿飞就十四五规划编制提出要求：规划要立足实际。子公司要做好衔接。\n会后参观了展馆。"
    (directive,) = directives(body)
    assert directive.text == "规划要立足实际。子公司要做好衔接"
    assert directive.topics == ["十四五规划"] and directive.targets == ["子公司"]


@pytest.mark.parametrize(
    "body",
    [
        # reporting of past work
        "会议总结了2022年工作，听取了各单位汇报。",
        # praise
        "郑启明指出，过去一年集团取得了显著成绩，值得肯定。",
        # attendance
        "集团领导班子成员、各部门负责人参加会议。",
        # 主持人 is a noun, 要求 after 的 is a noun, 希望工程 is a name
        "晚会主持人王丽华强调了节目的要求。",
        "郑启明介绍了上级的要求和希望工程的进展。",
        # a byline names the writer, not a speaker
        "本报记者柏松涛强调，这是一次成功的会议。",
        # a name quoted is no speaker
        "标语写着“郑启明要求大家要早到”。",
    ],
)
def test_no_directive(body: str) -> None:
    assert directives(body) == []


def test_a_reporting_sentence_ends_the_speaker() -> None:
    body = (
        "郑启明强调，要抓好安全生产。\n会议还听取了财务部关于预算执行情况的汇报。\n"
        "各单位要做好节日值班安排。"
    )
    assert [d.speaker for d in directives(body)] == ["郑启明"]


def test_the_headline_repeats_the_body_and_is_skipped() -> None:
    text = "郑启明要求抓好安全生产\n郑启明强调，要抓好安全生产，确保万无一失。"
    assert [d.cue for d in enrich(make_doc(text)).directives] == ["强调"]


def test_a_person_who_says_something_becomes_the_speaker() -> None:
    body = "郑启明强调，要抓好安全生产。谭鸿飞说，这次会议开得很成功。各单位要认真传达会议精神。"
    assert [(d.speaker, d.cue) for d in directives(body)] == [
        ("郑启明", "强调"),
        ("谭鸿飞", "说"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "郑启明指出，要是天气不好，活动就延期。",  # 要是: "if"
        "郑启明说，正如大家所希望的那样，工程顺利完工。",
    ],
)
def test_no_directive_in_these_constructions(body: str) -> None:
    assert directives(body) == []
