"""Directives: what a speaker required, with its enumerated items, targets and topics.

Read sentence by sentence, on folded text, with the persons already found:

- A **speaker sentence** names a speaker and then a cue (``rules/directive_cues.txt``):
  a person (``潘宪章强调``, ``集团党委书记、董事长潘宪章对…作了部署，要求…``), a surname
  reference to one (``潘书记指出``), a pronoun for the last person who spoke (``他强调``),
  or the meeting itself (``会议要求``). What follows the cue is a directive when it holds
  a requirement word (``rules/directive_modals.txt``: 要, 必须, 务必 …), or the cue requires
  by itself (要求, 号召, 部署), or it announces an enumeration. Otherwise (``潘宪章指出，
  …值得肯定``) the sentence only makes that person the current speaker.
- A **continuation** is a sentence with a clause that opens with a requirement word,
  alone or after a short subject (``要重点做好…``, ``各单位要…``): it belongs to the
  current speaker, with the cue that made them speak.
- The current speaker ends when the meeting is reported doing something
  (``rules/reporting_cues.txt``: 会议听取了…), a person is reported attending or chairing,
  or a line opens with neither a speaker nor a continuation.

A directive's text runs from after its cue (or from the start of a continuation) to the
end of its sentence, or to the end of the enumeration it announces
(:mod:`archive.enrich.enumerations`), whose items are split exactly at their markers.
Reporting of past work and praise hold no requirement word and are no directives.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache

from archive.enrich.enumerations import Item, find_items, line_end
from archive.enrich.names import PUNCT
from archive.enrich.rules import alternation, read_rule_file, rules
from archive.enrich.text import SENTENCE_END, sentences

MEETING = "会议"
"""The speaker of a requirement the meeting itself sets (会议要求, 会议强调)."""

MAX_GAP = 60
"""Most characters between a person's name and the cue of their sentence
(``潘宪章对贯彻落实…会议精神作了详细安排和部署，要求``)."""
MAX_PRONOUN_GAP = 20
MIN_CHARS = 4
"""A shorter directive is a fragment (a cue at a line's end), not a requirement."""
MAX_SUBJECT = 12
"""Most characters of the subject in front of a requirement word (各二级单位要)."""

_PRONOUNS = "他她"
_BYLINE_TITLES = ("记者", "通讯员", "摄影")
_MEETING_WORDS = ("会议上", "会议", "会上", "大会")
_ADVERBS = r"(?:还|也|又|并|同时|进一步|特别|最后|首先|再次|充分|明确|重点|着重|专门)?"
_HEAD_PUNCT = f"[{PUNCT}\\s]"
_CLAUSE_PUNCT = ",，;；:：。!?！？\n"


@dataclass
class DirectiveMention:
    """A directive as found, as offsets into the text."""

    speaker: str
    cue: str
    start: int
    end: int
    items: list[Item] = field(default_factory=list)
    context: int = 0
    """Where the sentence that introduced it starts: ``就十四五规划编制提出要求：…``
    says what the requirement is about before the cue."""


@dataclass(frozen=True)
class _Cue:
    speaker: str
    cue: str
    content: int
    """Where the requirement after the cue starts."""
    requiring: bool
    """The cue requires by itself (要求, 号召)."""
    clause: int = 0
    """Where the clause of the cue starts: ``并就十四五规划编制提出要求`` tells the topic."""


@cache
def _cues() -> dict[str, bool]:
    """Cue word → whether it requires by itself (marked ``*`` in the rules)."""
    entries = read_rule_file("directive_cues.txt")
    return {entry.rstrip("*"): entry.endswith("*") for entry in entries}


@cache
def _cue_re() -> re.Pattern[str]:
    # 要求 as in 各项要求 or 主持人: a noun, not a cue; the lookahead drops 人/者/稿 nouns.
    return re.compile(f"(?:{alternation(frozenset(_cues()))})(?![人者稿])")


@cache
def _requirement_head() -> re.Pattern[str]:
    """A clause opening with a requirement word, alone or after a short subject (要求
    there is a noun: 节目的要求; 要是 means "if")."""
    modals = alternation(frozenset(read_rule_file("directive_modals.txt")))
    return re.compile(
        rf"\s*(?P<subject>[^{PUNCT}\s]{{0,{MAX_SUBJECT}}}?)(?:都|也|还|更|均|一定)?(?:{modals})(?![求是])"
    )


_NOT_MODAL_BEFORE = tuple("重主纲摘只")
"""重要, 主要, 纲要, 摘要, 只要: 要 ending another word is no requirement."""


def _requirement(clause: str, any_subject: bool) -> bool:
    m = _requirement_head().match(clause)
    if m is None or m["subject"].endswith(_NOT_MODAL_BEFORE):
        return False
    return any_subject or not m["subject"] or _is_target(m["subject"])


@cache
def _reporting_re() -> re.Pattern[str]:
    verbs = alternation(frozenset(read_rule_file("reporting_cues.txt")))
    return re.compile(rf"(?:{alternation(_MEETING_WORDS)}){_ADVERBS}(?:{verbs})")


@cache
def _targets() -> tuple[tuple[str, ...], tuple[str, ...]]:
    entries = read_rule_file("directive_targets.txt")
    openings = tuple(e[1:] for e in entries if e.startswith("^"))
    return openings, tuple(e for e in entries if not e.startswith("^"))


def _is_target(subject: str) -> bool:
    openings, endings = _targets()
    return bool(subject) and (subject.startswith(openings) or subject.endswith(endings))


def _at_clause_head(text: str, pos: int) -> bool:
    return pos == 0 or bool(re.match(_HEAD_PUNCT, text[pos - 1]))


def _headline_end(text: str) -> int:
    """The end of the first line when more lines follow it (a headline), else 0."""
    end = text.find("\n")
    return end + 1 if 0 <= end < len(text.rstrip()) - 1 and end <= 80 else 0


def _line_starts(text: str) -> set[int]:
    return {0} | {m.end() for m in re.finditer("\n", text)}


class _Speakers:
    """Where persons, pronouns and the meeting are named, by offset."""

    def __init__(self, text: str, names: Iterable[str]):
        self.text = text
        self.names = sorted(set(names), key=len, reverse=True)
        self.mentions: list[tuple[int, int, str]] = []
        for name in self.names:
            for m in re.finditer(re.escape(name), text):
                # A byline (本报记者王刚) names a writer; a quotation names what is quoted.
                if not text.endswith(_BYLINE_TITLES, 0, m.start()) and not _quoted(text, m.start()):
                    self.mentions.append((m.start(), m.end(), name))
        self._surname_references()
        self.mentions.sort()
        self._cue_starts: list[int] | None = None

    def _surname_references(self) -> None:
        """潘书记, 秦总: a surname that only one person of the article has, and a title."""
        by_surname: dict[str, list[str]] = {}
        for name in self.names:
            by_surname.setdefault(name[0], []).append(name)
        unique = {s: names[0] for s, names in by_surname.items() if len(names) == 1}
        if not unique:
            return
        for m in _surname_title_re().finditer(self.text):
            if m[1] in unique and _at_clause_head(self.text, m.start()):
                self.mentions.append((m.start(), m.end(), unique[m[1]]))

    def before(self, sentence_start: int, cue_start: int, last_person: str | None) -> str | None:
        """The speaker of a cue at ``cue_start``: the nearest of a person named before it
        in its sentence (``潘宪章…，要求``), a pronoun for the last person who spoke, or the
        meeting (``会议还要求``), both at the head of the cue's clause."""
        text = self.text
        candidates = [
            (start, name)
            for start, end, name in self.mentions
            if sentence_start <= start and end <= cue_start and cue_start - end <= MAX_GAP
        ]
        low = max(sentence_start, cue_start - MAX_PRONOUN_GAP)
        for m in _others_re().finditer(text, low, cue_start):
            gap = text[m.end() : cue_start]
            if not _at_clause_head(text, m.start()) or re.search(_HEAD_PUNCT, gap):
                continue
            if m.group() in _MEETING_WORDS and re.fullmatch(_ADVERBS, gap):
                candidates.append((m.start(), MEETING))
            elif m.group() in _PRONOUNS and (person := self.last_before(m.start(), last_person)):
                candidates.append((m.start(), person))
        return max(candidates)[1] if candidates else None

    def cue_sentence_starts(self) -> list[int]:
        """The starts of the sentences that have a speaker and a cue, in order; found on
        first use and kept, as every directive of the article asks."""
        if self._cue_starts is None:
            self._cue_starts = [
                span[0]
                for span in sentences(self.text)
                if _speaker_cue(self.text, span, self, None) is not None
            ]
        return self._cue_starts

    def last_before(self, pos: int, speaker: str | None) -> str | None:
        """Whom 他/她 at ``pos`` refers to: the last person who spoke, else the last person
        named before it (区委书记林海出席会议并讲话。他强调…)."""
        if speaker is not None:
            return speaker
        named = [name for start, end, name in self.mentions if end <= pos]
        return named[-1] if named else None


@cache
def _surname_title_re() -> re.Pattern[str]:
    """A character and a title right after it: 潘书记, 秦总 (the caller checks the surname)."""
    return re.compile(f"([\u4e00-\u9fff])(?:{alternation(rules().titles | {'总', '董'})})")


@cache
def _others_re() -> re.Pattern[str]:
    return re.compile(f"{alternation(_MEETING_WORDS)}|[{_PRONOUNS}]")


def _speaker_cue(
    text: str, span: tuple[int, int], speakers: _Speakers, last_person: str | None
) -> _Cue | None:
    """The first cue of the sentence ``span`` that has a speaker, if any."""
    start, end = span
    for m in _cue_re().finditer(text, start, end):
        if _noun_cue(text, m) or _quoted(text, m.start()):
            continue
        speaker = speakers.before(start, m.start(), last_person)
        if speaker is None:
            continue
        cue, content = m.group(), m.end()
        heads = [i + 1 for i in range(start, m.start()) if text[i] in _CLAUSE_PUNCT]
        clause = max(heads, default=start)
        # 作了详细安排和部署，要求…: a cue right after a cue is the one that counts.
        while (nxt := _cue_re().match(text, _skip_punct(text, content))) is not None:
            cue, content = nxt.group(), nxt.end()
        content = _skip_punct(text, content)
        return _Cue(speaker, cue.rstrip(",:"), content, _cues()[cue], clause)
    return None


_NOUN_BEFORE = tuple("的总项高些种这新该其所")
"""的要求, 总要求, 各项要求, 更高要求, 所希望的: a cue word after these is a noun."""


def _noun_cue(text: str, m: re.Match[str]) -> bool:
    """True for a cue word used as a noun: 的要求, 希望工程, 希望的那样."""
    return text.endswith(_NOUN_BEFORE, 0, m.start()) or text.startswith(("工程", "的"), m.end())


def _quoted(text: str, pos: int) -> bool:
    """True when ``pos`` lies inside “…” in its line."""
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    return before.count("“") > before.count("”")


def _skip_punct(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in ",，:：、了 ":
        pos += 1
    return pos


def _requirement_clause(text: str, start: int, end: int, any_subject: bool = False) -> int | None:
    """Where the first clause of ``start``..``end`` that opens with a requirement word
    starts, or None. The word may follow a target (各单位要) or, with ``any_subject``, any
    short subject (集团上下必须: what follows a speaker's cue)."""
    pos = start
    for clause in re.split(f"([{PUNCT}])", text[start:end]):
        if clause.strip() and _requirement(clause, any_subject):
            return pos
        pos += len(clause)
    return None


def _ends_run(text: str, span: tuple[int, int], attendance: re.Pattern[str] | None) -> bool:
    """True for a sentence reporting the meeting (会议听取了…) or an attendance."""
    body = text[span[0] : span[1]]
    return bool(_reporting_re().search(body) or (attendance and attendance.search(body)))


def _attendance_re(names: Iterable[str]) -> re.Pattern[str] | None:
    names = list(names)
    if not names:
        return None
    cues = alternation(frozenset(c for c, r in rules().role_cues.items() if r != "speaker"))
    return re.compile(rf"(?:{alternation(frozenset(names))})(?:同志)?{_ADVERBS}(?:{cues})")


def find_directives(text: str, persons: Mapping[str, list[str]]) -> list[DirectiveMention]:
    """The directives of a folded text, in order; ``persons`` maps the names of the
    article's persons to their titles (the names are the possible speakers)."""
    speakers = _Speakers(text, persons)
    attendance = _attendance_re(persons)
    line_starts = _line_starts(text)
    found: list[DirectiveMention] = []
    current: _Cue | None = None
    last_person: str | None = None
    done = _headline_end(text)  # a headline repeats what the body reports
    for span in sentences(text):
        start, end = span
        if end <= done:
            continue
        start = max(start, done)
        cue = _speaker_cue(text, (start, end), speakers, last_person)
        if cue is not None:
            current = cue
            if cue.speaker != MEETING:
                last_person = cue.speaker
            requires = (
                cue.requiring
                or _requirement_clause(text, cue.content, end, any_subject=True) is not None
                or find_items(text, cue.content, end, end)
            )
            if not requires:
                continue
            if text[cue.content - 1 : cue.content] in ":：":
                # 提出要求：… the colon opens a block: the rest of the line is the requirement.
                end = min(line_end(text, end), _next_speaker(text, end, speakers))
            found.append(_directive(text, cue, cue.content, end, speakers, cue.clause))
        elif current is not None and _requirement_clause(text, start, end) is not None:
            found.append(_directive(text, current, start, end, speakers, start))
        else:
            if _ends_run(text, span, attendance) or start in line_starts:
                current = None
            continue
        done = found[-1].end
    return [d for d in found if d.end - d.start >= MIN_CHARS]


def _directive(
    text: str, cue: _Cue, start: int, end: int, speakers: _Speakers, context: int
) -> DirectiveMention:
    """The directive starting at ``start`` in a sentence ending at ``end``: to the end of
    the sentence, or of the enumeration it announces (stopped by a new speaker)."""
    while start < end and text[start].isspace():
        start += 1
    stop = _next_speaker(text, end, speakers)
    # 做好以下工作。第一，…: the list may open the next sentence.
    items = find_items(text, start, _announced_until(text, end), stop)
    if items:
        end = max(end, items[-1].end)
    return DirectiveMention(cue.speaker, cue.cue, start, _trim(text, start, end), items, context)


def _announced_until(text: str, end: int) -> int:
    """How far a first marker may lie from a sentence ending at ``end``: up to the start
    of the next sentence's second character (the marker opening it)."""
    pos = end
    while pos < len(text) and (text[pos].isspace() or text[pos] in SENTENCE_END):
        pos += 1
    return min(len(text), pos + 4)


def _next_speaker(text: str, after: int, speakers: _Speakers) -> int:
    """The start of the first sentence after ``after`` with a speaker and a cue, or the
    text's end: an enumeration never runs into another speaker's words."""
    starts = speakers.cue_sentence_starts()
    return next((s for s in starts[bisect.bisect_left(starts, after) :]), len(text))


def _trim(text: str, start: int, end: int) -> int:
    while end > start and (
        text[end - 1] in SENTENCE_END + ",;:，；：、 \t" or text[end - 1].isspace()
    ):
        end -= 1
    return end


def targets_of(text: str) -> list[str]:
    """The subjects the requirements of ``text`` are addressed to (各单位, 全体干部)."""
    out: list[str] = []
    for clause in re.split(f"[{PUNCT}]", text):
        m = _requirement_head().match(clause)
        if m and _requirement(clause, False) and (subject := m["subject"]) and subject not in out:
            out.append(subject)
    return out


@cache
def _topics() -> tuple[re.Pattern[str], dict[str, str]]:
    table: dict[str, str] = {}
    for entry in read_rule_file("topics.txt"):
        term, _, topic = entry.partition(" ")
        table[term] = topic.strip() or term
    return re.compile(alternation(frozenset(table))), table


_QUOTES = str.maketrans("", "", "“”‘’「」『』\"'")


def topics_of(text: str) -> list[str]:
    """The topics of a requirement (``rules/topics.txt``), in order of first mention."""
    pattern, table = _topics()
    plain = text.translate(_QUOTES)
    return list(dict.fromkeys(table[m.group()] for m in pattern.finditer(plain)))


def item_texts(text: str, items: Iterable[Item]) -> Iterator[str]:
    """The text of each item, without its marker and the punctuation that closes it."""
    for item in items:
        yield text[item.start : _trim(text, item.start, item.end)].strip()
