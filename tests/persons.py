"""Records built by hand for the person page's tests: invented people and organisations in
the style of meeting news, with only the fields the page reads."""

from __future__ import annotations

import datetime as dt
import hashlib

from archive.records import Directive, Document, Meeting, Person, Post, Role, Source, YearSource


def person(
    name: str,
    *posts: tuple[str, str | None],
    roles: tuple[Role, ...] = (),
    org: str | None = None,
) -> Person:
    """A person with posts given as (title, org or None)."""
    return Person(
        name=name,
        titles=[title for title, _ in posts],
        roles=list(roles),
        org=org,
        posts=[Post(title=title, org=post_org) for title, post_org in posts],
    )


def report(
    key: str,
    *persons: Person,
    date: str | None = None,
    year_source: YearSource | None = "written",
    start_day: str | None = None,
    meeting: str | None = "工作会议",
    organizer: str | None = None,
    orgs: tuple[str, ...] = (),
    directives: tuple[Directive, ...] = (),
) -> Document:
    """A report whose id is derived from ``key``; ``date`` is the meeting's first day (and
    the document's date); ``start_day`` alone makes a meeting whose year is unknown."""
    sha = hashlib.sha256(key.encode()).hexdigest()
    day = dt.date.fromisoformat(date) if date else None
    return Document(
        id=sha[:16],
        title=f"{organizer or ''}召开{meeting or '会议'}（{key}）",
        text=key,
        original_text=key,
        date=day,
        year=day.year if day else None,
        year_source=year_source if day else None,
        source=Source(filename=f"{key}.txt", sha256=sha, bytes=1, encoding="utf-8", format="text"),
        persons=list(persons),
        orgs=list(orgs),
        meeting=Meeting(
            name=meeting,
            organizer=organizer,
            start=day,
            end=day,
            start_day=day.strftime("--%m-%d") if day else start_day,
            end_day=day.strftime("--%m-%d") if day else start_day,
            year_source=year_source if day else None,
        ),
        directives=list(directives),
        extractor_version="test",
    )


def directive(speaker: str, text: str, cue: str = "强调") -> Directive:
    return Directive(speaker=speaker, cue=cue, text=text)
