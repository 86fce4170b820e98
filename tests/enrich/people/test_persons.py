"""Persons: titles and names, name boundaries, roles, surname references. Sentences are
invented in the style of meeting news."""

from __future__ import annotations

import pytest

from archive.enrich import enrich
from archive.enrich.people.persons import find_persons, roles_after
from tests.enrich.helpers import folded, make_doc


def persons(text: str) -> list[tuple[str, list[str], list[str]]]:
    found, _ = find_persons(*folded(text))
    return [(p.name, p.titles, p.roles) for p in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # [org]post、post Name: the post keeps its organisation (no organizer is given
        # here); an attendee who speaks is a speaker
        (
            "市华建集团党委书记、董事长张卫东出席会议并讲话。",
            [("张卫东", ["市华建集团党委书记", "董事长"], ["speaker"])],
        ),
        # the longest title wins: 党委副书记, not 书记
        ("党委副书记、总经理刘建平主持会议。", [("刘建平", ["党委副书记", "总经理"], ["chair"])]),
        ("省委常委、秘书长周海波作工作报告。", [("周海波", ["省委常委", "秘书长"], ["reporter"])]),
        ("区委书记林海主持会议并讲话。", [("林海", ["区委书记"], ["chair", "speaker"])]),
        ("市委常委兼秘书长何远征出席会议。", [("何远征", ["市委常委", "秘书长"], ["attendee"])]),
        # Name title
        ("会议由赵明总经理主持。", [("赵明", ["总经理"], ["chair"])]),
        ("集团李小刚副总经理参加会议。", [("李小刚", ["副总经理"], ["attendee"])]),
        # title Name 同志
        ("副市长孙丽华同志在会上讲话。", [("孙丽华", ["副市长"], ["speaker"])]),
        # two-character surnames
        ("集团副总经理欧阳明传达了上级文件精神。", [("欧阳明", ["集团副总经理"], ["conveyor"])]),
        ("董事长诸葛明远作工作报告。", [("诸葛明远", ["董事长"], ["reporter"])]),
        ("总经理司马文出席会议。", [("司马文", ["总经理"], ["attendee"])]),
        # a name with no title, before a role cue or 同志
        ("王建华同志主持会议。", [("王建华", [], ["chair"])]),
        # a list sharing one verb
        (
            "主任李明和副主任张华出席会议。",
            [("李明", ["主任"], ["attendee"]), ("张华", ["副主任"], ["attendee"])],
        ),
        (
            "总经理张大伟、副总经理李小平出席会议。",
            [("张大伟", ["总经理"], ["attendee"]), ("李小平", ["副总经理"], ["attendee"])],
        ),
        # a surname that is also a preposition, confirmed by what follows
        ("区委书记曾庆华主持会议并讲话。", [("曾庆华", ["区委书记"], ["chair", "speaker"])]),
        ("部长于洪涛出席。", [("于洪涛", ["部长"], ["attendee"])]),
    ],
)
def test_titles_and_names(sentence: str, expected: list) -> None:
    assert persons(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("局长王刚在会上强调,要抓好落实。", "王刚"),  # 在 ends the name
        ("局长王刚强调,要抓好落实。", "王刚"),  # 王刚强 is followed by nothing a name is
        ("主任李红梅指出,要抓好落实。", "李红梅"),
        ("总经理黄志明传达了会议精神。", "黄志明"),
        ("经理周丽和同事们一起参加。", "周丽"),  # 和 is a function word, not a given name
        ("董事长陈国栋出席。陈国栋指出,要抓好落实。", "陈国栋"),  # repeated bare mention
        ("处长吴一出席会议。", "吴一"),
        ("副市长高建国通报了情况。", "高建国"),  # a dictionary word with a wrong tag
        ("观众都很喜欢刘德华的歌。", "刘德华"),  # no title or cue: jieba's dictionary tags nr
        ("今天张建国和同学们去了公园。", "张建国"),  # dictionary name before a function word
    ],
)
def test_name_boundary(sentence: str, name: str) -> None:
    assert [p[0] for p in persons(sentence)] == [name]


@pytest.mark.parametrize(
    "sentence",
    [
        "各级党委书记要高度重视安全生产。",
        "书记高度重视这项工作。",
        "委员会主任会议研究了有关事项。",
        "总经理办公会研究了三项议题。",
        "广大干部职工同志们要振奋精神。",
        "会议强调,各单位要抓好落实。",
        "记者从会上获悉。",
        "主席台上就座的有关领导。",
        "董事会秘书处负责会务。",
        "总经理曾于去年到企业调研。",  # 曾 is "once", not a surname
        "部长曾指出,要抓好落实。",
        "书记今年以来多次调研。",
        "省长江南水乡考察行程。",
        "这增强了人们的安全感。",  # tagged nr, but ends in a noun ending (name_bad_ends)
        "要培养高素质的人才。",  # tagged nr, but the given part 素质 is a common word
        "他去了陈列馆参观。",  # tagged nr, ends in 馆
        "这是在准确的文献性的基础上。",  # tagged nr, ends in 性
        "我们在莫斯科见面。",  # a known place
        "规划是集团未来五年的施工图，各单位要高度重视。",  # tagged nr, but 施工 is a verb
    ],
)
def test_no_person(sentence: str) -> None:
    assert persons(sentence) == []


@pytest.mark.parametrize(
    ("after", "roles"),
    [
        ("主持会议。", ["chair"]),
        ("出席会议并讲话。", ["attendee", "speaker"]),
        ("出席会议并作重要讲话。", ["attendee", "speaker"]),  # 作…讲话: delivered
        ("在会上讲话。", ["speaker"]),
        ("在开幕式上致辞。", ["speaker"]),
        ("同志指出,", ["speaker"]),
        ("强调,", ["speaker"]),
        ("要求,", ["speaker"]),
        ("提出三点意见。", ["speaker"]),
        ("参加会议。", ["attendee"]),
        ("汇报了工作。", ["reporter"]),
        ("作工作报告。", ["reporter"]),
        ("传达了会议精神。", ["conveyor"]),
        ("代表党委作工作报告。", ["reporter"]),
        ("也参加了会议。", ["attendee"]),
        ("对此很满意。", []),
        ("的讲话精神。", []),
    ],
)
def test_roles_after(after: str, roles: list[str]) -> None:
    assert roles_after(after, 0) == roles


@pytest.mark.parametrize(
    ("text", "name", "roles"),
    [
        ("董事长郑光明出席会议。郑董表示,要抓好落实。", "郑光明", ["speaker"]),
        ("副市长吴静出席会议。吴市长强调,要抓好落实。", "吴静", ["speaker"]),
        ("副总经理秦玉兰出席会议。秦总表示,要抓好落实。", "秦玉兰", ["speaker"]),
    ],
)
def test_surname_reference(text: str, name: str, roles: list[str]) -> None:
    assert persons(text) == [(name, persons(text)[0][1], roles)]


def test_a_shared_surname_is_resolved_by_the_post_referred_to() -> None:
    text = "董事长郑光明、总经理郑平出席会议。郑总表示,要抓好落实。"
    found = [(p[0], p[2]) for p in persons(text)]
    assert found == [("郑光明", ["attendee"]), ("郑平", ["speaker"])]


def test_surname_reference_is_not_resolved_when_ambiguous() -> None:
    text = "副总经理郑光明、总经理郑平出席会议。郑总表示,要抓好落实。"
    found = [(p[0], p[2]) for p in persons(text)]
    assert found == [("郑光明", ["attendee"]), ("郑平", ["attendee"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a post keeps its organisation part; the organizer it repeats is dropped
        (
            "青禾集团召开年度工作会议。青禾集团党委书记、董事长郑光明,集团财务部部长柏松涛,"
            "江岭县人大常委会副主任谭鸿飞出席会议。",
            {
                "郑光明": ["党委书记", "董事长"],
                "柏松涛": ["财务部部长"],
                "谭鸿飞": ["江岭县人大常委会副主任"],
            },
        ),
        # a post that would be left bare keeps the organizer; 义乌-style place names go
        ("江岭县委召开常委会议。江岭县委书记林海主持会议。", {"林海": ["县委书记"]}),
        ("县委召开常委会议。县委书记林海主持会议。", {"林海": ["县委书记"]}),
        # a post before a list of names belongs to each
        ("公司副总经理韩立、葛明出席会议。", {"韩立": ["公司副总经理"], "葛明": ["公司副总经理"]}),
        # title words side by side are one post; a modifier belongs to its title
        (
            "主任秘书温立群、代县长鲍士林、名誉会长甘雨桐出席会议。",
            {
                "温立群": ["主任秘书"],
                "鲍士林": ["代县长"],
                "甘雨桐": ["名誉会长"],
            },
        ),
        # a title after a name the article knows (林海书记), whatever stands before it
        ("市委书记林海主持会议。会议传达了林海书记的讲话精神。", {"林海": ["市委书记"]}),
        # bylines give their label as the title
        (
            "（记者 柏松涛 通讯员 甘雨桐）3月6日,青禾区召开座谈会。",
            {
                "柏松涛": ["记者"],
                "甘雨桐": ["通讯员"],
            },
        ),
    ],
    ids=[
        "organisation parts",
        "bare 书记",
        "bare 书记 at 县委",
        "list",
        "side by side",
        "after a known name",
        "bylines",
    ],
)
def test_posts_as_written(text: str, expected: dict[str, list[str]]) -> None:
    people = {p.name: p.titles for p in enrich(make_doc(text)).persons}
    assert people == expected


def test_posts_with_their_organisations() -> None:
    text = (
        "青禾集团召开年度工作会议。青禾集团党委书记、董事长郑光明主持会议。"
        "江岭能源公司总经理谭鸿飞出席会议。"
    )
    posts = {p.name: [(x.title, x.org) for x in p.posts] for p in enrich(make_doc(text)).persons}
    assert posts == {
        "郑光明": [("党委书记", "青禾集团"), ("董事长", "青禾集团")],
        "谭鸿飞": [("江岭能源公司总经理", "江岭能源公司")],
    }


@pytest.mark.parametrize(
    ("text", "name", "roles"),
    [
        # remarks in a discussion, a speech delivered, a report read, a briefing
        ("座谈会上,总经理柏松涛结合企业实际作了交流发言。", "柏松涛", ["speaker"]),
        ("董事长郑光明作了题为《凝心聚力，再创佳绩》的讲话。", "郑光明", ["speaker"]),
        ("党委书记林海宣读了表彰决定。", "林海", ["reporter"]),
        ("副总经理谭鸿飞介绍了三季度销售情况。", "谭鸿飞", ["reporter"]),
        ("会议听取了总经理谭鸿飞所作的工作报告。", "谭鸿飞", ["reporter"]),
        # the verbs of a subject run over the clauses that name no subject of their own
        ("总裁谭鸿飞回顾了上半年工作,分析了形势,安排部署了下半年任务。", "谭鸿飞", ["speaker"]),
        # attended, and nothing else
        ("参加会议的有副县长谭鸿飞、甘雨桐。", "甘雨桐", ["attendee"]),
        # a person named as what is studied is no speaker
        ("会议传达学习了林海书记的重要讲话精神。", "林海", []),
    ],
)
def test_roles_in_the_meeting(text: str, name: str, roles: list[str]) -> None:
    people = {p.name: p.roles for p in enrich(make_doc(text)).persons}
    assert people[name] == roles


def test_persons_in_order_of_first_mention_deduplicated_titles_merged() -> None:
    text = (
        "总经理陈立主持会议。董事长马骏出席会议。党委书记、总经理陈立作报告。陈立强调,要抓好落实。"
    )
    assert persons(text) == [
        ("陈立", ["总经理", "党委书记"], ["chair", "reporter", "speaker"]),
        ("马骏", ["董事长"], ["attendee"]),
    ]


def test_enrich_keeps_names_as_written() -> None:
    text = "１月５日,市交投集团召开会议。董事长马骏出席会议。"
    doc = enrich(make_doc(text))
    assert [p.name for p in doc.persons] == ["马骏"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a name jieba's dictionary lacks, read as a name by jieba's tagging model
        ("会见时，常昭明说，两国合作前景广阔。", ["常昭明"]),
        # the other members of a list that holds a known person
        (
            "座谈会上，市委书记郑启明、谭鸿飞、鲍士林、甘雨桐等先后发言。",
            ["郑启明", "谭鸿飞", "鲍士林", "甘雨桐"],
        ),
        # bylines: a name alone on its line, a photographer's credit in brackets
        ("湖畔晨曲\n柏松涛\n清晨的湖面上薄雾升起。", ["柏松涛"]),
        ("晨曦中的青禾湖畔。（吴青山摄）", ["吴青山"]),
        # transliterated names: in · parts, or a dictionary name in transliteration characters
        ("美国国防部长约翰·米勒昨天抵达。", ["约翰·米勒"]),
        ("斯大林的著作影响深远。", ["斯大林"]),
    ],
)
def test_names_without_titles(text: str, names: list[str]) -> None:
    assert [name for name, _, _ in persons(text)] == names


@pytest.mark.parametrize(
    "text",
    [
        "巴方代表团昨天抵达。马方表示欢迎。",  # 方: the side of a country
        "照片左一为获奖学生。",
        "全体干部、职工代表、退休人员出席。",  # a list of no names
        "欧佩克部长级会议昨天闭幕。",  # an organisation written like a foreign name
        "代表团参观了卢萨卡。",  # a known place
    ],
)
def test_no_name_without_title(text: str) -> None:
    assert persons(text) == []


def test_a_list_without_a_known_person_vouches_for_no_one() -> None:
    # 谭鸿飞 and 鲍士林 need a cue or a known member: a list of words alone is no evidence.
    assert persons("展板上写着：春耕、夏耘、秋收、冬藏。") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 主持人 is a noun, not a cue: no chair
        ("晚会主持人王丽华介绍了节目。", [("王丽华", [], [])]),
        ("张卫东主持人介绍了节目。", [("张卫东", [], [])]),
        # a byline names an author or photographer, not an attendee
        (
            "青禾区召开座谈会。\n本报记者柏松涛\n区委书记林海出席会议并讲话。（吴青山摄）",
            [
                ("柏松涛", ["记者"], []),
                ("林海", ["区委书记"], ["speaker"]),
                ("吴青山", [], []),
            ],
        ),
    ],
)
def test_no_role_without_a_cue(text: str, expected: list) -> None:
    assert persons(text) == expected


def test_the_organisation_of_a_title() -> None:
    text = "市华建集团召开年度工作会议。市华建集团党委书记李磊出席。集团党委副书记张卫东主持会议。"
    people = {p.name: p.org for p in enrich(make_doc(text)).persons}
    # named in front of the titles, or a bare 集团 that only one organisation can be
    assert people == {"李磊": "市华建集团", "张卫东": "市华建集团"}


def test_a_bare_organisation_is_not_guessed_between_two() -> None:
    text = "市华建集团和市交投集团召开联席会议。集团党委副书记张卫东主持会议。"
    assert [p.org for p in enrich(make_doc(text)).persons] == [None]
