"""Who speaks a cue word: a person named before it in its sentence, a surname reference
(``郑书记``, ``郭董``), a pronoun (``他强调``), or the meeting itself (``会议要求``,
``本次会议…，并对全体干部职工提出了要求``).

:class:`Speakers` indexes, once per article, where each of them is written; the directive
reader asks it for the speaker of each cue.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache

from archive.enrich.people.names import PUNCT, occurrences
from archive.enrich.people.posts import title_re
from archive.enrich.people.references import references
from archive.enrich.people.roles import OBJECT_MENTION
from archive.enrich.rules import alternation

MEETING = "会议"
"""The speaker of a requirement the meeting itself sets (会议要求, 会议强调)."""

MAX_GAP = 90
"""Most characters between a person's name and the cue of their sentence
(``郑启明对贯彻落实…会议精神作了详细安排和部署，要求``)."""
MAX_PRONOUN_GAP = 20

PRONOUNS = "他她"
BYLINE_TITLES = ("记者", "通讯员", "摄影")
MEETING_WORDS = ("会议上", "会议", "会上", "大会")
ADVERBS = r"(?:还|也|又|并|同时|进一步|特别|最后|首先|再次|充分|明确|重点|着重|专门)?"
HEAD_PUNCT = f"[{PUNCT}\\s]"
# The meeting as the subject of a sentence: 会议…, 本次会议…, 大会还….
_MEETING_SUBJECT = re.compile(
    r"\s*(?:本次|这次|此次)?(?:会议|大会)(?![上中后前室]|结束|开始|期间|精神|召开|由|最后)"
)


def at_clause_head(text: str, pos: int) -> bool:
    """True at the text's start or right after punctuation or a space."""
    return pos == 0 or bool(re.match(HEAD_PUNCT, text[pos - 1]))


def quote_test(text: str) -> Callable[[int], bool]:
    """A test of whether an offset of ``text`` lies inside “…” in its line. The quotation
    marks and line breaks are found once: counting them from the line's start for each
    offset made a text of one long line quadratic."""
    opens, closes, breaks = ([m.start() for m in re.finditer(c, text)] for c in "“”\n")

    def quoted(pos: int) -> bool:
        before = bisect.bisect_left(breaks, pos)
        line_start = breaks[before - 1] + 1 if before else 0
        opened = bisect.bisect_left(opens, pos) - bisect.bisect_left(opens, line_start)
        closed = bisect.bisect_left(closes, pos) - bisect.bisect_left(closes, line_start)
        return opened > closed

    return quoted


@cache
def _others_re() -> re.Pattern[str]:
    return re.compile(f"{alternation(frozenset(MEETING_WORDS))}|[{PRONOUNS}]")


class Speakers:
    """Where persons, surname references, pronouns and the meeting are named, by offset."""

    def __init__(self, text: str, people: Mapping[str, Sequence[str]]):
        self.text = text
        self.quoted = quote_test(text)
        # A byline (本报记者王刚) names a writer, a quotation what is quoted, and
        # 学习贯彻林海书记讲话… what is studied: none of them speaks.
        self.mentions = [
            (start, end, name)
            for start, end, name in occurrences(text, people)
            if not text.endswith(BYLINE_TITLES, 0, start)
            and not self.quoted(start)
            and not OBJECT_MENTION.search(text, max(0, start - 4), start)
        ]
        self._surname_references(people)
        self.mentions.sort()

    def _surname_references(self, people: Mapping[str, Sequence[str]]) -> None:
        """郑书记, 秦总, 郭董: resolved to the person they stand for; a title alone at the
        head of a clause (``县长要求``) stands for the one person who holds it."""
        for m, name in references(self.text, people):
            if at_clause_head(self.text, m.start()):
                self.mentions.append((m.start(), m.end(), name))
        holders: dict[str, list[str]] = {}
        for name, titles in people.items():
            for title in titles:
                holders.setdefault(title, []).append(name)
        unique = {title: names[0] for title, names in holders.items() if len(names) == 1}
        for m in title_re().finditer(self.text) if unique else ():
            if m.group() in unique and at_clause_head(self.text, m.start()):
                self.mentions.append((m.start(), m.end(), unique[m.group()]))

    def before(self, sentence_start: int, cue_start: int) -> str | None:
        """The speaker of a cue at ``cue_start``: the nearest of a person named before it
        in its sentence (``郑启明…，要求``), a pronoun for the person last named before it,
        or the meeting (``会议还要求``), both at the head of the cue's clause."""
        text = self.text
        candidates = [
            (start, name)
            for start, end, name in self.starting_in(sentence_start, cue_start)
            if end <= cue_start and cue_start - end <= MAX_GAP
        ]
        low = max(sentence_start, cue_start - MAX_PRONOUN_GAP)
        for m in _others_re().finditer(text, low, cue_start):
            gap = text[m.end() : cue_start]
            if not at_clause_head(text, m.start()) or re.search(HEAD_PUNCT, gap):
                continue
            if m.group() in MEETING_WORDS and re.fullmatch(ADVERBS, gap):
                candidates.append((m.start(), MEETING))
            elif m.group() in PRONOUNS and (person := self.last_named(m.start())):
                candidates.append((m.start(), person))
        if candidates:
            return max(candidates)[1]
        if _MEETING_SUBJECT.match(text, sentence_start) and cue_start - sentence_start <= MAX_GAP:
            return MEETING  # 本次会议…，并对全体干部职工提出了要求
        return None

    def last_named(self, pos: int, since: int = 0) -> str | None:
        """Whom 他/她 at ``pos`` stands for: the person last named before it (after
        ``since``)."""
        index = bisect.bisect_left(self.mentions, (pos,))
        return (
            self.mentions[index - 1][2] if index and self.mentions[index - 1][0] >= since else None
        )

    def named_in(self, start: int, end: int, other_than: str | None = None) -> bool:
        """True when a person (other than ``other_than``) is named in ``start``..``end``."""
        return any(n != other_than for _, _, n in self.starting_in(start, end))

    def starting_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The mentions that start in ``start``..``end``, in order (found by bisection:
        a long text holds thousands, and each cue asks)."""
        low = bisect.bisect_left(self.mentions, (start,))
        high = bisect.bisect_left(self.mentions, (end,))
        return self.mentions[low:high]
