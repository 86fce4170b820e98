"""The meeting an article reports: the sentence, the meeting's name, type and organizer.

Two shapes are read, in each sentence in order, the first match winning:

- verb first: ``[date,]<organizer>召开<name>`` (``市交投集团召开2022年度工作务虚会``);
- name first: ``<name>在<place>召开`` (``全省宣传工作会议在省城召开``).

A meeting name runs from the word after the verb to the first meeting noun
(``rules/meeting_types.txt`` and ``rules/meeting_nouns.txt``) in the same clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from archive.enrich.dates import date_at
from archive.enrich.orgs import name_like, org_ending, org_ending_at
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
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    r = rules()
    nouns = alternation(frozenset(r.meeting_types) | r.meeting_nouns)
    verbs = alternation(r.meeting_verbs)
    name = rf"[^{CLAUSE_END}]{{0,40}}?(?:{nouns})(?![{_NOT_A_MEETING_AFTER}])"
    verb_first = re.compile(rf"(?P<verb>{verbs})(?P<name>{name})")
    name_first = re.compile(
        rf"(?P<name>[^{CLAUSE_END}]{{1,40}}?(?:{nouns}))(?![{_NOT_A_MEETING_AFTER}])"
        rf"(?:在[^{CLAUSE_END}]{{1,12}}?)?(?:隆重)?(?:召开|举行|开幕)"
    )
    return verb_first, name_first


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


def _organizer(text: str, seg: Segmented, start: int, end: int) -> tuple[int, int] | None:
    """Who holds the meeting: the organisation (see :mod:`archive.enrich.orgs`) that ends
    the words before 召开, else those words when they are a short name (青禾区), else None."""
    start = skip_lead(text, start, end)
    subject = text[start:end]
    for marker in ("在", "于"):  # 集团在总部召开, 集团于1月8日召开
        if (cut := subject.find(marker)) >= 0:
            subject = subject[:cut]
    trims = sorted(rules().time_words | rules().organizer_trim, key=len, reverse=True)
    while word := next((w for w in trims if subject.endswith(w)), None):
        subject = subject[: -len(word)]
    end = start + len(subject)
    span = org_ending_at(seg, end)
    if span is not None and span[0] >= start and span[1] - span[0] <= MAX_ORGANIZER:
        return span
    return (start, end) if subject and name_like(seg, start, end) else None


def _organizer_in_name(seg: Segmented, start: int, end: int) -> tuple[int, int] | None:
    """The longest organisation that opens a meeting name: 滨海港务集团|第三届职工代表大会."""
    best, index = None, seg.index_at.get(start)
    while index is not None and index < len(seg.tokens) and seg.tokens[index].end < end:
        span = org_ending(seg, index)
        if span is not None and span[0] == start:
            best = span
        index += 1
    return best


def _extend_session(text: str, end: int) -> int:
    """Grow a name over a following session number: 人民代表大会|第一次会议."""
    m = _SESSION.match(text, end)
    return m.end() if m else end


def find_meeting(text: str, seg: Segmented, start: int = 0) -> MeetingMention | None:
    """The first sentence of ``text[start:]`` (folded; ``seg`` its tokens) that reports a
    meeting being held."""
    verb_first, name_first = _patterns()
    for s_start, s_end in sentences(text, start):
        for c_start, c_end in clauses(text, s_start, s_end):
            if m := verb_first.search(text, c_start, c_end):
                lead = skip_lead(text, c_start, m.start())
                name_start, name_end = m.start("name"), _extend_session(text, m.end("name"))
                relative = text.startswith("的", name_start)  # 在召开的X会议上: no subject
                return MeetingMention(
                    sentence=(s_start, s_end),
                    clause_start=lead,
                    name_start=name_start + relative,
                    name_end=name_end,
                    title_end=name_end,
                    organizer=None if relative else _organizer(text, seg, lead, m.start("verb")),
                )
        for c_start, c_end in clauses(text, s_start, s_end):
            lead = skip_lead(text, c_start, c_end)
            if m := name_first.match(text, lead, c_end):
                name_end = _extend_session(text, m.end("name"))
                organizer = _organizer_in_name(seg, m.start("name"), name_end)
                return MeetingMention(
                    sentence=(s_start, s_end),
                    clause_start=lead,
                    name_start=organizer[1] if organizer else m.start("name"),
                    name_end=name_end,
                    title_end=m.end(),
                    organizer=organizer,
                )
    return None


def meeting_name(name: str) -> str | None:
    """The name as kept in the record: None for a bare generic noun (``会议``); an opening
    quote whose closing one is cut off is dropped (``“中英...颁奖仪式``)."""
    name = name.strip()
    for opening, closing in ("“”", "『』", "《》", "「」"):
        if name.startswith(opening) and closing not in name:
            name = name[1:]
    return None if not name or name in GENERIC_NAMES else name


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
