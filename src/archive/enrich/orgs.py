"""Organisations: runs of name-like jieba tokens that end in an organisation word.

``市交投集团`` (``市交投`` + ``集团``), ``省人民政府``, and the short forms kept as written
(``中央``, ``省委``, ``市委``; ``rules/org_forms.txt``). A bare ending (``集团``, ``党委``) is
an anaphor for an organisation named elsewhere and is not kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

from archive.enrich.rules import alternation, read_rule_file, rules
from archive.enrich.text import Segmented, Token, is_han, word_tags

MAX_ORG_TOKENS = 5
MAX_ORG_CHARS = 16

# jieba dictionary tags of words that can be part of an organisation's name; a word the
# dictionary does not know (市交投) can be too.
_NAME_TAGS = frozenset({"n", "nz", "ns", "nt", "nr", "nrt", "nrfg", "j", "an", "vn", "b"})
# Tags of the head of a word ending in a one-character organisation ending (外事|局).
_HEAD_TAGS = frozenset({"n", "nz", "ns", "nt", "nr", "j", "vn", "an"})

# Words that open a noun phrase but are not part of a name (各单位, 本集团, 该公司...).
_MODIFIERS = frozenset(
    {"各", "本", "该", "全", "这", "那", "此", "我", "其", "两", "每", "有关", "所属", "下属"}
    | {"各级", "各个", "一些", "全体", "全市", "全省", "全国", "上级", "下级", "主要"}
    | {"日电", "日讯", "电", "讯", "为", "在", "和", "与", "及", "举全", "原"}  # datelines, joints
)


@cache
def _suffix_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(s) for s in rules().org_suffixes}, reverse=True))


def _suffix(word: str) -> str | None:
    """The longest organisation ending of ``word``, or None."""
    suffixes = rules().org_suffixes
    return next((word[-n:] for n in _suffix_lengths() if word[-n:] in suffixes), None)


def is_org_word(word: str) -> bool:
    """True when the word ends an organisation name: 市交投集团, 外事局, 省委."""
    if word in rules().org_forms:
        return True
    suffix = _suffix(word)
    if suffix is None:
        return False  # jieba's own nt tag alone is too loose (新进展, 中美关系 are nt)
    if len(suffix) >= 2:
        return True
    # A one-character ending (部, 局, 委) marks an organisation only in a word of three
    # characters or more whose last two are no word but whose head is a noun: 外事局,
    # 宣传部 yes; 干部, 全部, 新格局, 开好局 no. (jieba's tags of whole words are no help:
    # it tags 宣传部 nr and 新格局 nt; the head's tag is a better hint.)
    tags = word_tags()
    if len(word) < 3 or word[-2:] in tags:
        return False
    # Teams are named after sponsors no dictionary knows (蓝剑队, 首钢队); 球队 is a word.
    return suffix == "队" or tags.get(word[:-1]) in _HEAD_TAGS


_ORDINAL = re.compile(r"第[一二三四五六七八九十\d]+")


def _is_name_part(token: Token) -> bool:
    word = token.word
    if _ORDINAL.fullmatch(word):
        return True  # 第二|人民医院, 公司|第二|党支部
    if word in _MODIFIERS or word in rules().titles or not all(is_han(c) for c in word):
        return False
    tag = word_tags().get(word)
    # A one-character adjective may open a name (青禾|新|材料|有限公司); a longer one is
    # usually a verb to jieba's dictionary (落实 is tagged a).
    return tag is None or tag in _NAME_TAGS or (tag == "a" and len(word) == 1)


@cache
def known_orgs() -> frozenset[str]:
    """Well-known organisations (``rules/orgs_known.txt``): 联合国, 新华社, 国家计委."""
    return rules().known_orgs


@cache
def _known_re() -> re.Pattern[str]:
    return re.compile(alternation(known_orgs()))


@cache
def _generic() -> frozenset[str]:
    return frozenset(read_rule_file("org_generic.txt"))


def _generic_head(head: str) -> bool:
    """True when ``head`` is one or two generic words (商业, 各级, 地方, 大): 商业银行 is a
    kind of bank, not a named one."""
    generic = _generic()
    return head in generic or any(
        head[:n] in generic and head[n:] in generic for n in range(1, len(head))
    )


_ADMINISTRATIVE = frozenset("省市县区镇乡")
"""The level of government a known body belongs to, written alone before it."""

# Tags of a word that a one-character ending standing alone may follow: 四川|蓝剑|队.
_ALONE_HEAD_TAGS = frozenset({None, "ns", "nz", "nt", "j"})


def _ending_alone(seg: Segmented, index: int) -> bool:
    """True for a one-character ending jieba left as a word of its own after a name it
    does not know or knows as a place (蓝剑|队, 江岭|局): 干部 and 全部 are one word."""
    word = seg.tokens[index].word
    if len(word) != 1 or word not in rules().org_suffixes or index == 0:
        return False
    before = seg.tokens[index - 1]
    return (
        len(before.word) >= 2
        and all(map(is_han, before.word))
        and (word_tags().get(before.word) in _ALONE_HEAD_TAGS)
    )


def _qualifier(token: Token) -> bool:
    """True for a word that may stand in front of a known organisation: a place jieba
    knows (``ns``), 中共, or an organisation."""
    word = token.word
    if word in _ADMINISTRATIVE:
        return True  # 区|人大常委会, 县|政协
    return word == "中共" or word_tags().get(word) == "ns" or is_org_word(word)


def is_bare_org(word: str) -> bool:
    """True for a word that is only an organisation ending (集团, 公司, 党委)."""
    return word in rules().org_suffixes


def org_ending(seg: Segmented, index: int) -> tuple[int, int] | None:
    """The organisation whose last token is ``seg.tokens[index]``, as a span, or None."""
    tokens = seg.tokens
    last = tokens[index]
    if not is_org_word(last.word) and not _ending_alone(seg, index):
        return None
    # A name known whole (国务院, 新华社; jieba's nt words: 广东队) takes in front of it
    # only what may qualify it: a place or another organisation (中国|国务院), not
    # 经|国务院, 战胜|广东队 or a byline's name.
    whole = last.word in known_orgs() or word_tags().get(last.word) == "nt"
    part = _qualifier if whole else _is_name_part
    first = index
    while (
        first > 0
        and index - first + 1 < MAX_ORG_TOKENS
        and last.end - tokens[first - 1].start <= MAX_ORG_CHARS
        and part(tokens[first - 1])
    ):
        first -= 1
    # Drop leading bare endings and require something beyond them: 集团党委 is no name.
    while first < index and is_bare_org(tokens[first].word):
        first += 1
    if first == index and is_bare_org(last.word):
        return None
    start = tokens[first].start
    name = seg.text[start : last.end]
    suffix = _suffix(name) or ""
    named = name in known_orgs() or name in rules().org_forms
    if not named and _generic_head(name[: len(name) - len(suffix)]):
        return None
    return start, last.end


def name_like(seg: Segmented, start: int, end: int) -> bool:
    """True when ``start``..``end`` is a run of whole tokens that may form a name (青禾区):
    Han, no verbs, prepositions or adverbs, no modifiers such as 各 or 全体."""
    index = seg.index_at.get(start)
    if index is None or end not in seg.ends or end - start > MAX_ORG_CHARS:
        return False
    for token in seg.tokens_from(index):
        if token.start >= end:
            return True
        if not _is_name_part(token):
            return False
    return True


def ends_with_org_word(seg: Segmented, end: int) -> bool:
    """True when the token ending at ``end`` is an organisation word, bare ones included
    (集团, 公司): what may stand right before a person's name."""
    index = seg.index_ending.get(end)
    return index is not None and is_org_word(seg.tokens[index].word)


def org_ending_at(seg: Segmented, end: int) -> tuple[int, int] | None:
    """The organisation ending exactly at offset ``end`` (right before a title), or None."""
    index = seg.index_ending.get(end)
    return None if index is None else org_ending(seg, index)


@cache
def _last_chars() -> frozenset[str]:
    r = rules()
    return frozenset(w[-1] for w in r.org_suffixes | r.org_forms)


def find_orgs(seg: Segmented) -> Iterator[tuple[int, int]]:
    """Spans of the organisations of a segmented text, in order; a span inside a longer
    one (``省委`` in ``安徽省委``, ``中共`` in ``中共安徽省委``) is dropped."""
    last = _last_chars()
    spans = [
        span
        for i, token in enumerate(seg.tokens)
        if token.word[-1] in last and (span := org_ending(seg, i))
    ]
    spans += [m.span() for m in _known_re().finditer(seg.text)]
    reach = -1
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if span[1] <= reach:
            continue
        reach = span[1]
        yield span


def resolve_short_forms(names: Iterable[str]) -> list[str]:
    """``names`` without the short forms (``rules/org_forms.txt``: 市委, 省政府, 中央) that
    end a longer organisation named in the same article (北京市委, 中共中央): there the
    short form refers to that organisation. Order is kept."""
    names = list(dict.fromkeys(names))
    forms = rules().org_forms
    return [n for n in names if n not in forms or not any(o != n and o.endswith(n) for o in names)]


def title_org(seg: Segmented, end: int | None, orgs: list[str]) -> str | None:
    """The organisation a person's titles belong to, named right before them (``end``):
    ``青禾集团党委书记`` → 青禾集团; a bare ending (``集团党委副书记``) is the one
    organisation of ``orgs`` (the article's) that ends with it, if there is exactly one."""
    if end is None:
        return None
    if (span := org_ending_at(seg, end)) is not None:
        return named_in(seg.text[span[0] : span[1]], orgs)
    index = seg.index_ending.get(end)
    word = seg.tokens[index].word if index is not None else ""
    if not is_bare_org(word):
        return None
    named = named_in(word, orgs)
    return named if named != word else None


def named_in(org: str, orgs: list[str]) -> str:
    """``org`` as the article names it: a short form or a bare ending (``县委``, ``集团``)
    is the one organisation of ``orgs`` that ends with it, if there is exactly one."""
    if org not in rules().org_forms and not is_bare_org(org):
        return org
    named = [o for o in orgs if o != org and o.endswith(org)]
    return named[0] if len(named) == 1 else org
