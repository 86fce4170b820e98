"""Passages: the directives of an article, read sentence by sentence.

A cue sentence (:mod:`archive.enrich.directives.cues`) that requires opens a directive;
the sentences after it that open with a requirement word extend it (one requirement
passage is one directive); the speaker stays current until the meeting is reported doing
something (``rules/reporting_cues.txt``: 会议听取了…), a person is reported attending, or a
line opens with neither a speaker nor a continuation. Enumerations are read by
:mod:`archive.enrich.directives.enumerations`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache

from archive.enrich.directives.cues import (
    LINK_WORDS,
    Cue,
    requirement_clause,
    requires,
    speaker_cues,
)
from archive.enrich.directives.enumerations import Item, announced_until, find_items, line_end
from archive.enrich.directives.speakers import ADVERBS, MEETING, MEETING_WORDS, Speakers
from archive.enrich.rules import alternation, read_rule_file, rules
from archive.enrich.text import SENTENCE_END, is_han, sentences

MIN_CHARS = 4
"""A shorter directive is a fragment (a cue at a line's end), not a requirement."""


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
    bare: bool = False
    """Only announced (…并提出了要求。), with nothing said after the cue."""


@cache
def _reporting_re() -> re.Pattern[str]:
    verbs = alternation(frozenset(read_rule_file("reporting_cues.txt")))
    return re.compile(rf"(?:{alternation(frozenset(MEETING_WORDS))}){ADVERBS}(?:{verbs})")


def _headline_end(text: str) -> int:
    """The end of the first line when more lines follow it (a headline), else 0."""
    end = text.find("\n")
    return end + 1 if 0 <= end < len(text.rstrip()) - 1 and end <= 80 else 0


def _opens_paragraph(text: str, start: int) -> bool:
    """True for a sentence at a line's start, or set off by spaces from the one before
    (pages that separate paragraphs with spaces: ``…落实。 谭鸿飞强调``)."""
    return start == 0 or text[start - 1] == "\n" or text[start] in " \t\u3000\n"


def _ends_run(text: str, span: tuple[int, int], speakers: Speakers) -> bool:
    """True for a sentence reporting the meeting (会议听取了…) or an attendance (a person
    named, then 出席/主持/汇报…: any role cue but a speaker's)."""
    if _reporting_re().search(text, span[0], span[1]):
        return True
    return any(_attendance_re().match(text, end) for _, end, _ in speakers.starting_in(*span))


@cache
def _attendance_re() -> re.Pattern[str]:
    cues = alternation(frozenset(c for c, r in rules().role_cues.items() if r != "speaker"))
    return re.compile(rf"(?:同志)?{ADVERBS}(?:{cues})")


class _Reader:
    """The state of reading an article's directives, sentence by sentence."""

    def __init__(self, text: str, persons: Mapping[str, list[str]]):
        self.text = text
        self.speakers = Speakers(text, persons)
        self.found: list[DirectiveMention] = []
        self.current: Cue | None = None
        """The cue whose speaker continuations belong to."""
        self.open: DirectiveMention | None = None
        """The directive a continuation extends."""
        self.recent: str | None = None
        """The person who spoke last in this paragraph."""
        self.paragraph = 0
        """Where the paragraph being read starts."""
        self._cue_starts: list[int] | None = None

    def sentence(self, span: tuple[int, int]) -> int:
        """Read one sentence; return where reading goes on (past an enumeration)."""
        text, (start, end) = self.text, span
        if _opens_paragraph(text, start):
            self.paragraph = start
            self.recent = None
        recent = self.recent or self.speakers.last_named(start, self.paragraph)
        cues = speaker_cues(text, span, self.speakers, recent)
        if cues:
            for cue, part_end in cues:
                self._cue(cue, part_end)
            return self.found[-1].end if self.open is not None else end
        if self.current is not None and requirement_clause(text, start, end) is not None:
            self._continue(start, end)
            return self.found[-1].end
        if _ends_run(text, span, self.speakers) or _opens_paragraph(text, start):
            self.current = self.open = None
        return end

    def _cue(self, cue: Cue, end: int) -> None:
        self.current = cue
        if cue.speaker != MEETING:
            self.recent = cue.speaker
        if not requires(self.text, cue, end):
            self.open = None
            return
        if self.text[cue.content - 1 : cue.content] in ":：":
            # 提出要求：… the colon opens a block: the rest of the line is the requirement.
            end = min(line_end(self.text, end), self.next_speaker(end))
        # …并提出了要求。: announced without its content, the announcement is the text.
        said = sum(map(is_han, LINK_WORDS.sub("", self.text[cue.content : end]))) >= 2
        self.open = self._directive(cue, cue.content if said else cue.clause, end, cue.clause)
        self.open.bare = not said and not self.open.items
        self.found.append(self.open)

    def _continue(self, start: int, end: int) -> None:
        """A continuation: it extends the open directive, or opens one for the speaker."""
        assert self.current is not None
        if self.open is not None and self.open.speaker == self.current.speaker:
            grown = self._directive(self.current, self.open.start, end, self.open.context)
            self.open.end, self.open.items = max(self.open.end, grown.end), grown.items
        else:
            self.open = self._directive(self.current, start, end, start)
            self.found.append(self.open)

    def _directive(self, cue: Cue, start: int, end: int, context: int) -> DirectiveMention:
        """The directive from ``start`` to ``end``, or to the end of the enumeration it
        announces (stopped by a new speaker)."""
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        stop = self.next_speaker(end)
        # 做好以下工作。第一，…: the list may open the next sentence.
        items = find_items(text, start, announced_until(text, end), stop)
        if items:
            end = max(end, items[-1].end)
        return DirectiveMention(
            cue.speaker, cue.cue, start, _trim(text, start, end), items, context
        )

    def next_speaker(self, after: int) -> int:
        """The start of the first sentence after ``after`` with a speaker and a cue, or the
        text's end: an enumeration never runs into another speaker's words."""
        if self._cue_starts is None:
            self._cue_starts = [
                span[0]
                for span in sentences(self.text)
                if speaker_cues(self.text, span, self.speakers, None)
            ]
        starts = self._cue_starts
        return next(iter(starts[bisect.bisect_right(starts, after) :]), len(self.text))


def find_directives(text: str, persons: Mapping[str, list[str]]) -> list[DirectiveMention]:
    """The directives of a folded text, in order; ``persons`` maps the names of the
    article's persons to their titles (the names are the possible speakers)."""
    reader = _Reader(text, persons)
    done = _headline_end(text)  # a headline repeats what the body reports
    for span in sentences(text):
        start, end = span
        if end <= done:
            continue
        done = reader.sentence((max(start, done), end))
    found = [d for d in reader.found if d.end - d.start >= MIN_CHARS]
    return _without_bare_announcements(found, reader.speakers)


def _without_bare_announcements(
    found: list[DirectiveMention], speakers: Speakers
) -> list[DirectiveMention]:
    """An announcement without its content (``…并提出了具体要求。``) stands for the
    requirements only when its speaker says none next: followed by the same speaker's
    directive, with nobody else named in between, it only introduces them."""
    kept = []
    for d, after in zip(found, [*found[1:], None], strict=False):
        if (
            d.bare
            and after is not None
            and after.speaker == d.speaker
            and not speakers.named_in(d.end, after.start, other_than=d.speaker)
        ):
            continue
        kept.append(d)
    return kept


def _trim(text: str, start: int, end: int) -> int:
    while end > start and (
        text[end - 1] in SENTENCE_END + ",;:，；：、 \t" or text[end - 1].isspace()
    ):
        end -= 1
    return end


def item_texts(text: str, items: Iterable[Item]) -> Iterator[str]:
    """The text of each item, without its marker and the punctuation that closes it."""
    for item in items:
        yield text[item.start : _trim(text, item.start, item.end)].strip()
