"""Posts as written: the titles in front of a name with the organisation part that belongs
to each (``市委常委、组织部部长张三`` → 市委常委, 组织部部长).

A post is a title word (``rules/titles.txt``, with a modifier such as 代 or 名誉 before it)
and the words in front of it that name where the post is held: organisations, places,
departments (``县人大常委会主任``, ``财务部部长``, ``江岭设计研究院有限公司党委书记``). The
phrase ends, going left, at punctuation, at a word that is no part of a name (a verb, a
preposition such as 由, a modifier such as 各) or after :data:`MAX_POST` characters. Posts
separated by 、 or 兼 are one chain and all belong to the name after the last one.

The meeting's organizer in front of a post is not kept when it merely repeats who held
the meeting (``集团党委书记`` at a 集团 meeting is ``党委书记``), unless the post would be
left bare (``县委书记`` at a 县委 meeting stays; ``白石市委书记`` at a 白石市委 meeting is
``市委书记``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from archive.enrich.orgs import is_org_word
from archive.enrich.rules import alternation, read_rule_file, rules
from archive.enrich.text import Segmented, Token, is_han, word_tags

MAX_POST = 28
"""Most characters of one post, organisation part included."""

BARE_TITLES = frozenset({"书记", "副书记", "常委", "委员", "成员", "常务委员"})
"""Titles that say nothing without their organisation: never left bare by the strip."""

MODIFIERS = ("永远名誉", "名誉", "荣誉", "执行", "代", "原", "前任")
"""Words that belong to the title right after them: 代省长, 名誉理事长, 原副市长."""

# Tags of jieba dictionary words that may be part of the place a post is held; a word
# the dictionary lacks (生技部, 华远) may be too.
_PART_TAGS = frozenset({"n", "nz", "ns", "nt", "j", "vn", "an", "b", "ng"})
# One-character words that build organisation names (县|委, 镇|党委, 生技|部).
_ORG_CHARS = frozenset("省市县区镇乡村街部处科室局厅委办院所站队组会司团校社馆台行")
_JOINTS = ("、兼", "、", "兼")
_FUNCTION_OPENERS = frozenset("由在对向和与及被将为把从给让经")
_CONJUNCTIONS = frozenset("及和与或")
_OFFICES = ("办公室", "办", "工作部", "秘书处")
_LEVELS = tuple("省市县区镇乡州旗")
# Characters after a title that make it part of another word: 委员会, 主席团, 书记处, 主席台.
_NOT_A_TITLE_AFTER = "会团处台级办"


@dataclass(frozen=True)
class PostSpan:
    """One post in the text: ``start``..``end`` as written, ``head`` where the title word
    (with its modifier) starts, so ``start``..``head`` is the organisation part."""

    start: int
    head: int
    end: int


@dataclass(frozen=True)
class TitleMatch:
    """A title word in the text (with its modifier: 代省长, 名誉理事长)."""

    start: int
    end: int
    title: str


@cache
def title_re() -> re.Pattern[str]:
    """A title word (``rules/titles.txt``, the longest at a position), not part of a
    longer word (委员会, 主席团)."""
    return re.compile(rf"(?:{alternation(rules().titles)})(?![{_NOT_A_TITLE_AFTER}])")


def find_titles(
    text: str, seg: Segmented, start: int = 0, end: int | None = None
) -> list[TitleMatch]:
    """Title words of ``text[start:end]`` that start or end on a jieba token boundary."""
    found = []
    for m in title_re().finditer(text, start, len(text) if end is None else end):
        if m.start() in seg.starts or m.end() in seg.ends:
            begin = _with_modifier(seg, m.start())
            found.append(TitleMatch(begin, m.end(), text[begin : m.end()]))
    return found


def _with_modifier(seg: Segmented, head: int, limit: int = 0) -> int:
    """Where a title word at ``head`` starts with its modifier (代|省长), if one stands
    right before it as a word of its own (not 太原|市长)."""
    m = modifier_re().search(seg.text, max(limit, head - 4), head)
    return m.start() if m is not None and m.start() in seg.starts else head


@cache
def _stops() -> frozenset[str]:
    return frozenset(read_rule_file("post_stops.txt"))


@cache
def modifier_re() -> re.Pattern[str]:
    """A title modifier right before a title word."""
    return re.compile(f"(?:{alternation(frozenset(MODIFIERS))})$")


def _post_part(word: str) -> bool:
    """True when a jieba token may be part of the place a post is held."""
    if word in _stops() or not all(is_han(c) for c in word):
        return False
    if len(word) == 1:
        return word in _ORG_CHARS
    if word in rules().titles:
        return False  # another post, or another person's: 副处长柏松及|外事中心主任
    unknown = word_tags().get(word) is None
    if unknown and (word[0] in _FUNCTION_OPENERS or word[-1] in _CONJUNCTIONS):
        return False  # 由荣, 柏松及: jieba glued a preposition or a joint to a name
    if is_org_word(word) or word in rules().org_suffixes:
        return True
    tag = word_tags().get(word)
    return tag is None or tag in _PART_TAGS


def post_start(seg: Segmented, head: int, limit: int = 0) -> int:
    """Where the post whose title word starts at ``head`` begins: ``head`` moved left over
    the tokens that name where the post is held, not before ``limit``."""
    text = seg.text
    pos = _with_modifier(seg, head, limit)
    while pos > limit and head - pos < MAX_POST:
        index = seg.index_ending.get(pos)
        if index is None:  # the title starts inside a token (党委委员 read as one word)
            inner = _token_around(seg, pos)
            if inner is None or not all(is_han(c) for c in text[inner.start : pos]):
                break
            if not _post_part(text[inner.start : pos]):
                break
            pos = inner.start
            continue
        token = seg.tokens[index]
        if token.start < limit:
            break
        if not (_post_part(token.word) or _office_of(text, token) or _place_of(text, token)):
            break
        pos = token.start
    return _trim_lead(text, pos, head)


def _office_of(text: str, token: Token) -> bool:
    """True for a title naming an office right after it: 总裁|办公室, 董事长|办."""
    return token.word in rules().titles and text.startswith(_OFFICES, token.end)


def _place_of(text: str, token: Token) -> bool:
    """True for a word jieba takes for a name that is a place before its level: 白石|县委."""
    tag = word_tags().get(token.word, "")
    return tag.startswith("nr") and text.startswith(_LEVELS, token.end)


def _token_around(seg: Segmented, pos: int) -> Token | None:
    """The token that holds offset ``pos`` strictly inside it."""
    index = bisect.bisect_right(seg.token_starts, pos) - 1
    if index < 0:
        return None
    token = seg.tokens[index]
    return token if token.start < pos < token.end else None


def _trim_lead(text: str, start: int, head: int) -> int:
    """Drop leading words that open a phrase without naming anything (各, 本, 全体)."""
    while start < head and text[start] in "各本该全我其":
        start += 1
    return start


def heads_by_end(heads: list[tuple[int, int]]) -> dict[int, int]:
    """The index of each title word (start, end) by its end."""
    return {end: i for i, (_, end) in enumerate(heads)}


def chain(
    text: str,
    seg: Segmented,
    heads: list[tuple[int, int]],
    k: int,
    ends: dict[int, int] | None = None,
) -> list[PostSpan]:
    """The posts of the chain whose last title word is ``heads[k]`` (start, end), in
    order: ``市委常委、组织部部长`` when the name follows 部长. Title words side by side
    are one post (``主任秘书``). ``ends``: the index of each head by its end, when the
    caller asks for many chains of the same heads (made once, not once per chain)."""
    posts: list[PostSpan] = []
    if ends is None:
        ends = heads_by_end(heads)
    index, end = k, heads[k][1]
    while True:
        start = heads[index][0]
        begin = post_start(seg, start)
        while begin == start and (j := ends.get(start)) is not None and j < index:
            index, start = j, heads[j][0]
            begin = post_start(seg, start)
        posts.append(PostSpan(begin, _head_with_modifier(text, begin, start), end))
        previous = next(
            (
                j
                for joint in _JOINTS
                if text.startswith(joint, begin - len(joint))
                and (j := ends.get(begin - len(joint))) is not None
                and j < index
            ),
            None,
        )
        if previous is None:
            return posts[::-1]
        index, end = previous, heads[previous][1]


def _head_with_modifier(text: str, start: int, head: int) -> int:
    m = modifier_re().search(text, start, head)
    return m.start() if m else head


@cache
def _forms() -> tuple[str, ...]:
    """Organisation short forms and endings of two characters or more, longest first."""
    forms = rules().org_forms | rules().org_suffixes
    return tuple(sorted((f for f in forms if len(f) > 1), key=len, reverse=True))


def form_tail(org: str) -> str:
    """The short organisation form that ends an organisation (市委 of 白石市委, 集团 of
    青禾集团), or ''; one character (委, 部) is no form."""
    return next((f for f in _forms() if org.endswith(f) and f != org), "")


def organizer_prefix(title: str, organizer: str | None) -> int:
    """How many characters of ``title`` merely repeat the meeting's organizer: the
    organizer or its organisation tail (集团 of 青禾集团) in front of a post that stands
    on its own; for a post that would be left bare, only the part of the organizer before
    its short form (白石 of 白石市委书记)."""
    if not organizer:
        return 0
    tail = form_tail(organizer)
    for written in (organizer, tail):
        if len(written) >= 2 and title.startswith(written) and len(title) > len(written):
            rest = title[len(written) :]
            if rest not in BARE_TITLES:
                return len(written)
            # 白石|市委书记 at a 白石市委 meeting; 区委副书记 at a 区委 meeting stays whole.
            place = organizer[: len(organizer) - len(tail)] if tail else ""
            return len(place) if len(place) >= 2 and title.startswith(place) else 0
    return 0


@cache
def _levels() -> tuple[str, ...]:
    """The short forms of government and party bodies by level (县委, 市政府), longest
    first."""
    forms = (f for f in rules().org_forms if f[0] in _LEVELS)
    return tuple(sorted(forms, key=len, reverse=True))


def level_form(title: str) -> str:
    """The body a title opens with (``县委`` of ``县委书记``), or ''."""
    return next((f for f in _levels() if title.startswith(f) and len(title) > len(f)), "")
