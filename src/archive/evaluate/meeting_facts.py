"""The facts of a meeting page, from its gold (a ``gold.jsonl`` object of the
meeting-pages layout) or from an extracted record, normalized so that the two compare:
names and titles through :func:`archive.normalize.normalize_text`, days as ``--MM-DD``
and full dates, directives as (speaker, number of items). Scored by
:mod:`archive.evaluate.meetings`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from archive.normalize import normalize_text
from archive.records import Document

MEETING = "会议"
"""The speaker of a directive the meeting itself sets (``会议要求``): gold ``null``. The
dataset's word, and the extractor's (:data:`archive.enrich.directives.MEETING`); not
imported from there, so that scoring does not load the extractor."""

# A reading a converter left after a Han character, or after the reading before it
# (doubled readings: ``會(hui)(hui)``); lowercase only, so ``(WTO)`` or ``(PPP)`` after a
# name is not counted; ``(huì )`` with its space is.
_PINYIN_LEFT = re.compile(
    r"(?<=[\u3400-\u9fff)）])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]{1,7}[0-5]? ?[)）]"
)


def _norm(value: str | None) -> str | None:
    if value is None:
        return None
    return normalize_text(value) or None


def month_day(value: str | None) -> str | None:
    """``--MM-DD`` of an ISO date or partial date (``2021-01-08``, ``--01-08``)."""
    if not value:
        return None
    return "--" + value[-5:]


def full_date(value: str | None) -> str | None:
    """``value`` when it is a date with its year (``2021-01-08``), None for a partial
    date (``--01-08``) or none."""
    return value if value and not value.startswith("--") else None


def _tails(organizer: str | None) -> list[str]:
    """The organizer and its tails of two characters or more, longest first."""
    if not organizer:
        return []
    return [organizer[i:] for i in range(len(organizer) - 1)]


def lenient_title(title: str, organizer: str | None) -> str:
    """``title`` without the organizer, or its longest tail of two characters or more, in
    front; a title that is the organizer (or a tail) itself is kept whole."""
    tails = _tails(organizer)
    if title in tails:  # nothing would be left
        return title
    for tail in tails:
        if title.startswith(tail):
            return title[len(tail) :]
    return title


def _speaker(name: str | None) -> str | None:
    """A directive's speaker, normalized; the meeting itself (``会议``) is None."""
    speaker = _norm(name)
    return None if speaker == MEETING else speaker


def pinyin_left(text: str) -> int:
    """How many inline readings (``會(huì)``) are left in ``text``."""
    return len(_PINYIN_LEFT.findall(text))


# --- one page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PageFacts:
    """The facts one side (gold or extraction) gives for a page, normalized."""

    persons: frozenset[str]
    titles: frozenset[tuple[str, str]]
    speakers: frozenset[str]
    directives: Counter[tuple[str | None, int]]
    meeting_day: str | None
    """``--MM-DD`` of the first day."""
    meeting_date: str | None
    """The full ISO date of the first day, when known (gold: when the text writes it)."""
    meeting_end: str | None
    """``--MM-DD`` of the last day of a meeting of several days."""
    meeting_end_date: str | None
    meeting_name: str | None
    organizer: str | None
    chair: str | None
    pinyin: int = 0
    """Gold: the inline readings the page holds; extraction: those left in its text."""

    def lenient(self, organizer: str | None) -> frozenset[tuple[str, str]]:
        """The (name, title) pairs with the organizer taken off the front of the titles."""
        return frozenset((n, lenient_title(t, organizer)) for n, t in self.titles)


def gold_facts(entry: Mapping[str, Any]) -> PageFacts:
    """The facts of one ``gold.jsonl`` object."""
    persons = [(name, p) for p in entry.get("persons") or () if (name := _norm(p.get("name")))]
    start, end = entry.get("meeting_date"), entry.get("meeting_end")
    return PageFacts(
        persons=frozenset(name for name, _ in persons),
        titles=frozenset(
            (name, title)
            for name, p in persons
            for title in map(_norm, p.get("titles") or ())
            if title
        ),
        speakers=frozenset(s for s in map(_norm, entry.get("speakers") or ()) if s),
        directives=Counter(
            (_speaker(d.get("speaker")), int(d.get("items") or 0))
            for d in entry.get("directives") or ()
        ),
        meeting_day=month_day(start),
        meeting_date=full_date(start),
        meeting_end=month_day(end),
        meeting_end_date=full_date(end),
        meeting_name=_norm(entry.get("meeting_name")),
        organizer=_norm(entry.get("organizer")),
        chair=_norm(entry.get("chair")),
        pinyin=int(entry.get("pinyin_annotations") or 0),
    )


def _day(written: str | None, value: dt.date | None) -> str | None:
    """``--MM-DD`` of a meeting day: as written, else the date's (records made before
    partial dates were kept have only the date)."""
    if written:
        return month_day(written)
    return month_day(value.isoformat()) if value else None


def extracted_facts(document: Document) -> PageFacts:
    """The facts of an extracted record."""
    people = [(name, p) for p in document.persons if (name := _norm(p.name))]
    chair = next((name for name, p in people if "chair" in p.roles), None)
    meeting = document.meeting
    start_day = _day(meeting.start_day, meeting.start)
    end_day = _day(meeting.end_day, meeting.end)
    # A one-day meeting may be recorded with end == start: the gold has no end then.
    several_days = end_day != start_day
    end = meeting.end if meeting.end != meeting.start else None
    return PageFacts(
        persons=frozenset(name for name, _ in people),
        titles=frozenset(
            (name, title) for name, p in people for title in map(_norm, p.titles) if title
        ),
        speakers=frozenset(name for name, p in people if "speaker" in p.roles),
        directives=Counter((_speaker(d.speaker), len(d.items)) for d in document.directives),
        meeting_day=start_day,
        meeting_date=meeting.start.isoformat() if meeting.start else None,
        meeting_end=end_day if several_days else None,
        meeting_end_date=end.isoformat() if end else None,
        meeting_name=_norm(meeting.name),
        organizer=_norm(meeting.organizer),
        chair=chair,
        pinyin=pinyin_left(document.text),
    )
