"""The meeting an article reports: the sentence, the meeting's name, type and organizer.

Two shapes are read, in each sentence in order, the first match winning:

- verb first: ``[date,]<organizer>召开<name>`` (``市交投集团召开2022年度工作务虚会``);
- name first: ``<name>在<place>召开`` (``全省宣传工作会议在省城召开``).

A meeting name runs from the word after the verb to the first meeting noun
(``rules/meeting_types.txt`` and ``rules/meeting_nouns.txt``) in the same clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from archive.enrich.dates import date_at
from archive.enrich.orgs import name_like, org_ending, org_ending_at
from archive.enrich.people.posts import find_titles, form_tail, post_start
from archive.enrich.rules import alternation, rules
from archive.enrich.text import CLAUSE_END, Segmented, clauses, sentences

GENERIC_NAMES = frozenset({"会议", "大会", "会"})
"""Names that say nothing beyond "a meeting": the meeting is found, its name stays None."""

MAX_ORGANIZER = 20
"""A subject longer than this is a sentence, not an organizer."""

# Characters after a meeting noun that show it is not one (会员, 会见, 大会堂, 会场...).
_NOT_A_MEETING_AFTER = "议员长见堂所场址馆"
_SESSION = re.compile(r"第[\d一二三四五六七八九十]+次(?:全体|扩大)?会议")


@dataclass(frozen=True)
class MeetingMention:
    """Where an article reports its meeting; offsets into the folded text."""

    sentence: tuple[int, int]
    clause_start: int
    name_start: int
    name_end: int
    title_end: int
    """Where a title synthesized from this clause ends: after the name, or after 召开."""
    organizer: tuple[int, int] | None


@cache
def _nouns() -> str:
    r = rules()
    nouns = alternation(frozenset(r.meeting_types) | r.meeting_nouns)
    # A word ending in 会 right before a clause break is a meeting too (全体会, 对接会).
    return (
        rf"(?:{nouns})(?![{_NOT_A_MEETING_AFTER}])|(?<=[\u4e00-\u9fff]{{2}})会(?=[{CLAUSE_END}]|$)"
    )


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    verbs = alternation(rules().meeting_verbs)
    nouns = _nouns()
    name = rf"[^{CLAUSE_END}]{{0,40}}?(?:{nouns})"
    verb_first = re.compile(rf"(?P<verb>{verbs})(?P<name>{name})")
    name_first = re.compile(
        rf"(?P<name>[^{CLAUSE_END}]{{1,40}}?(?:{nouns}))"
        rf"(?:以[^{CLAUSE_END}]{{1,16}}?(?:形式|方式))?(?:在[^{CLAUSE_END}]{{1,16}}?)?"
        r"(?:隆重|顺利|胜利)?(?:召开|举行|开幕)"
    )
    # 暨, 和, 、 join the names of one meeting: X工作会议、安全生产会议暨Y会议.
    joined = re.compile(rf"(?:暨|和|及|、|以及)(?P<name>[^{CLAUSE_END}暨]{{1,40}}?(?:{nouns}))")
    return verb_first, name_first, joined


@cache
def _time_word_re() -> re.Pattern[str]:
    return re.compile(alternation(rules().time_words))


def skip_lead(text: str, pos: int, end: int, time_words: bool = True) -> int:
    """``pos`` moved past leading blanks, commas, dates and (with ``time_words``) vague
    time words (``近日``, ``上午``)."""
    while pos < end:
        if text[pos].isspace() or text[pos] in ",，、:：":
            pos += 1
        elif (stop := date_at(text, pos)) > pos:
            pos = stop
        elif time_words and (m := _time_word_re().match(text, pos)):
            pos = m.end()
        else:
            break
    return pos


_ORDINAL_LEAD = re.compile(r"^[\u4e00-\u9fff]{0,3}?第?[一二三四五六七八九十百\d]+届$")
"""What may stand before an organisation in an organizer: 市|九届|政协常委会."""
_HOSTS = ("召集", "会同", "邀请", "联合")
"""Verbs that end the organizer inside the words before 召开 (青禾集团|召集…召开)."""
_OWN = re.compile(r"我[市县区省镇乡村院司局校委厅所部会]")
"""我市, 我县, 我院: the publisher speaking of itself is an organizer too."""


def _subject(text: str, start: int, end: int) -> tuple[int, int]:
    """The words before 召开 that may name who holds the meeting: without a venue or a
    date (集团在总部召开), a host's verb and what follows it, and adverbs (隆重, 近日)."""
    start = skip_lead(text, start, end)
    subject = text[start:end]
    for marker in ("在", "于", *_HOSTS):  # 集团在总部召开, 集团于1月8日召开
        if (cut := subject.find(marker)) >= 0:
            subject = subject[:cut]
    trims = sorted(rules().time_words | rules().organizer_trim, key=len, reverse=True)
    while word := next((w for w in trims if subject.endswith(w)), None):
        subject = subject[: -len(word)]
    return start, start + len(subject)


def _organizer(text: str, seg: Segmented, start: int, end: int) -> tuple[int, int] | None:
    """Who holds the meeting: the organisation (see :mod:`archive.enrich.orgs`) that ends
    the words before 召开, else those words when they are a short name (青禾区, 我市),
    else None."""
    start, end = _subject(text, start, end)
    if start == end:
        return None
    span = org_ending_at(seg, end)
    if span is not None and span[0] >= start and span[1] - span[0] <= MAX_ORGANIZER:
        if span[0] > start and _ORDINAL_LEAD.match(text[start : span[0]]):
            return start, span[1]  # 市九届政协常委会
        return span
    if _OWN.fullmatch(text, start, end):
        return start, end
    return (start, end) if name_like(seg, start, end) else None


def _venue_host(text: str, seg: Segmented, start: int, end: int) -> tuple[int, int] | None:
    """The publisher that holds a meeting in its own rooms when no subject says who:
    ``在集团三楼会议室召开`` → 集团."""
    index = seg.index_at.get(start + 1) if text.startswith("在", start) else None
    if index is None or seg.tokens[index].start >= end:
        return None
    token = seg.tokens[index]
    return (token.start, token.end) if _bare_host(token.word) else None


def _chair_organizer(
    text: str, seg: Segmented, subject: tuple[int, int], name: tuple[int, int]
) -> tuple[int, int] | None:
    """The organizer when a person holds the meeting (``江岭区委书记林海主持召开区委
    常委会第十二次会议``): the organisation of the chair's post that the meeting's name
    opens with (区委 is 江岭区委's), else that of the chair's first post."""
    posts = []
    for title in find_titles(text, seg, *subject):
        begin = post_start(seg, title.start, subject[0])
        lead = next((f for f in _org_leads() if title.title.startswith(f)), "")
        posts.append((begin, title.start, title.start + len(lead)))
    written = text[name[0] : name[1]]
    best: tuple[int, int] | None = None
    for begin, head, extended in posts:
        for end in (extended, head):
            org = text[begin:end]
            tail = form_tail(org)
            opens = org and (written.startswith(org) or (tail and written.startswith(tail)))
            if opens and (best is None or end - begin > best[1] - best[0]):
                best = (begin, end)
    if best is not None:
        return best
    for begin, head, extended in posts:
        if begin < head or begin < extended:
            return (begin, head) if begin < head else (begin, extended)
    return None


@cache
def _org_leads() -> tuple[str, ...]:
    """Organisations a title word may open with (县委|书记, 党组|书记), longest first."""
    forms = rules().org_forms | {"党组", "党委", "党工委", "党支部", "党总支", "纪委", "团委"}
    return tuple(sorted(forms, key=len, reverse=True))


def _organizer_in_name(seg: Segmented, start: int, end: int) -> tuple[int, int] | None:
    """The longest organisation that opens a meeting name: 滨海港务集团|第三届职工代表大会,
    or a bare one (公司|2023年四季度工作推进会, 集团|…), which names the organizer in the
    organizer's own news."""
    best, index = None, seg.index_at.get(start)
    while index is not None and index < len(seg.tokens) and seg.tokens[index].end < end:
        token = seg.tokens[index]
        span = org_ending(seg, index)
        if token.start == start and _bare_host(token.word) and (span is None or span[0] != start):
            span = (token.start, token.end)
        if span is not None and span[0] == start:
            best = span
        index += 1
    return best


_PURPOSES = ("为", "迎接", "喜迎", "庆祝", "确保", "保障", "围绕")
"""A clause opening with these looks forward to a meeting (为迎接党代会胜利召开)."""
_HOSTS_BARE = frozenset({"公司", "集团", "集团公司", "总公司", "医院", "学院", "协会", "商会"})


def _host_opening(seg: Segmented, start: int) -> tuple[int, int] | None:
    """The span of a bare host word (集团, 公司) opening a name at ``start``, if any."""
    index = seg.index_at.get(start)
    token = seg.tokens[index] if index is not None else None
    return (token.start, token.end) if token and _bare_host(token.word) else None


def _bare_host(word: str) -> bool:
    """公司, 集团, 集团公司, 医院, 我院: a bare word naming the publisher, which holds the
    meeting (not 党委 or 工会: 党委会议, 工会代表大会 are meetings of those bodies)."""
    return word in _HOSTS_BARE or bool(_OWN.fullmatch(word))


def _extend(text: str, end: int, limit: int) -> int:
    """Grow a name over a following session number (人民代表大会|第一次会议), over a noun
    that goes on from it (中心组学习|会议, 代表大会|工作筹备会议) and over the names joined
    to it (X工作会议|、安全生产会议暨消防工作会议)."""
    _, _, joined = _patterns()
    while True:
        m = (
            _SESSION.match(text, end)
            or _continued_re().match(text, end, limit)
            or joined.match(text, end, limit)
        )
        if m is None:
            return end
        end = m.end()


@cache
def _continued_re() -> re.Pattern[str]:
    """A meeting noun right after a name's end, maybe after a modifier: 会议, 工作筹备会议."""
    return re.compile(rf"(?:{alternation(_NAME_MODIFIERS)})*(?:{_nouns()})")


_NAME_MODIFIERS = frozenset({"工作", "筹备", "预备", "动员", "部署", "推进", "总结", "专题"})


_NAME_LEAD = ("了", "一次", "一场", "一个")
"""Words between 召开 and the name: 召开了|一次|…会议."""
_BROKEN_LINE = re.compile(r"(?<=召开|举行|举办)(了?)\n")


def _skip_name_lead(text: str, pos: int) -> int:
    while word := next((w for w in _NAME_LEAD if text.startswith(w, pos)), None):
        pos += len(word)
    return pos


def _verb_first(text: str, seg: Segmented, sentence: tuple[int, int]) -> MeetingMention | None:
    verb_first, _, _ = _patterns()
    for c_start, c_end in clauses(text, *sentence):
        if m := verb_first.search(text, c_start, c_end):
            lead = skip_lead(text, c_start, m.start())
            name_start, name_end = m.start("name"), _extend(text, m.end("name"), c_end)
            if text.startswith("的", name_start):  # 在召开的X会议上: no subject
                return MeetingMention(sentence, lead, name_start + 1, name_end, name_end, None)
            name_start = _skip_name_lead(text, name_start)
            subject = _subject(text, lead, m.start("verb"))
            if _by_person(text, seg, subject):
                # 区委书记林海主持召开区委中心组学习会: the name stays whole, but
                # for the publisher's own word (…主持召开集团|三季度经营分析会).
                organizer = _chair_organizer(text, seg, subject, (name_start, name_end))
                host = _host_opening(seg, name_start)
                if host is not None:
                    # 青禾集团党委副书记…主持召开集团…会: the chair's 青禾集团, else 集团.
                    word = text[host[0] : host[1]]
                    owner = (
                        organizer if organizer and text.endswith(word, 0, organizer[1]) else None
                    )
                    name_start, organizer = host[1], owner or host
                return MeetingMention(sentence, lead, name_start, name_end, name_end, organizer)
            verb = m.start("verb")
            organizer = _organizer(text, seg, lead, verb) or _venue_host(text, seg, lead, verb)
            # 公司召开|公司|2023年四季度工作推进会: the organizer said again opens the name.
            inner = _organizer_in_name(seg, name_start, name_end)
            if inner is not None:
                name_start, organizer = inner[1], organizer or inner
            return MeetingMention(sentence, lead, name_start, name_end, name_end, organizer)
    return None


def _by_person(text: str, seg: Segmented, subject: tuple[int, int]) -> bool:
    """True when the words before 召开 name a person by a post (…书记林海主持)."""
    return bool(find_titles(text, seg, *subject))


def _name_first(text: str, seg: Segmented, sentence: tuple[int, int]) -> MeetingMention | None:
    _, name_first, _ = _patterns()
    for c_start, c_end in clauses(text, *sentence):
        lead = skip_lead(text, c_start, c_end)
        m = name_first.match(text, lead, c_end)
        if m and not text.startswith(_PURPOSES, lead):
            name_end = _extend(text, m.end("name"), c_end)
            organizer = _organizer_in_name(seg, m.start("name"), name_end)
            name_start = organizer[1] if organizer else m.start("name")
            return MeetingMention(sentence, lead, name_start, name_end, m.end(), organizer)
    return None


def meeting_mentions(text: str, seg: Segmented, start: int = 0) -> Iterator[MeetingMention]:
    """The sentences of ``text[start:]`` (folded; ``seg`` its tokens) that report a
    meeting being held, in order, one mention each."""
    # A page may break its line right after 召开; the name on the next line belongs to it.
    text = _BROKEN_LINE.sub(lambda m: m[1] + " ", text)
    for sentence in sentences(text, start):
        found = _verb_first(text, seg, sentence) or _name_first(text, seg, sentence)
        if found is not None:
            yield found


def find_meeting(text: str, seg: Segmented, start: int = 0) -> MeetingMention | None:
    """The first sentence of ``text[start:]`` that reports a meeting being held."""
    return next(meeting_mentions(text, seg, start), None)


def meeting_name(name: str) -> str | None:
    """The name as kept in the record, as written (a bare ``会议`` too: the article
    reports a meeting it does not name); an opening quote whose closing one is cut off is
    dropped (``“中英...颁奖仪式``)."""
    name = name.strip()
    for opening, closing in ("“”", "『』", "《》", "「」"):
        if name.startswith(opening) and closing not in name:
            name = name[1:]
    return name or None


def meeting_type(name: str | None) -> str:
    """The type of a meeting from its name: the typed noun ending last, longest on a tie
    (``rules/meeting_types.txt``); ``other`` when it has none."""
    types = rules().meeting_types
    best: tuple[int, int, str] | None = None
    for noun, kind in types.items():
        at = (name or "").rfind(noun)
        if at >= 0:
            key = (at + len(noun), len(noun), kind)
            best = key if best is None or key[:2] > best[:2] else best
    return best[2] if best else "other"
