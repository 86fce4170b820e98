"""Persons: names found next to titles, with their titles and their roles in the meeting.

Patterns, on folded text (rules in ``rules/titles.txt`` and ``rules/role_cues.txt``; how a
name is delimited is in :mod:`archive.enrich.names`):

- ``[org]title、title…Name``: ``市交投集团党委书记、董事长张卫东`` → 张卫东 [党委书记, 董事长];
- ``Name title`` followed by a boundary: ``李磊总经理主持`` (not ``贝拉国总统卡伦``);
- ``title Name 同志``: the first pattern, 同志 being a boundary after a name;
- a bare name before a role cue or 同志 (``王刚指出``), or a three-character word jieba's
  dictionary tags as a person's name (``names.dictionary_name``).

Once a name is known, every bare mention (``张卫东指出``) and surname-plus-title reference
(``张书记``, ``秦总``, for a surname only one person of the article has) adds roles, read
from the cue words right after the mention (``出席会议并讲话`` → attendee, speaker).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from archive.enrich.names import (
    PUNCT,
    cue_pattern,
    dictionary_name,
    followed_by_boundary,
    foreign_name,
    left_boundary,
    list_member,
    name_after,
    name_before,
    unknown_name,
)
from archive.enrich.rules import alternation, rules
from archive.enrich.text import Segmented
from archive.records import Role

# Words that may sit between a name and its role cue: 在会上讲话, 也强调, 代表党委作报告.
_ROLE_PREFIX = re.compile(
    rf"(?:同志)?(?:在[^{PUNCT}]{{0,12}}?[上中时]|受[^{PUNCT}]{{1,12}}?委托|代表[^{PUNCT}]{{1,12}}?(?=[作讲致发]))?"
    r"(?:也|还|又|首先|随后|接着|最后|分别|先后|亲自|专门|一起|共同|同时)?"
)
# Between two cues of one mention: 出席会议并讲话, 出席会议并作报告.
_ROLE_LINK = re.compile(rf"了?[^{PUNCT}]{{0,10}}?并(?:作|发表)?(?:了)?")
# What joins the members of a list of persons who share one verb.
_LIST_JOINTS = frozenset({"、", "和", "及", "与", "以及"})
# Characters after a title that make it part of another word: 委员会, 主席团, 书记处, 主席台.
_NOT_A_TITLE_AFTER = "会团处台级办"


@dataclass
class PersonMention:
    """A person as found: name, titles in order, roles in order, first offset."""

    name: str
    start: int
    titles: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    org_end: int | None = None
    """Where the organisation in front of the person's first titles ends, if any."""

    def merge(self, titles: list[str], roles: list[Role], org_end: int | None = None) -> None:
        self.titles += [t for t in titles if t not in self.titles]
        self.roles += [r for r in roles if r not in self.roles]
        if self.org_end is None:
            self.org_end = org_end


@dataclass(frozen=True)
class TitleMatch:
    """A title word in the text."""

    start: int
    end: int
    title: str


@cache
def _title_re() -> re.Pattern[str]:
    return re.compile(rf"(?:{alternation(rules().titles)})(?![{_NOT_A_TITLE_AFTER}])")


@cache
def _cue_re() -> re.Pattern[str]:
    # 主持人, 参加者, 讲话稿: nouns built on a cue are no role.
    return re.compile(f"(?:{cue_pattern()})(?![人者词稿])")


@cache
def _short_boss_re() -> re.Pattern[str]:
    # 秦总 / 张董: a surname and 总 or 董 alone, right before punctuation or a role cue.
    return re.compile(rf"(.)[总董](?=[{PUNCT}]|{cue_pattern()})")


def find_titles(text: str, seg: Segmented) -> list[TitleMatch]:
    """Title words of ``text`` that start or end on a jieba token boundary."""
    return [
        TitleMatch(m.start(), m.end(), m.group())
        for m in _title_re().finditer(text)
        if m.start() in seg.starts or m.end() in seg.ends
    ]


def roles_after(text: str, pos: int) -> list[Role]:
    """The roles given by the cue words right after a mention ending at ``pos``."""
    cues = rules().role_cues
    prefix = _ROLE_PREFIX.match(text, pos)
    m = _cue_re().match(text, prefix.end() if prefix else pos)
    roles: list[Role] = []
    while m:
        role = cues[m.group()]
        if role not in roles:
            roles.append(role)
        link = _ROLE_LINK.match(text, m.end())
        m = _cue_re().match(text, link.end()) if link else None
    return roles


def _chain(text: str, titles: list[TitleMatch], k: int) -> int:
    """Index of the first title of the chain ending with ``titles[k]``: 党委书记、董事长."""
    while k > 0:
        gap = text[titles[k - 1].end : titles[k].start]
        if gap not in ("", "、", "兼", "、兼"):
            break
        k -= 1
    return k


@dataclass(frozen=True)
class _Mention:
    """One place where a person is named: ``start`` opens the titles, ``after`` is where
    role cues may follow, ``org_end`` is where an organisation before the titles ends."""

    name: tuple[int, int]
    start: int
    after: int
    titles: list[str]
    org_end: int | None = None


def _title_mentions(text: str, seg: Segmented, titles: list[TitleMatch]) -> Iterator[_Mention]:
    """The title patterns: ``title、title Name`` and ``Name title``."""
    for k, t in enumerate(titles):
        if (span := name_after(text, seg, t.end)) is not None:
            first = _chain(text, titles, k)
            # A title repeated by a typo (党委书记党委书记) is still one title.
            chain = list(dict.fromkeys(m.title for m in titles[first : k + 1]))
            yield _Mention(span, titles[first].start, span[1], chain, titles[first].start)
        elif followed_by_boundary(text, t.end) and (span := name_before(text, seg, t.start)):
            yield _Mention(span, span[0], t.end, [t.title])


def _shared_roles(text: str, mentions: list[_Mention], roles: list[list[Role]]) -> None:
    """Give the roles of a list's last member to the others: ``主任李明和副主任张华出席``."""
    for i in range(len(mentions) - 2, -1, -1):
        if not roles[i] and text[mentions[i].after : mentions[i + 1].start] in _LIST_JOINTS:
            roles[i] = roles[i + 1]


def _short_references(
    text: str, seg: Segmented, titles: list[TitleMatch], people: dict[str, PersonMention]
) -> Iterator[tuple[str, int]]:
    """(full name, offset after the reference) for 张书记 and 秦总 (unique surnames only)."""
    by_surname: dict[str, list[str]] = {}
    for name in people:
        by_surname.setdefault(name[0], []).append(name)
    unique = {s: names[0] for s, names in by_surname.items() if len(names) == 1}
    for t in titles:
        if t.start and text[t.start - 1] in unique and left_boundary(text, seg, t.start - 1):
            yield unique[text[t.start - 1]], t.end
    for m in _short_boss_re().finditer(text):
        if m[1] in unique and left_boundary(text, seg, m.start()):
            yield unique[m[1]], m.end()


@cache
def _bare_cue_re() -> re.Pattern[str]:
    return re.compile(rf"同志|{cue_pattern()}")


def _bare_mentions(text: str, seg: Segmented, known: list[str]) -> Iterator[_Mention]:
    """Names with no title, right before a role cue or 同志 (``王刚指出``), that are not
    part of a name already known (``洪涛`` of ``于洪涛``)."""
    for m in _bare_cue_re().finditer(text):
        span = name_before(text, seg, m.start()) if m.start() in seg.starts else None
        if span and not any(text.startswith(k, span[1] - len(k)) for k in known):
            yield _Mention(span, span[0], span[1], [])


def _dictionary_mentions(text: str, seg: Segmented, known: list[str]) -> Iterator[_Mention]:
    """Tokens jieba's dictionary tags as persons' names (``江泽民``), not part of a name
    already known."""
    for index in range(len(seg.tokens)):
        span = (
            dictionary_name(text, seg, index)
            or unknown_name(text, seg, index)
            or foreign_name(text, seg, index)
        )
        if span and not any(text.startswith(k, span[1] - len(k)) for k in known):
            yield _Mention(span, span[0], span[1], [])


_LIST = re.compile(r"[\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,4})+")


def _list_mentions(text: str, seg: Segmented, known: set[str]) -> Iterator[_Mention]:
    """The other members of a list of names that holds a known person:
    ``谷源洋、谈世中、肖炼`` when 谷源洋 is known. The list vouches for its members."""
    for m in _LIST.finditer(text):
        items, pos = [], m.start()
        for item in m.group().split("、"):
            items.append((pos, pos + len(item)))
            pos += len(item) + 1
        if not any(any(text.endswith(k, s, e) for k in known) for s, e in items):
            continue
        for k, (s, e) in enumerate(items):
            last = k == len(items) - 1
            span = name_after(text, seg, s) if last else list_member(text, seg, s, e)
            if span and text[span[0] : span[1]] not in known:
                yield _Mention(span, span[0], span[1], [])


# A byline: a name alone on its line, or in brackets with a credit (（王刚摄）, （李明）).
_BYLINE = re.compile(
    r"(?:^|(?<=\n))[ \t]*([\u4e00-\u9fff]{2,3})[ \t]*(?=\n|$)"
    r"|[（(]([\u4e00-\u9fff]{2,3})(?:摄影|摄|供稿|文|图|绘)?[）)]"
)


_NUMERALS = "一二三四五六七八九十"


def _byline_mentions(text: str, seg: Segmented) -> Iterator[_Mention]:
    """Names of authors and photographers in bylines (``（王刚摄）``); no role."""
    for m in _BYLINE.finditer(text):
        group = 1 if m.group(1) else 2
        span = list_member(text, seg, m.start(group), m.end(group))
        # （左一）: a caption's position, not a name
        if span == (m.start(group), m.end(group)) and text[span[1] - 1] not in _NUMERALS:
            yield _Mention(span, span[0], span[1], [])


def find_persons(text: str, seg: Segmented) -> tuple[list[PersonMention], list[int]]:
    """The persons of ``text`` in order of first mention, and the offsets where the
    organisations in front of their titles end (``市交投集团`` before ``党委书记``)."""
    titles = find_titles(text, seg)
    mentions = list(_title_mentions(text, seg, titles))
    known = [text[s:e] for s, e in (m.name for m in mentions)]
    extra = [
        *_bare_mentions(text, seg, known),
        *_dictionary_mentions(text, seg, known),
        *_byline_mentions(text, seg),
    ]
    found = set(known) | {text[s:e] for s, e in (m.name for m in extra)}
    extra += _list_mentions(text, seg, found)
    mentions = sorted([*mentions, *extra], key=lambda m: m.start)
    roles = [roles_after(text, m.after) for m in mentions]
    _shared_roles(text, mentions, roles)
    people: dict[str, PersonMention] = {}
    for mention, mention_roles in zip(mentions, roles, strict=True):
        name = text[mention.name[0] : mention.name[1]]
        people.setdefault(name, PersonMention(name, mention.name[0])).merge(
            mention.titles, mention_roles, mention.org_end if mention.titles else None
        )
    for name, person in people.items():
        pos = person.start = text.find(name)
        while pos >= 0:
            person.merge([], roles_after(text, pos + len(name)))
            pos = text.find(name, pos + len(name))
    for name, after in _short_references(text, seg, titles, people):
        people[name].merge([], roles_after(text, after))
    org_ends = [m.org_end for m in mentions if m.org_end is not None]
    return sorted(people.values(), key=lambda p: p.start), org_ends
