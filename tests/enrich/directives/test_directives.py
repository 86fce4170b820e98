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


def test_requirement_sentences_after_a_cue_are_one_passage_of_its_speaker() -> None:
    body = "郑启明强调，今年是攻坚之年，任务十分繁重。要坚决完成全年目标。各单位必须压实责任。"
    assert [(d.speaker, d.cue, d.text) for d in directives(body)] == [
        ("郑启明", "强调", "要坚决完成全年目标。各单位必须压实责任"),
    ]


def test_a_passage_of_requirements_is_one_directive() -> None:
    body = (
        "会议强调，要始终坚持学习，深刻领会上级精神。要狠抓落实，确保各项任务完成；"
        "要严守底线，坚决防范重大风险。\n会议强调，各单位要做好节日值班安排。"
    )
    found = directives(body)
    assert [(d.speaker, d.cue) for d in found] == [("会议", "强调"), ("会议", "强调")]
    assert found[0].text.endswith("坚决防范重大风险")


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


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a counted announcement with its items after it
        (
            "董事长郑启明就四季度工作提出三点要求：一是稳产量，保障订单交付；二是控成本，压降库存；"
            "三是强队伍，开展技能比武。",
            [("郑启明", "提出三点要求", 3)],
        ),
        # announced, with the speaker left to the sentence before
        (
            "总经理谭鸿飞通报了三季度订单情况。随后，就冬季生产提出两点要求：一要保障供暖，"
            "二要严防火灾。",
            [("谭鸿飞", "提出两点要求", 2)],
        ),
        # 一要…二是: the two styles mixed in one list
        (
            "郑启明强调，一要抓好安全生产；二是抓好疫情防控；三要抓好作风建设。",
            [("郑启明", "强调", 3)],
        ),
        # an enumeration after the subject of its clause
        (
            "会议强调，全区各部门一要提高站位，二要压实责任，三要狠抓落实。",
            [("会议", "强调", 3)],
        ),
        # （一）（二） after the announcing sentence
        (
            "董事长郑启明就汛期工作作出要求。\n（一）巡查堤坝险段。\n（二）备足抢险物资。",
            [("郑启明", "作出要求", 2)],
        ),
        # 一、二、 after a speech
        (
            "集团总裁谭鸿飞讲话。一、市场开拓要提速，盯紧重点客户。二、成本管控要从严，逐月考核。",
            [("谭鸿飞", "讲话", 2)],
        ),
        # a requirement announced without its content still counts
        (
            "本次会议还对全体干部职工提出了要求。",
            [("会议", "提出了要求", 0)],
        ),
        # a verb of saying, then the requirement: the requirement counts
        (
            "董事长郑启明认为，今年开局良好，并向各车间提出了三点要求：一是加强学习；二是改进作风；"
            "三要严守纪律。",
            [("郑启明", "提出了三点要求", 3)],
        ),
        # two requirements of one speaker in one sentence, after a semicolon
        (
            "董事长郑启明提出了包括各单位要加快项目进度在内的四项要求；此外，强调了各单位要守住"
            "安全底线。",
            [("郑启明", "提出", 0), ("郑启明", "强调", 0)],
        ),
        # a title alone stands for the one person who holds it
        (
            "县长鲍士林主持会议。县长要求各乡镇抓紧完成秋粮收购，确保颗粒归仓。",
            [("鲍士林", "要求", 0)],
        ),
        # 郭董: the 董事长 of the two of that surname
        (
            "董事长郭启明、总裁郭鸿飞出席会议。郭董强调，一要稳订单，二要控成本。",
            [("郭启明", "强调", 2)],
        ),
    ],
    ids=[
        "counted",
        "implicit speaker",
        "mixed styles",
        "after subject",
        "（一） after",
        "一、 after a speech",
        "announced only",
        "weak then strong",
        "semicolon",
        "title alone",
        "郭董",
    ],
)
def test_announcements_and_enumerations(body: str, expected: list) -> None:
    assert [(d.speaker, d.cue, len(d.items)) for d in directives(body)] == expected


def test_a_pronoun_is_the_person_last_named() -> None:
    body = "区委书记林海主持会议。区长谭鸿飞通报了情况。他强调，各单位要抓好落实。"
    assert [d.speaker for d in directives(body)] == ["谭鸿飞"]


def test_an_announcement_stands_alone_or_introduces_what_follows() -> None:
    alone = "董事长郑启明就节前值班提出要求。\n总经理谭鸿飞通报了一季度销售数据。"
    assert [(d.speaker, d.cue) for d in directives(alone)] == [("郑启明", "提出要求")]
    introducing = "董事长郑启明就节前值班提出要求。他强调，各单位要安排专人值守。"
    assert [(d.speaker, d.cue) for d in directives(introducing)] == [("郑启明", "强调")]


def test_a_pledge_after_a_verb_of_saying_is_no_directive() -> None:
    body = "新任总经理谭鸿飞表示，衷心拥护、坚决服从组织决定，一定不辜负大家的信任。"
    assert directives(body) == []
