"""enrich: extract title, date, persons, organisations, places, periods and meetings from
a normalized document, and build the public :class:`~archive.records.Document`.

Rule-based (``rules/*.txt``) with jieba for word boundaries. A pure function: the same
``NormalizedDocument`` and :data:`EXTRACTOR_VERSION` always give the same record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from archive.enrich.dates import (
    DateMention,
    filename_date,
    find_dates,
    fiscal_year,
    resolve_year,
    to_dates,
)
from archive.enrich.directives import find_directives, item_texts, targets_of, topics_of
from archive.enrich.meeting import MeetingMention, find_meeting, meeting_name, meeting_type
from archive.enrich.meetings import find_other_meetings, meeting_location
from archive.enrich.orgs import find_orgs, org_ending_at, resolve_short_forms, title_org
from archive.enrich.periods import find_periods, period_name
from archive.enrich.persons import find_persons
from archive.enrich.places import find_places
from archive.enrich.text import Segmented, fold, sentences
from archive.enrich.title import headline, make_title
from archive.normalize import align
from archive.records import (
    Directive,
    Document,
    Meeting,
    NormalizedDocument,
    Person,
    Source,
    document_id,
)

EXTRACTOR_VERSION = "0.5.0"
"""Version of the extraction rules and code; bump it with any change to ``rules/``."""

__all__ = ["EXTRACTOR_VERSION", "enrich"]


@dataclass(frozen=True)
class _Dates:
    date: dt.date | None
    year: int | None
    meeting_start: dt.date | None
    meeting_end: dt.date | None


def _first_sentence(folded: str) -> str:
    return next((folded[s:e] for s, e in sentences(folded)), "")


def _dates(
    folded: str, filename: str, title: str, meeting: MeetingMention | None, name: str | None
) -> _Dates:
    """The document's date and year, and the meeting's days.

    The meeting's date is the first date in the sentence that reports the meeting; failing
    that the document's date is the first date of the article, then the filename's date.
    Only a date from the meeting sentence fills ``meeting.start``/``end`` (a one-day
    meeting has ``end == start``)."""
    mentions = list(find_dates(folded))
    file_date = filename_date(filename)
    fiscal = fiscal_year(name, title, _first_sentence(folded))
    in_meeting: DateMention | None = None
    if meeting is not None:
        lo, hi = meeting.sentence
        in_meeting = next((m for m in mentions if lo <= m.start < hi), None)
    candidates = [m for m in (in_meeting, *mentions) if m is not None]
    for mention in candidates:
        year = resolve_year(folded, mention, fiscal=fiscal, file_date=file_date)
        days = to_dates(mention, year) if year is not None else None
        if days is None:
            continue
        start, end = days
        if mention is in_meeting:
            return _Dates(start, start.year, start, end or start)
        return _Dates(start, start.year, None, None)
    if file_date is not None:
        return _Dates(file_date, file_date.year, None, None)
    return _Dates(None, fiscal, None, None)


def _org_spans(
    seg: Segmented, org_ends: list[int], meeting: MeetingMention | None
) -> list[tuple[int, int]]:
    """The spans of the organisations, in order: those ending in an organisation word,
    those in front of titles, the meeting's organizer."""
    spans = [*find_orgs(seg), *filter(None, (org_ending_at(seg, end) for end in org_ends))]
    if meeting is not None and meeting.organizer is not None:
        spans.append(meeting.organizer)
    return sorted(spans)


def _unique(text: str, spans: Iterable[tuple[int, int]]) -> list[str]:
    """The text of ``spans``, deduplicated in order of first mention."""
    return list(dict.fromkeys(text[s:e] for s, e in spans))


def _other_meetings(folded: str, text: str, main: str | None) -> list[Meeting]:
    """The meetings named besides the reported one, in order, each once."""
    names = dict.fromkeys(n for n in find_other_meetings(folded, text) if n != main)
    return [Meeting(name=n, type=_known_type(n)) for n in names]


def _directives(folded: str, text: str, people: list[Person]) -> list[Directive]:
    """The requirements of the article, by speaker, with items, targets and topics."""
    titles = {p.name: p.titles for p in people}
    out = []
    for found in find_directives(folded, titles):
        body = text[found.start : found.end]
        out.append(
            Directive(
                speaker=found.speaker,
                speaker_titles=titles.get(found.speaker, []),
                cue=found.cue,
                text=body,
                items=list(item_texts(text, found.items)),
                targets=targets_of(folded[found.start : found.end]),
                topics=topics_of(folded[found.context : found.end]),
            )
        )
    return out


def _known_type(name: str) -> str | None:
    kind = meeting_type(name)
    return None if kind == "other" else kind


def original_title(doc: NormalizedDocument, title: str) -> str:
    """``title`` as the article writes it: the page's own title, or, for a title taken
    from the text, the same span of ``original_text`` (a traditional article keeps a
    traditional title). A made-up title no span matches stays simplified."""
    if doc.title is not None and title == doc.title:
        return doc.original_title or title
    start = doc.text.find(title)
    if start < 0:
        return title
    if doc.original_text == doc.text:
        return title
    alignment = align(doc.original_text)
    if alignment.text != doc.text:
        return title  # text not normalized from this original_text: offsets would lie
    begin, end = alignment.to_original(start, start + len(title))
    return doc.original_text[begin:end]


def enrich(doc: NormalizedDocument) -> Document:
    """The public record of ``doc``: its title, date and year, persons with titles and
    roles, organisations, places, periods, the meeting it reports (with its location), the
    other meetings it names and the directives. ``source.ingested_at`` stays None (the
    store sets it)."""
    text, raw = doc.text, doc.raw
    folded = fold(text)
    seg = Segmented(text)  # jieba splits full-width digits faster; offsets are the same
    # The body reports the meeting with its date; a headline saying the same has none.
    head = headline(folded)
    found = find_meeting(folded, seg, head[1] if head else 0) or find_meeting(folded, seg)
    written_name = text[found.name_start : found.name_end] if found else None
    name = meeting_name(written_name) if written_name is not None else None
    title = make_title(doc.title, text, folded, found, raw.filename)
    dates = _dates(folded, raw.filename, fold(title), found, name)
    persons, org_ends = find_persons(folded, seg)
    org_spans = _org_spans(seg, org_ends, found)
    organizer = found.organizer if found else None
    person_spans = [(p.start, p.start + len(p.name)) for p in persons]
    places = find_places(seg, [*org_spans, *person_spans])
    orgs = resolve_short_forms(_unique(text, org_spans))
    people = [
        Person(
            name=text[p.start : p.start + len(p.name)],
            titles=p.titles,
            roles=p.roles,
            org=title_org(seg, p.org_end, orgs),
        )
        for p in persons
    ]

    return Document(
        id=document_id(raw.sha256),
        title=title,
        original_title=original_title(doc, title),
        text=text,
        original_text=doc.original_text,
        date=dates.date,
        year=dates.year,
        source=Source(
            filename=raw.filename,
            sha256=raw.sha256,
            bytes=raw.size,
            encoding=raw.encoding,
            format=raw.format,
            ingested_at=None,
            pinyin_removed=doc.pinyin_removed,
            script=doc.script,
        ),
        persons=people,
        orgs=orgs,
        places=_unique(text, places),
        meeting=Meeting(
            name=name,
            type=meeting_type(written_name) if found else None,
            organizer=text[organizer[0] : organizer[1]] if organizer else None,
            start=dates.meeting_start,
            end=dates.meeting_end,
            location=meeting_location(folded, text, found.sentence) if found else None,
        ),
        meetings=_other_meetings(folded, text, name),
        periods=list(dict.fromkeys(period_name(text[s:e]) for s, e in find_periods(folded))),
        directives=_directives(folded, text, people),
        extractor_version=EXTRACTOR_VERSION,
    )
