"""Persons: names found next to titles, with their posts and their roles in the meeting.

Patterns, on folded text (rules in ``rules/titles.txt``; how a name is delimited is in
:mod:`archive.enrich.people.names`, how a post is read in :mod:`archive.enrich.people.posts`):

- ``post、post…Name``: ``市交投集团党委书记、董事长张卫东`` → 张卫东 [党委书记, 董事长]
  at a 市交投集团 meeting; a post keeps its organisation part (``县人大常委会主任``);
- a post before a list of names belongs to each: ``副总经理韩立、葛明``;
- ``Name title`` followed by a boundary: ``李磊总经理主持`` (not ``贝拉国总统卡伦``);
- a byline: ``（记者 柏晓宁）``, ``编辑：甘雨``;
- a bare name before a role cue or 同志 (``王刚指出``), or a three-character word jieba's
  dictionary tags as a person's name (``names.dictionary_name``).

Once a name is known, every mention (``张卫东指出``) and surname-plus-title reference
(``张书记``, ``郭董``: the one person of that surname, or the one of them whose posts fit)
adds roles (:mod:`archive.enrich.people.roles`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache

from archive.enrich.people.names import (
    PUNCT,
    cue_pattern,
    dictionary_name,
    foreign_name,
    left_boundary,
    list_member,
    may_start_name,
    name_after,
    name_before,
    occurrences,
    unknown_name,
)
from archive.enrich.people.posts import (
    PostSpan,
    TitleMatch,
    chain,
    find_titles,
    heads_by_end,
    level_form,
    organizer_prefix,
)
from archive.enrich.people.references import references
from archive.enrich.people.roles import attendance_lists, roles_after, settle
from archive.enrich.rules import alternation, read_rule_file, rules
from archive.enrich.text import Segmented
from archive.records import Role

_RANKS = ("副", "常务", "代", "执行", "名誉", "荣誉", "原", "前任")
"""What makes a post another one than the title it ends with: 副总经理 is no 总经理."""
# What joins the members of a list of persons who share one verb.
_LIST_JOINTS = ("、", "和", "及", "与", "以及")


@dataclass(frozen=True)
class FoundPost:
    """A post of a person: its title as kept, and where the organisation part before its
    title word ends (None when the post has none)."""

    title: str
    org_end: int | None = None
    org_start: int | None = None
    """Where that organisation part starts (``江岭县`` of ``江岭县副县长``)."""


@dataclass
class PersonMention:
    """A person as found: name, posts in order, roles in order, first offset."""

    name: str
    start: int
    posts: list[FoundPost] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)

    @property
    def titles(self) -> list[str]:
        return list(dict.fromkeys(p.title for p in self.posts))

    def merge(self, posts: list[FoundPost], roles: list[Role]) -> None:
        for post in posts:
            if not self._redundant(post.title):
                self.posts.append(post)
        self.roles += [r for r in roles if r not in self.roles]

    def _redundant(self, title: str) -> bool:
        # 书记 after 党委书记, a post said twice: the same post (总经理 after 副总经理 is not).
        return any(
            p.title == title
            or (p.title.endswith(title) and not p.title[: -len(title)].endswith(_RANKS))
            for p in self.posts
        )


@cache
def _short_boss_re() -> re.Pattern[str]:
    # 秦总 / 张董: a surname and 总 or 董 alone, right before punctuation or a role cue.
    return re.compile(rf"(.)([总董])(?=[{PUNCT}]|{cue_pattern()})")


@dataclass(frozen=True)
class _Mention:
    """One place where a person is named: ``start`` opens the posts, ``after`` is where
    role cues may follow."""

    name: tuple[int, int]
    start: int
    after: int
    posts: list[FoundPost]


_NOT_SHARED = ("委", "党组", "党委", "政府", "人大", "政协", "常委会")


def _holds_chain(org: str) -> bool:
    """True when the organisation of a chain's post also holds the posts after it:
    ``青禾集团党委书记、董事长`` (both 青禾集团's), not ``区委常委、常务副区长``."""
    return not org.endswith(_NOT_SHARED)


def _kept(text: str, post: PostSpan, organizer: str | None) -> FoundPost:
    """The post as kept: without the organizer it merely repeats."""
    written = text[post.start : post.end]
    cut = organizer_prefix(written, organizer)
    # 白石|县委书记: the level the title opens with belongs to the organisation.
    level = level_form(text[post.head : post.end])
    if post.start < post.head or level:
        return FoundPost(written[cut:], post.head + len(level), post.start)
    return FoundPost(written[cut:])


def _title_mentions(
    text: str, seg: Segmented, titles: list[TitleMatch], organizer: str | None
) -> Iterator[_Mention]:
    """The title patterns: ``post、post Name`` and ``Name title``."""
    heads = [(t.start, t.end) for t in titles]
    ends = heads_by_end(heads)
    for k, t in enumerate(titles):
        if (span := name_after(text, seg, t.end)) is not None:
            posts = chain(text, seg, heads, k, ends)
            kept: dict[str, FoundPost] = {}
            shared: FoundPost | None = None
            for post in posts:
                found = _kept(text, post, organizer)
                if found.org_end is not None:
                    org = (
                        text[found.org_start : found.org_end] if found.org_start is not None else ""
                    )
                    shared = found if _holds_chain(org) else None
                    kept.setdefault(found.title, found)
                elif shared is not None:
                    kept.setdefault(
                        found.title,
                        replace(found, org_end=shared.org_end, org_start=shared.org_start),
                    )
                else:
                    kept.setdefault(found.title, found)
            yield _Mention(span, posts[0].start, span[1], list(kept.values()))
        elif (span := name_before(text, seg, t.start)) is not None:
            # 李磊总经理主持, 谭鸿飞总裁全面回顾: a title after a name that no name follows
            yield _Mention(span, span[0], t.end, [FoundPost(t.title)])


def _shared_posts(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """A post before a list of names belongs to each name: ``副总经理韩立、葛明``."""
    at = {m.name[0]: m for m in mentions}
    shared: list[_Mention] = []
    for mention in mentions:
        if not mention.posts or mention.start == mention.name[0]:
            continue  # no posts, or a title after the name
        end = mention.name[1]
        while text.startswith("、", end) and (member := at.get(end + 1)) and not member.posts:
            shared.append(_Mention(member.name, member.start, member.after, mention.posts))
            end = member.name[1]
    return shared


class _Known:
    """Names already known, grouped by length: asking whether a name is written at a
    place costs a slice per length, not a pass over every name (a compilation of one
    leader's speeches knows thousands of mentions)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = set(names)
        self.lengths = sorted({len(n) for n in self.names})

    def ends_at(self, text: str, end: int, start: int = 0) -> bool:
        """True when a known name ends at ``end`` and starts at ``start`` or after."""
        return any(text[end - n : end] in self.names for n in self.lengths if n <= end - start)

    def longer_at(self, text: str, start: int, length: int) -> bool:
        """True when a known name longer than ``length`` starts at ``start``."""
        return any(text[start : start + n] in self.names for n in self.lengths if n > length)


def _inside_known(text: str, span: tuple[int, int], known: _Known) -> bool:
    """True when ``span`` is the start of a longer name already known (柏松 of 柏松涛)."""
    return known.longer_at(text, span[0], span[1] - span[0])


@cache
def _bare_cue_re() -> re.Pattern[str]:
    return re.compile(rf"同志|{cue_pattern()}")


def _bare_mentions(text: str, seg: Segmented, known: _Known) -> Iterator[_Mention]:
    """Names with no title, right before a role cue or 同志 (``王刚指出``), that are not
    part of a name already known (``洪涛`` of ``于洪涛``)."""
    for m in _bare_cue_re().finditer(text):
        span = name_before(text, seg, m.start()) if m.start() in seg.starts else None
        if span and not known.ends_at(text, span[1]):
            yield _Mention(span, span[0], span[1], [])


def _dictionary_mentions(text: str, seg: Segmented, known: _Known) -> Iterator[_Mention]:
    """Tokens jieba's dictionary tags as persons' names (``常昭明``), not part of a name
    already known."""
    for index, token in enumerate(seg.tokens):
        if not may_start_name(text, token):
            continue
        span = (
            dictionary_name(text, seg, index)
            or unknown_name(text, seg, index)
            or foreign_name(text, seg, index)
        )
        if span and not known.ends_at(text, span[1]):
            yield _Mention(span, span[0], span[1], [])


_LIST = re.compile(r"[\u4e00-\u9fff]{2,8}(?:、[\u4e00-\u9fff]{2,4})+")


def _list_mentions(text: str, seg: Segmented, known: _Known) -> Iterator[_Mention]:
    """The other members of a list of names that holds a known person:
    ``柏松涛、谭鸿飞、林海`` when 柏松涛 is known. The list vouches for its members."""
    for m in _LIST.finditer(text):
        items, pos = [], m.start()
        for item in m.group().split("、"):
            items.append((pos, pos + len(item)))
            pos += len(item) + 1
        if not any(known.ends_at(text, e, s) for s, e in items):
            continue
        for k, (s, e) in enumerate(items):
            last = k == len(items) - 1
            span = name_after(text, seg, s) if last else list_member(text, seg, s, e)
            if span and text[span[0] : span[1]] not in known.names:
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


@cache
def _credit_re() -> re.Pattern[str]:
    labels = alternation(frozenset(read_rule_file("byline_labels.txt")))
    # （记者 柏晓宁）, 编辑：甘雨, 全媒体记者 祁文峰 温晓岚: a label, a separator, the names.
    return re.compile(
        rf"(?:^|(?<=[\n(（【\[|｜\s]))(?P<label>(?:[\u4e00-\u9fff]{{0,4}}?)(?:{labels}))[:：\s]+"
    )


_CREDIT_SEPARATORS = " \t、,，"
_HOUSE = ("本报", "本刊", "本台", "本网", "本站")


def _own_label(label: str) -> str:
    """A label without the house it works for when that is just 本报: 本报记者 → 记者."""
    return label[2:] if label.startswith(_HOUSE) else label


def _credit_mentions(text: str, seg: Segmented) -> Iterator[_Mention]:
    """Names after a byline label (``rules/byline_labels.txt``), which is their title:
    ``（记者 柏晓宁）`` → 柏晓宁 [记者], ``全媒体记者 祁文峰 温晓岚`` → both."""
    for m in _credit_re().finditer(text):
        label, pos = _own_label(m["label"]), m.end()
        while (span := name_after(text, seg, pos)) is not None or (
            span := list_member(text, seg, pos, min(len(text), pos + 3))
        ):
            yield _Mention(span, m.start(), span[1], [FoundPost(label)])
            pos = span[1]
            while pos < len(text) and text[pos] in _CREDIT_SEPARATORS:
                pos += 1
            if pos == span[1]:
                break


def _references(
    text: str, seg: Segmented, people: dict[str, PersonMention]
) -> list[tuple[int, int, str]]:
    """(start, end, full name) of the surname references: 张书记, 秦总, 郭董."""
    found = []
    for m, name in references(text, {name: p.titles for name, p in people.items()}):
        if not left_boundary(text, seg, m.start()):
            continue
        if m[2] in ("总", "董") and not _short_boss_re().match(text, m.start()):
            continue  # 总 and 董 alone only before punctuation or a cue: 秦总表示
        found.append((m.start(), m.end(), name))
    return found


def _shared_roles(text: str, spans: list[tuple[int, int, str]], roles: list[list[Role]]) -> None:
    """Give the roles of a list's last member to the others: ``主任李明和副主任张华出席``,
    ``韩立副总、葛明副总和祁文峰助理也先后发言``."""
    for i in range(len(spans) - 2, -1, -1):
        gap = text[spans[i][1] : spans[i + 1][0]]
        if not roles[i] and _list_gap(gap):
            roles[i] = roles[i + 1]


_LIST_GAP = re.compile(
    r"(?P<before>[^,，、;；。:：\n]*?)(?:[,，、]|和|及|与|以及)(?P<after>[^,，;；。:：\n]*)"
)


def _list_gap(gap: str) -> bool:
    """True for what lies between two members of a list of persons: a joint (、, 和, or
    a comma between titled persons), with titles around it (``副总、``, ``，县委常委、组织部
    部长``), no verb. What is before the joint is empty or a title after the name; what is
    after it, empty or the next person's posts."""
    m = _LIST_GAP.fullmatch(gap) if 0 < len(gap) <= 40 else None
    if m is None or roles_after(gap, 0):
        return False
    before, after = m["before"].removesuffix("同志"), m["after"]
    titles = rules().titles
    if before and before not in titles:
        return False
    return not after or any(after.endswith(t) for t in titles) or "、" in after


def find_persons(
    text: str, seg: Segmented, organizer: str | None = None
) -> tuple[list[PersonMention], list[int]]:
    """The persons of ``text`` in order of first mention, and the offsets where the
    organisations in front of their posts end (``市交投集团`` before ``党委书记``).
    ``organizer`` is who held the meeting: a post does not repeat it."""
    titles = find_titles(text, seg)
    mentions = list(_title_mentions(text, seg, titles, organizer))
    mentions += _credit_mentions(text, seg)
    known = _Known(text[s:e] for s, e in (m.name for m in mentions))
    extra = [
        *_bare_mentions(text, seg, known),
        *_dictionary_mentions(text, seg, known),
        *_byline_mentions(text, seg),
    ]
    extra = [m for m in extra if not _inside_known(text, m.name, known)]
    found = _Known(known.names | {text[s:e] for s, e in (m.name for m in extra)})
    extra += _list_mentions(text, seg, found)
    mentions = sorted([*mentions, *extra], key=lambda m: m.start)
    mentions += _shared_posts(text, mentions)
    people: dict[str, PersonMention] = {}
    for mention in sorted(mentions, key=lambda m: m.name[0]):
        name = text[mention.name[0] : mention.name[1]]
        people.setdefault(name, PersonMention(name, mention.name[0])).merge(mention.posts, [])
    written = occurrences(text, people)
    _titles_after_names(written, titles, people)
    _read_roles(text, seg, people, written)
    org_ends = [p.org_end for m in mentions for p in m.posts if p.org_end is not None]
    return sorted(people.values(), key=lambda p: p.start), org_ends


def _titles_after_names(
    occurrences: list[tuple[int, int, str]],
    titles: list[TitleMatch],
    people: dict[str, PersonMention],
) -> None:
    """A title right after a name the article knows is that person's: 传达林海书记的讲话….
    (Found before, the name needed something a name may follow; known, it needs not.)"""
    at = {t.start: t for t in titles}
    for _, end, name in occurrences:
        if (title := at.get(end)) is not None:
            people[name].merge([FoundPost(title.title)], [])


def _read_roles(
    text: str,
    seg: Segmented,
    people: dict[str, PersonMention],
    occurrences: list[tuple[int, int, str]],
) -> None:
    """The roles of every person, from the cues after each of their mentions (names and
    surname references), lists sharing a verb, and lists of attendees."""
    spans = sorted([*occurrences, *_references(text, seg, people)])
    spans = [s for i, s in enumerate(spans) if i == 0 or s[0] >= spans[i - 1][1]]
    roles = [
        roles_after(text, end, spans[i + 1][0] if i + 1 < len(spans) else None, start)
        for i, (start, end, _) in enumerate(spans)
    ]
    _shared_roles(text, spans, roles)
    for (_, _, name), mention_roles in zip(spans, roles, strict=True):
        people[name].merge([], mention_roles)
    for lo, hi in attendance_lists(text):
        for start, _, name in spans:
            if lo <= start < hi:
                people[name].merge([], ["attendee"])
    for person in people.values():
        person.start = text.find(person.name)
        person.roles = settle(person.roles)
