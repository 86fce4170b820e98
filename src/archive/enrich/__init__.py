"""enrich: extract title, date, persons, organisations, places, periods and meetings from
a normalized document, and build the public :class:`~archive.records.Document`.

Rule-based (``rules/*.txt``) with jieba for word boundaries. A pure function: the same
``NormalizedDocument`` and :data:`EXTRACTOR_VERSION` always give the same record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from archive.enrich.dates import (
    DateMention,
    YearHints,
    filename_date,
    find_dates,
    fiscal_year,
    resolve_year,
    to_dates,
)
from archive.enrich.directives import find_directives, item_texts, targets_of, topics_of
from archive.enrich.meeting import (
    MeetingMention,
    meeting_mentions,
    meeting_name,
    meeting_type,
)
from archive.enrich.meetings import find_other_meetings, meeting_location
from archive.enrich.orgs import (
    find_orgs,
    is_bare_org,
    named_in,
    org_ending_at,
    resolve_short_forms,
    title_org,
)
from archive.enrich.people.persons import FoundPost, PersonMention, find_persons
from archive.enrich.people.roles import settle
from archive.enrich.periods import find_periods, period_name
from archive.enrich.places import find_places
from archive.enrich.published import Publication, publication, stamp_test
from archive.enrich.text import Segmented, fold, sentences
from archive.enrich.title import headline, make_title
from archive.normalize import Alignment, align
from archive.records import (
    Directive,
    Document,
    Meeting,
    NormalizedDocument,
    Person,
    Post,
    Source,
    YearSource,
    document_id,
)

EXTRACTOR_VERSION = "0.6.0"
"""Version of the extraction rules and code; bump it with any change to ``rules/``."""

__all__ = ["EXTRACTOR_VERSION", "enrich"]


@dataclass(frozen=True)
class _Dates:
    date: dt.date | None
    year: int | None
    year_source: YearSource | None
    meeting_start: dt.date | None = None
    meeting_end: dt.date | None = None
    start_day: str | None = None
    end_day: str | None = None
    meeting_year_source: YearSource | None = None


def _first_sentence(folded: str) -> str:
    return next((folded[s:e] for s, e in sentences(folded)), "")


def _month_day(month: int, day: int) -> str:
    return f"--{month:02d}-{day:02d}"


def _meeting_days(mention: DateMention, hints: YearHints, folded: str) -> _Dates:
    """The meeting's days from the date of its sentence: the month-days always, the full
    dates when the year is written or can be inferred."""
    start_day = _month_day(mention.month, mention.day)
    end_day = (
        _month_day(mention.end_month or mention.month, mention.end_day)
        if mention.end_day is not None
        else start_day
    )
    year, source = resolve_year(folded, mention, hints)
    days = to_dates(mention, year) if year is not None else None
    if days is None:
        return _Dates(None, None, None, None, None, start_day, end_day, None)
    start, end = days
    if end is None and mention.end_day is not None:
        end_day = start_day  # a range that ends before it starts: read as one day
    return _Dates(start, start.year, source, start, end or start, start_day, end_day, source)


def _dates(
    doc: NormalizedDocument,
    folded: str,
    title: str,
    meeting: MeetingMention | None,
    name: str | None,
    published: Publication | None,
    mentions: list[DateMention],
) -> _Dates:
    """The document's date and year, and the meeting's days.

    The meeting's days are those of the first date in the sentence that reports the
    meeting (kept as month-days when no year can be found). The document's date is the
    meeting's first day, else the first date of the article whose year is known, else the
    page's publication date, else the file name's date."""
    raw = doc.raw
    hints = YearHints(
        published=published.date if published else None,
        published_source=published.source if published else "published",
        file_date=filename_date(raw.filename),
        fiscal=fiscal_year(name, title, _first_sentence(folded)),
        modified=raw.modified.date() if raw.modified else None,
    )
    found = _Dates(None, None, None)
    if meeting is not None:
        lo, hi = meeting.sentence
        in_meeting = next((m for m in mentions if lo <= m.start < hi), None)
        if in_meeting is not None:
            found = _meeting_days(in_meeting, hints, folded)
            if found.date is not None:
                return found
    for mention in mentions:
        year, source = resolve_year(folded, mention, hints)
        if year is not None and (days := to_dates(mention, year)) is not None:
            return dataclasses.replace(found, date=days[0], year=year, year_source=source)
    if published is not None:
        day = published.date
        return dataclasses.replace(found, date=day, year=day.year, year_source=published.source)
    if hints.file_date is not None:
        day = hints.file_date
        return dataclasses.replace(found, date=day, year=day.year, year_source="filename")
    if hints.fiscal is not None:
        return dataclasses.replace(found, year=hints.fiscal, year_source="text")
    return found


MEETING_CANDIDATES = 3
"""How many sentences reporting a meeting are looked at for the one that dates it."""


def _reported_meeting(
    folded: str, seg: Segmented, dates: list[DateMention]
) -> MeetingMention | None:
    """The sentence that reports the article's meeting: the first of the body's first
    few such sentences that holds a date (a headline or a lead may name the meeting
    without its day), else the body's first, else the headline."""
    head_end = head[1] if (head := headline(folded)) else 0
    # One pass over the text: the headline's mention (if any), then the body's first few.
    mentions = list(itertools.islice(meeting_mentions(folded, seg), MEETING_CANDIDATES + 1))
    body = [m for m in mentions if m.sentence[0] >= head_end][:MEETING_CANDIDATES]
    for mention in body:
        lo, hi = mention.sentence
        if any(lo <= d.start < hi for d in dates):
            return mention
    return body[0] if body else next(iter(mentions), None)


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


def _person(text: str, seg: Segmented, found: PersonMention, orgs: list[str]) -> Person:
    """The public record of a person found, with each post's organisation resolved."""
    posts = [Post(title=post.title, org=_post_org(text, seg, post, orgs)) for post in found.posts]
    # The organisation of the first post that names one in front of it.
    org = next(
        (p.org for p, f in zip(posts, found.posts, strict=True) if f.org_end is not None), None
    )
    return Person(
        name=text[found.start : found.start + len(found.name)],
        titles=found.titles,
        roles=found.roles,
        org=org,
        posts=list({(p.title, p.org): p for p in posts}.values()),
    )


def _post_org(text: str, seg: Segmented, post: FoundPost, orgs: list[str]) -> str | None:
    """The organisation of a post: the one named in front of it (a bare ``集团`` resolved
    within the article), else the words in front of it as written (``江岭县`` of
    ``江岭县副县长``), unless they are a bare ending that names no one."""
    if post.org_end is None or post.org_start is None:
        return None
    if (org := title_org(seg, post.org_end, orgs)) is not None:
        return org
    written = named_in(text[post.org_start : post.org_end], orgs)
    return written if len(written) >= 2 and not is_bare_org(written) else None


def _speakers_of(directives: list[Directive], people: list[Person]) -> None:
    """A person who set a requirement spoke at the meeting."""
    speakers = {d.speaker for d in directives}
    for person in people:
        if person.name in speakers and "speaker" not in person.roles:
            person.roles = settle([*person.roles, "speaker"])


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
    end = start + len(title)
    alignment = _aligned_head(doc.original_text, doc.text, end)
    if alignment is None:
        return title  # text not normalized from this original_text: offsets would lie
    begin, stop = alignment.to_original(start, end)
    return doc.original_text[begin:stop]


_HEAD_CHARS = 64 * 1024
"""How much of a long original is aligned to find its title (titles open the text):
aligning a 10 MB compilation whole holds two offsets per character, some 250 MB."""


def _aligned_head(original: str, text: str, needed: int) -> Alignment | None:
    """The alignment of ``original`` with ``text`` (its normalized form) that covers
    ``text[:needed]``: of a head of the original, cut at a line break, when that head
    normalizes to the start of ``text`` well past ``needed``; else of the whole original.
    None when ``text`` is not what ``original`` normalizes to."""
    cut = original.find("\n", _HEAD_CHARS)
    if cut >= 0:
        head = align(original[:cut])
        # The head's last line may normalize differently from the same line in the
        # whole text (a space stripped at its end): keep a margin before the cut.
        margin = 1024
        if needed + margin <= len(head.text) and text.startswith(head.text[: needed + margin]):
            return head
    alignment = align(original)
    return alignment if alignment.text == text else None


def enrich(doc: NormalizedDocument) -> Document:
    """The public record of ``doc``: its title, date and year, persons with titles and
    roles, organisations, places, periods, the meeting it reports (with its location), the
    other meetings it names and the directives. ``source.ingested_at`` stays None (the
    store sets it)."""
    text, raw = doc.text, doc.raw
    folded = fold(text)
    seg = Segmented(text)  # jieba splits full-width digits faster; offsets are the same
    # Datelines (5月10日讯) and date stamps date the page, not what it reports.
    is_stamp = stamp_test(folded)
    dates = [d for d in find_dates(folded) if not is_stamp(d.start, d.end)]
    found = _reported_meeting(folded, seg, dates)
    written_name = text[found.name_start : found.name_end] if found else None
    name = meeting_name(written_name) if written_name is not None else None
    title = make_title(doc.title, text, folded, found, raw.filename)
    published = publication(folded, raw.published, raw.address)
    days = _dates(doc, folded, fold(title), found, name, published, dates)
    organizer = found.organizer if found else None
    organizer_name = folded[organizer[0] : organizer[1]] if organizer else None
    persons, org_ends = find_persons(folded, seg, organizer_name)
    org_spans = _org_spans(seg, org_ends, found)
    person_spans = [(p.start, p.start + len(p.name)) for p in persons]
    places = find_places(seg, [*org_spans, *person_spans])
    orgs = resolve_short_forms(_unique(text, org_spans))
    people = [_person(text, seg, p, orgs) for p in persons]
    directives = _directives(folded, text, people)
    _speakers_of(directives, people)

    return Document(
        id=document_id(raw.sha256),
        title=title,
        original_title=original_title(doc, title),
        text=text,
        original_text=doc.original_text,
        date=days.date,
        year=days.year,
        year_source=days.year_source,
        published=published.date if published else None,
        source=Source(
            filename=raw.filename,
            sha256=raw.sha256,
            bytes=raw.size,
            encoding=raw.encoding,
            format=raw.format,
            ingested_at=None,
            pinyin_removed=doc.pinyin_removed,
            script=doc.script,
            address=raw.address,
            modified=raw.modified,
            pages=raw.pages,
            ocr=raw.ocr,
            container=raw.container,
        ),
        persons=people,
        orgs=orgs,
        places=_unique(text, places),
        meeting=Meeting(
            name=name,
            type=meeting_type(written_name) if found else None,
            organizer=text[organizer[0] : organizer[1]] if organizer else None,
            start=days.meeting_start,
            end=days.meeting_end,
            start_day=days.start_day,
            end_day=days.end_day,
            year_source=days.meeting_year_source,
            location=meeting_location(folded, text, found.sentence) if found else None,
        ),
        meetings=_other_meetings(folded, text, name),
        periods=list(dict.fromkeys(period_name(text[s:e]) for s, e in find_periods(folded))),
        directives=directives,
        extractor_version=EXTRACTOR_VERSION,
    )
