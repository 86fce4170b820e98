"""The title of an article: given, read from a headline, or synthesized. Never empty."""

from __future__ import annotations

from pathlib import PurePath

from archive.enrich.dates import date_at
from archive.enrich.meeting import MeetingMention, skip_lead
from archive.enrich.text import sentences

MAX_HEADLINE = 40
"""A first line longer than this is a paragraph, not a headline."""

FALLBACK_CHARS = 30
"""A title cut from the first sentence keeps this many characters."""

_NOT_HEADLINE_END = "。，；：,;:、"


def headline(folded: str) -> tuple[int, int] | None:
    """The span of the first line when it looks like a headline: short, not ending like a
    sentence part, not opening with a date (``1月8日,...`` is a dateline)."""
    first = folded.split("\n", 1)[0]
    start, end = len(first) - len(first.lstrip()), len(first.rstrip())
    line = folded[start:end]
    if not line or len(line) > MAX_HEADLINE or line[-1] in _NOT_HEADLINE_END:
        return None
    if date_at(folded, start) > start:
        return None
    return start, end


def make_title(
    given: str | None, text: str, folded: str, meeting: MeetingMention | None, filename: str
) -> str:
    """The title: ``given`` (from markup), else a headline first line, else the clause
    that reports the meeting without its date (``市交投集团召开2022年度工作务虚会``), else
    the first sentence cut at :data:`FALLBACK_CHARS`, else the file's name."""
    if given and given.strip():
        return given.strip()
    if span := headline(folded):
        return text[span[0] : span[1]]
    if meeting is not None:
        title = text[meeting.clause_start : meeting.title_end].strip()
        if title:
            return title[:MAX_HEADLINE]
    for start, end in sentences(folded):
        start = skip_lead(folded, start, end, time_words=False)
        title = text[start:end].strip().rstrip(_NOT_HEADLINE_END + "。！？!?")
        if title:
            return title[:FALLBACK_CHARS]
    return PurePath(filename).stem or filename or "untitled"
