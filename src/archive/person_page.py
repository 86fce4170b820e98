"""A page for every person: the posts a name held, the meetings it chaired, spoke at and
attended, the directives it gave and the people it met most often.

:func:`build_page` is pure: from the records naming a person it builds the page, one
section per group of :mod:`archive.person_groups` (the same name under unrelated
organisations is shown as separate groups, never merged). :func:`read_person_page` is
the I/O edge: it finds the records through the :class:`~archive.backends.SearchBackend`
contract (a search on the ``person`` facet, then ``get`` per document), so it works the
same on the embedded engine and on Elasticsearch.

Days: the meeting's first day when its year is known, else the document's date, else the
meeting's month and day alone (``--03-06``, marked year-unknown and kept, never dropped).
A year the text does not write (``year_source`` other than ``written``: taken from
``2023年度``, the publication date, the file name…) is marked inferred.

Work is capped for very frequent names: the page is built from the
:data:`MAX_DOCUMENTS` newest documents naming the person; ``total`` says how many there
are and ``capped`` says when some were left out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from pydantic import BaseModel, computed_field

from archive.backends.base import SearchBackend, SearchQuery, every_found
from archive.errors import PersonNotFound
from archive.normalize import normalize_text
from archive.person_groups import DocumentGroup, group_documents, persons_named
from archive.records import Directive, Document, Role, YearSource

MAX_DOCUMENTS = 500
"""Documents read for one page at most (the newest): a name in thousands of reports would
otherwise cost thousands of reads per page view."""

COMPANIONS = 10
"""People listed as met most often, per group."""

SPOKE: frozenset[Role] = frozenset({"speaker", "reporter", "conveyor"})


class Day(BaseModel):
    """When something was seen: a full date when the year is known, else month and day."""

    date: dt.date | None = None
    month_day: str
    """``--MM-DD``, always set."""
    year_source: YearSource | None = None
    """Where the year came from (see :data:`archive.records.YearSource`)."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def year_known(self) -> bool:
        """The day has a full date (with its year, written or inferred)."""
        return self.date is not None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def year_inferred(self) -> bool:
        """The year is known but not written with the date: the extractor inferred it."""
        return self.date is not None and self.year_source not in (None, "written")


class Sighting(BaseModel):
    """One document showing a post, and its day."""

    document_id: str
    day: Day | None


class PostSpan(BaseModel):
    """A post held, with the first and last day it was seen (over the days with a year
    when there are any, else over the year-unknown ones) and every document showing it."""

    title: str
    org: str | None
    first: Day | None
    last: Day | None
    seen: list[Sighting]


class Appearance(BaseModel):
    """The person at one meeting (one document)."""

    document_id: str
    title: str
    meeting: str | None
    """The meeting's name, when the text gives one."""
    day: Day | None
    roles: list[Role]


class MeetingsByRole(BaseModel):
    """The meetings by the person's role, newest first; a meeting can be in several."""

    chaired: list[Appearance]
    spoke: list[Appearance]
    """As speaker, reporter or conveyor."""
    attended: list[Appearance]
    named: list[Appearance]
    """Documents naming the person with no role at the meeting."""


class DirectiveGiven(BaseModel):
    """A directive the person gave, with the document and meeting it was given at."""

    document_id: str
    title: str
    meeting: str | None
    day: Day | None
    directive: Directive


class Companion(BaseModel):
    """A person often at the same meetings."""

    name: str
    documents: int
    """Documents of the group naming both."""


class PersonGroup(BaseModel):
    """The documents taken to speak of one person (see :mod:`archive.person_groups`)."""

    orgs: list[str]
    """Empty: these documents do not say which organisation the person belongs to."""
    documents: list[str]
    posts: list[PostSpan]
    """The timeline: by first day, oldest first."""
    meetings: MeetingsByRole
    directives: list[DirectiveGiven]
    """Newest first."""
    companions: list[Companion]


class PersonPage(BaseModel):
    """A person's page: the groups of documents naming them (see
    :mod:`archive.person_groups`), with how many documents there are and were read."""

    name: str
    """As searched: simplified."""
    total: int
    """Documents in the archive naming the person."""
    read: int
    """Documents the page was built from."""
    groups: list[PersonGroup]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def capped(self) -> bool:
        """True when ``read < total``: only the newest :data:`MAX_DOCUMENTS` were read."""
        return self.read < self.total


def read_person_page(
    backend: SearchBackend, name: str, *, limit: int = MAX_DOCUMENTS
) -> PersonPage:
    """The page of ``name`` (either script) from the ``limit`` newest documents naming it;
    raises :class:`PersonNotFound` when no document does."""
    wanted = normalize_text(name).strip()
    if not wanted:  # an empty person filter would match every document
        raise PersonNotFound(name)
    found = every_found(backend, SearchQuery(person=wanted, facet_size=0), limit)
    if found.total == 0:
        raise PersonNotFound(name)
    return build_page(wanted, found.documents, total=found.total)


def build_page(name: str, documents: Sequence[Document], *, total: int | None = None) -> PersonPage:
    """The page of ``name`` from the documents naming it (those that do not are ignored);
    ``total`` is how many documents name it in all, when more exist than were given."""
    documents = [document for document in documents if persons_named(name, document)]
    total = len(documents) if total is None else total
    groups = [_group_page(name, group) for group in group_documents(name, documents)]
    return PersonPage(name=name, total=total, read=len(documents), groups=groups)


def _group_page(name: str, group: DocumentGroup) -> PersonGroup:
    documents = group.documents
    return PersonGroup(
        orgs=list(group.orgs),
        documents=[document.id for document in documents],
        posts=post_timeline(name, documents),
        meetings=meetings_by_role(name, documents),
        directives=directives_given(name, documents),
        companions=companions(name, documents),
    )


def document_day(document: Document) -> Day | None:
    """The day of a document: the meeting's first day when its year is known, else the
    document's date, else the meeting's month and day alone; None when it has no day."""
    meeting = document.meeting
    if meeting.start is not None:
        return _full_day(meeting.start, meeting.year_source)
    if document.date is not None:
        return _full_day(document.date, document.year_source)
    if meeting.start_day:
        return Day(month_day=meeting.start_day)
    return None


def _full_day(date: dt.date, source: YearSource | None) -> Day:
    return Day(date=date, month_day=date.strftime("--%m-%d"), year_source=source)


def day_order(day: Day | None) -> tuple[int, int]:
    """Oldest first: days with a year, then year-unknown days by month and day, then no
    day (a year-unknown day cannot be placed among the others)."""
    if day is None:
        return (2, 0)
    if day.date is None:
        return (1, int(day.month_day[2:4] + day.month_day[5:7]))
    return (0, day.date.toordinal())


T = TypeVar("T")


def newest_first(items: Iterable[T], day_of: Callable[[T], Day | None]) -> list[T]:
    """Days with a year newest first, then year-unknown days, then items without a day;
    items of one day keep their order."""

    def key(item: T) -> tuple[int, int]:
        rank, number = day_order(day_of(item))
        return (rank, -number)

    return sorted(items, key=key)


def post_timeline(name: str, documents: Sequence[Document]) -> list[PostSpan]:
    """Every post ``name`` held in these documents, by first day, oldest first."""
    seen: dict[tuple[str, str | None], list[Sighting]] = {}
    for document in documents:
        sighting = Sighting(document_id=document.id, day=document_day(document))
        posts = {(p.title, p.org) for x in persons_named(name, document) for p in x.held}
        for key in sorted(posts, key=str):
            seen.setdefault(key, []).append(sighting)
    spans = [_span(title, org, sightings) for (title, org), sightings in _merged(seen).items()]
    return sorted(spans, key=lambda span: (day_order(span.first), span.title))


def _merged(
    seen: dict[tuple[str, str | None], list[Sighting]],
) -> dict[tuple[str, str | None], list[Sighting]]:
    """A post seen without organisation joins the same title with one, when there is
    exactly one such (``总经理`` and ``总经理 · 青禾集团`` in one group are one post)."""
    merged = {key: list(sightings) for key, sightings in seen.items() if key[1] is not None}
    for (title, org), sightings in seen.items():
        if org is not None:
            continue
        owners = [key for key in merged if key[0] == title]
        target = owners[0] if len(owners) == 1 else (title, None)
        merged.setdefault(target, []).extend(sightings)
    return merged


def _span(title: str, org: str | None, sightings: list[Sighting]) -> PostSpan:
    sightings = sorted(sightings, key=lambda s: (day_order(s.day), s.document_id))
    days = [s.day for s in sightings if s.day is not None]
    bounded = [day for day in days if day.date is not None] or days
    return PostSpan(
        title=title,
        org=org,
        first=bounded[0] if bounded else None,
        last=bounded[-1] if bounded else None,
        seen=sightings,
    )


def meetings_by_role(name: str, documents: Sequence[Document]) -> MeetingsByRole:
    """The meetings ``name`` chaired, spoke at, attended, or was named at, newest first."""
    appearances = newest_first(
        (_appearance(name, document) for document in documents), lambda a: a.day
    )
    return MeetingsByRole(
        chaired=[a for a in appearances if "chair" in a.roles],
        spoke=[a for a in appearances if SPOKE & set(a.roles)],
        attended=[a for a in appearances if "attendee" in a.roles],
        named=[a for a in appearances if not a.roles],
    )


def _appearance(name: str, document: Document) -> Appearance:
    roles = {role for person in persons_named(name, document) for role in person.roles}
    return Appearance(
        document_id=document.id,
        title=document.title,
        meeting=document.meeting.name,
        day=document_day(document),
        roles=sorted(roles),
    )


def directives_given(name: str, documents: Sequence[Document]) -> list[DirectiveGiven]:
    """The directives ``name`` gave in these documents, newest first, in text order."""
    given = [
        DirectiveGiven(
            document_id=document.id,
            title=document.title,
            meeting=document.meeting.name,
            day=document_day(document),
            directive=directive,
        )
        for document in documents
        for directive in document.directives
        if directive.speaker == name
    ]
    return newest_first(given, lambda d: d.day)


def companions(name: str, documents: Sequence[Document]) -> list[Companion]:
    """The people named most often in the same documents, by documents, then by name."""
    counts = Counter(
        other for document in documents for other in {p.name for p in document.persons} - {name}
    )
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Companion(name=other, documents=n) for other, n in ranked[:COMPANIONS]]
