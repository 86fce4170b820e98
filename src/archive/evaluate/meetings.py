"""Meeting evaluation: the meeting facts extracted from meeting reports against hand gold.

The gold set is the meeting-pages layout (``../shared/data/meeting-pages/README.md``): one
``gold.jsonl`` object per page with ``meeting_date``/``meeting_end`` (``YYYY-MM-DD`` when
the text writes the year, ``--MM-DD`` when it does not, or null), ``meeting_name``,
``organizer``, ``persons`` [{``name``, ``titles``, ``roles``}], ``chair``, ``speakers``,
``directives`` [{``speaker``, ``items``, ``cue``}] and ``pinyin_annotations``.

Scoring, per page, then summed over pages (micro-average), as that README defines it:

- **persons**: the set of names; **speakers**: the set of names with the ``speaker``
  role (gold ``speakers``); precision, recall, F1.
- **titles**: the set of (name, title) pairs, strict, and **organizer-lenient**: a title
  that opens with the gold organizer's name, or a tail of it of two characters or more
  (``集团`` of ``青禾集团``), is compared without it on both sides (``集团党委书记`` at
  a 集团 meeting is ``党委书记``); a title the strip would leave empty is kept whole.
- **directives**: the multiset of (speaker, number of items); a speaker ``会议`` is the
  meeting itself, gold ``null``.
- **meeting day**: the month and day of the meeting's first day equal (null equals null;
  a full date equals a ``--MM-DD`` gold with its month and day); **with the year**: the
  full date equal, judged only on pages whose gold writes a year. **Meeting end** and
  **with the year** likewise; a one-day meeting recorded with end == start has no end.
- **meeting name, organizer, chair**: exact (null equals null). The extracted chair is
  the first person with the ``chair`` role.
- **pinyin left**: inline readings (``(fā)`` after a Han character) left in the text.

The facts of each side are read by :mod:`archive.evaluate.meeting_facts` (names and
titles compared after :func:`archive.normalize.normalize_text`). :func:`score` is the
pure core over (id, gold, document) triples;
:func:`evaluate_folder` runs the real extraction over a folder and scores it. The report
for people is :mod:`archive.evaluate.meeting_report`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.evaluate.gold import (
    BATCH_SIZE,
    Counts,
    EvaluationError,
    Extraction,
    extract_articles,
    ranked,
    ratio,
    read_gold,
)
from archive.evaluate.meeting_facts import MEETING, PageFacts, extracted_facts, gold_facts
from archive.records import Document

TOP = 20
"""How many misses, false alarms and worst pages the report keeps."""

GOALS: dict[str, float] = {
    "persons": 0.95,
    "titles_lenient": 0.90,
    "meeting_day": 0.90,
    "meeting_name": 0.85,
    "organizer": 0.85,
    "chair": 0.95,
    "speakers": 0.85,
    "directives": 0.85,
}
"""The quality the archive aims at on meeting reports (issue 12); shown beside each score."""

SET_FIELDS = ("persons", "titles", "titles_lenient", "speakers", "directives")
EXACT_FIELDS = (
    "meeting_day",
    "meeting_day_year",
    "meeting_end",
    "meeting_end_year",
    "meeting_name",
    "organizer",
    "chair",
)
FIELDS = (
    "persons", "titles", "titles_lenient", "meeting_day", "meeting_day_year", "meeting_end",
    "meeting_end_year", "meeting_name", "organizer", "chair", "speakers", "directives",
)  # fmt: skip
"""All fields, in the order the report shows them."""
TITLE_FIELDS = ("titles", "titles_lenient")
YEAR_FIELDS = ("meeting_day_year", "meeting_end_year")
"""The full-date views of the meeting days: judged only where the gold writes a year."""
WORST_OF = ("persons", "titles_lenient", "speakers", "directives")
"""The set fields whose misses and false alarms make a page bad (the strict titles
would count an organizer-prefix difference twice)."""


@dataclass(frozen=True)
class PageScore:
    """How one page scored: counts per set field, right or wrong per exact field."""

    id: str
    sets: dict[str, Counts]
    exact: dict[str, bool | None]
    """True/False per exact field; None where the field does not apply (no gold year)."""
    misses: dict[str, list[str]]
    false_alarms: dict[str, list[str]]
    got: dict[str, str | None]
    want: dict[str, str | None]
    pinyin_left: int
    pinyin_gold: int = 0
    """The inline readings the gold says the page holds."""

    @property
    def errors(self) -> int:
        """Wrong facts on the page: set misses and false alarms, wrong exact fields (a
        wrong year of a right day counts once, as the day)."""
        wrong = sum(1 for f, ok in self.exact.items() if ok is False and f not in YEAR_FIELDS)
        return wrong + sum(self.sets[f].fp + self.sets[f].fn for f in WORST_OF)

    def wrong(self) -> dict[str, tuple[str | None, str | None]]:
        """(extracted, gold) of the exact fields this page got wrong."""
        return {f: (self.got[f], self.want[f]) for f, ok in self.exact.items() if ok is False}


def _pair(pair: tuple[str, str]) -> str:
    return f"{pair[0]}:{pair[1]}"


def title_of(pair: str) -> str:
    """The title of a ``name:title`` pair as the report shows it."""
    return pair.partition(":")[2]


def _directive(key: tuple[str | None, int]) -> str:
    return f"{key[0] or MEETING}×{key[1]}"


def _exact_values(facts: PageFacts) -> dict[str, str | None]:
    return {
        "meeting_day": facts.meeting_day,
        "meeting_day_year": facts.meeting_date,
        "meeting_end": facts.meeting_end,
        "meeting_end_year": facts.meeting_end_date,
        "meeting_name": facts.meeting_name,
        "organizer": facts.organizer,
        "chair": facts.chair,
    }


def score_page(page_id: str, gold: PageFacts, found: PageFacts) -> PageScore:
    """Compare the extracted facts of one page with its gold."""
    organizer = gold.organizer
    sets_of = {
        "persons": (gold.persons, found.persons, str),
        "titles": (gold.titles, found.titles, _pair),
        "titles_lenient": (gold.lenient(organizer), found.lenient(organizer), _pair),
        "speakers": (gold.speakers, found.speakers, str),
    }
    sets: dict[str, Counts] = {}
    misses: dict[str, list[str]] = {}
    alarms: dict[str, list[str]] = {}
    for name, (want_set, got_set, show) in sets_of.items():
        sets[name] = Counts(
            len(want_set & got_set), len(got_set - want_set), len(want_set - got_set)
        )
        misses[name] = sorted(map(show, want_set - got_set))
        alarms[name] = sorted(map(show, got_set - want_set))
    # A multiset: two requirement passages by the same speaker with the same number of
    # items are two directives.
    missed, extra = gold.directives - found.directives, found.directives - gold.directives
    sets["directives"] = Counts(
        sum((gold.directives & found.directives).values()),
        sum(extra.values()),
        sum(missed.values()),
    )
    misses["directives"] = sorted(map(_directive, missed.elements()))
    alarms["directives"] = sorted(map(_directive, extra.elements()))
    want, got = _exact_values(gold), _exact_values(found)
    exact: dict[str, bool | None] = {f: want[f] == got[f] for f in EXACT_FIELDS}
    # The year is judged only where the gold writes one: elsewhere it would have to be
    # inferred, and the gold does not say what the right inference is.
    for year_field in YEAR_FIELDS:
        if want[year_field] is None:
            exact[year_field] = None
    return PageScore(
        page_id, sets, exact, misses, alarms, got, want, found.pinyin, pinyin_gold=gold.pinyin
    )


# --- a whole set --------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldScore:
    """One field over the pages: counts for set fields, right/total for exact fields."""

    name: str
    counts: Counts | None = None
    right: int = 0
    total: int = 0
    misses: tuple[tuple[str, int], ...] = ()
    false_alarms: tuple[tuple[str, int], ...] = ()
    missed_titles: tuple[tuple[str, int], ...] = ()
    """Title fields: the titles alone of the missed pairs (which kinds of posts are missed)."""
    false_titles: tuple[tuple[str, int], ...] = ()
    wrong: tuple[tuple[str, str | None, str | None], ...] = ()
    """(page id, extracted, gold) of the pages an exact field got wrong."""

    @property
    def value(self) -> float:
        """F1 for a set field, the share right for an exact one."""
        return self.counts.f1 if self.counts is not None else ratio(self.right, self.total)

    @property
    def goal(self) -> float | None:
        """The value the archive aims at for this field (:data:`GOALS`), if any."""
        return GOALS.get(self.name)

    @property
    def met(self) -> bool | None:
        """Whether the value reaches the goal; None without a goal."""
        return None if self.goal is None else self.value >= self.goal

    def as_dict(self) -> dict[str, Any]:
        """The field for ``--json``: value and goal, counts or right/total, rankings."""
        data: dict[str, Any] = {"value": round(self.value, 4), "goal": self.goal, "met": self.met}
        if self.counts is not None:
            data |= self.counts.as_dict()
            data["misses"] = _ranking(self.misses)
            data["false_alarms"] = _ranking(self.false_alarms)
            if self.name in TITLE_FIELDS:
                data["missed_titles"] = _ranking(self.missed_titles)
                data["false_titles"] = _ranking(self.false_titles)
        else:
            data |= {"right": self.right, "total": self.total}
            data["wrong"] = [{"id": i, "extracted": g, "gold": w} for i, g, w in self.wrong]
        return data


def _ranking(entries: Iterable[tuple[str, int]]) -> list[dict[str, Any]]:
    return [{"text": text, "count": count} for text, count in entries]


@dataclass(frozen=True)
class MeetingEvaluation:
    """The scores of a set of pages: per field, the worst pages, pinyin left."""

    pages: tuple[PageScore, ...]
    fields: dict[str, FieldScore] = field(default_factory=dict)
    pinyin_left: int = 0
    """Inline readings left in the extracted texts."""
    pinyin_gold: int = 0
    """Inline readings the gold says the pages held."""

    def of(self, name: str) -> FieldScore:
        """The score of the field ``name`` (persons, meeting_day ...)."""
        return self.fields[name]

    def worst(self, top: int = TOP) -> list[PageScore]:
        """The pages with the most wrong facts, most first (ties by id)."""
        bad = [p for p in self.pages if p.errors]
        return sorted(bad, key=lambda p: (-p.errors, p.id))[:top]

    def as_dict(self, top: int = TOP) -> dict[str, Any]:
        """The evaluation for ``--json``, with the ``top`` worst pages."""
        return {
            "pages": len(self.pages),
            "fields": {name: f.as_dict() for name, f in self.fields.items()},
            "pinyin_left": self.pinyin_left,
            "pinyin_gold": self.pinyin_gold,
            "pages_with_pinyin_left": sorted(p.id for p in self.pages if p.pinyin_left),
            "worst_pages": [_worst_dict(p) for p in self.worst(top)],
        }


def _worst_dict(page: PageScore) -> dict[str, Any]:
    return {
        "id": page.id,
        "errors": page.errors,
        "wrong": {f: {"extracted": got, "gold": want} for f, (got, want) in page.wrong().items()},
        "misses": {f: page.misses[f] for f in WORST_OF if page.misses[f]},
        "false_alarms": {f: page.false_alarms[f] for f in WORST_OF if page.false_alarms[f]},
    }


def _set_field(name: str, pages: Iterable[PageScore], top: int) -> FieldScore:
    pages = list(pages)
    counts = sum((p.sets[name] for p in pages), Counts())
    misses = Counter(m for p in pages for m in p.misses[name])
    alarms = Counter(m for p in pages for m in p.false_alarms[name])
    titles: dict[str, Any] = {}
    if name in TITLE_FIELDS:
        titles["missed_titles"] = ranked(Counter(map(title_of, misses.elements())), top)
        titles["false_titles"] = ranked(Counter(map(title_of, alarms.elements())), top)
    return FieldScore(
        name, counts, misses=ranked(misses, top), false_alarms=ranked(alarms, top), **titles
    )


def _exact_field(name: str, pages: Iterable[PageScore], top: int) -> FieldScore:
    judged = [p for p in pages if p.exact[name] is not None]
    wrong = [(p.id, p.got[name], p.want[name]) for p in judged if not p.exact[name]]
    return FieldScore(
        name, right=len(judged) - len(wrong), total=len(judged), wrong=tuple(wrong[:top])
    )


def score(
    pairs: Iterable[tuple[str, Mapping[str, Any], Document]], top: int = TOP
) -> MeetingEvaluation:
    """Score extracted documents against their gold pages: (id, gold object, document)."""
    pages = tuple(score_page(i, gold_facts(g), extracted_facts(d)) for i, g, d in pairs)
    fields = {name: _set_field(name, pages, top) for name in SET_FIELDS}
    fields |= {name: _exact_field(name, pages, top) for name in EXACT_FIELDS}
    return MeetingEvaluation(
        pages,
        {name: fields[name] for name in FIELDS},
        pinyin_left=sum(p.pinyin_left for p in pages),
        pinyin_gold=sum(p.pinyin_gold for p in pages),
    )


# --- running a folder ---------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRun:
    """An evaluation of a meeting gold set folder."""

    gold: Path
    evaluation: MeetingEvaluation
    selected: int
    """Gold pages selected (after ``limit``)."""
    extraction: Extraction

    def as_dict(self) -> dict[str, Any]:
        """The run for ``--json``."""
        return {
            "gold": str(self.gold),
            "selected": self.selected,
            "scored": len(self.evaluation.pages),
            **self.extraction.as_dict(),
            **self.evaluation.as_dict(),
        }


def check_gold(folder: Path, entries: Iterable[Mapping[str, Any]]) -> None:
    """Raise :class:`EvaluationError` for the first entry that is not a meeting page
    (``persons`` not a list of objects, ``items`` not a number ...): before the
    extraction runs, and in one sentence rather than a traceback."""
    for entry in entries:
        try:
            gold_facts(entry)
        except (AttributeError, TypeError, ValueError) as error:
            raise EvaluationError(
                f"{folder / 'gold.jsonl'}, page {entry['id']}: not a meeting page ({error})"
            ) from error


def evaluate_folder(
    folder: Path, *, limit: int | None = None, batch_size: int = BATCH_SIZE, top: int = TOP
) -> MeetingRun:
    """Extract and score the pages of a meeting gold set folder (the first ``limit``).

    Raises :class:`~archive.evaluate.gold.EvaluationError` when the folder has no
    gold.jsonl, a line of it is not a page, no page is selected, or no selected page has
    its text file; a single missing or unreadable file is only reported."""
    entries = read_gold(folder)
    entries = entries if limit is None else entries[:limit]
    check_gold(folder, entries)
    extraction = extract_articles(folder, [e["id"] for e in entries], batch_size)
    triples = [
        (e["id"], e, extraction.documents[e["id"]])
        for e in entries
        if e["id"] in extraction.documents
    ]
    return MeetingRun(folder, score(triples, top), len(entries), extraction)
