"""Entity evaluation: the extracted persons, places and organizations against a gold set.

A gold set (:mod:`archive.evaluate.gold`) whose ``gold.jsonl`` objects hold ``id``,
``meeting``, ``persons``, ``places``, ``orgs``, ... (the People's Daily 1998 layout). Each
article runs through the real extraction (nothing stored) and is scored per type:

======  ===============================  ==================
type    extracted                        gold
======  ===============================  ==================
PER     ``document.persons[].name``      ``persons``
LOC     ``document.places``              ``places``
ORG     ``document.orgs``                ``orgs``
======  ===============================  ==================

Scoring, precisely:

- Both sides go through :func:`archive.normalize.normalize_text` (the extraction works on
  simplified text with half-width digits and Latin letters, while the gold keeps the
  corpus forms, ``１９９８``, ``ＷＴＯ``); strings empty after it are dropped.
- Per document and type, each side is the set of its *distinct* normalized strings (the
  gold lists are already deduplicated per article; a name extracted twice counts once).
- A match is an exact string match of the same type: ``常昭明`` predicted as PER matches the
  gold PER ``常昭明``; ``江`` or ``常昭明同志`` do not, nor does ``北京`` predicted as ORG
  against a gold LOC ``北京`` (an FP in ORG and an FN in LOC). No partial credit.
- TP = strings on both sides, FP = extracted only, FN = gold only. Gold keeps every
  annotated name, so surname-only references (``江`` in ``江主席``) and given-name-only
  bylines are gold PER strings that an extractor of full names misses.
- TP, FP and FN are summed over documents (micro-average), per type and over the three
  types ("overall"); P = TP/(TP+FP), R = TP/(TP+FN), F1 = 2PR/(P+R), each 0.0 when its
  denominator is 0.
- Misses (FN) and false alarms (FP) are ranked by the number of documents they occur in,
  then by string; the strings shown are the normalized ones.
- An article whose file is missing or cannot be read is reported and left out of the
  scores (its gold entities count neither as found nor as missed).

:func:`score` is the pure core over (gold, document) pairs; :func:`evaluate_folder` loads
a gold set, runs the extraction and scores it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.table import Table

from archive.evaluate.gold import (
    BATCH_SIZE,
    Counts,
    EvaluationError,
    Extraction,
    extract_articles,
    failure_lines,
    percent,
    ranked,
    ranking_table,
    read_gold,
)
from archive.normalize import normalize_text
from archive.records import Document

__all__ = [
    "EvaluationError",
    "Evaluation",
    "GoldArticle",
    "Run",
    "TypeScore",
    "errors_table",
    "evaluate_folder",
    "load_gold",
    "report_lines",
    "score",
    "select",
    "summary_table",
]

LABELS = ("PER", "LOC", "ORG")
TOP = 20
"""How many misses and false alarms to keep per type."""


@dataclass(frozen=True)
class GoldArticle:
    """One article of a gold set: its id and the entity strings annotated in it."""

    id: str
    persons: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    meeting: bool = False

    @classmethod
    def from_json(cls, entry: Mapping[str, Any]) -> GoldArticle:
        """An article from one ``gold.jsonl`` object (other fields are ignored)."""
        return cls(
            id=str(entry["id"]),
            persons=tuple(entry.get("persons", ())),
            places=tuple(entry.get("places", ())),
            orgs=tuple(entry.get("orgs", ())),
            meeting=bool(entry.get("meeting", False)),
        )


def _distinct(strings: Iterable[str]) -> frozenset[str]:
    # A set after normalizing: variants that normalize alike are one string on either side.
    return frozenset(s for s in (normalize_text(raw) for raw in strings) if s)


def gold_entities(article: GoldArticle) -> dict[str, frozenset[str]]:
    """The distinct normalized gold strings of each type."""
    return {
        "PER": _distinct(article.persons),
        "LOC": _distinct(article.places),
        "ORG": _distinct(article.orgs),
    }


def extracted_entities(document: Document) -> dict[str, frozenset[str]]:
    """The distinct normalized extracted strings of each type."""
    return {
        "PER": _distinct(p.name for p in document.persons),
        "LOC": _distinct(document.places),
        "ORG": _distinct(document.orgs),
    }


@dataclass(frozen=True)
class TypeScore(Counts):
    """Micro-averaged counts of one type (or of all, ``overall``) and its worst strings."""

    label: str = ""
    misses: tuple[tuple[str, int], ...] = ()
    """The most frequent gold strings not extracted, with the number of documents."""
    false_alarms: tuple[tuple[str, int], ...] = ()
    """The most frequent extracted strings not in the gold, with the number of documents."""

    def as_dict(self, *, ranked: bool = True) -> dict[str, Any]:
        """The counts, with the ranked misses and false alarms unless ``ranked`` is off."""
        data = super().as_dict()
        if ranked:
            data["misses"] = [{"text": s, "count": n} for s, n in self.misses]
            data["false_alarms"] = [{"text": s, "count": n} for s, n in self.false_alarms]
        return data


@dataclass(frozen=True)
class Evaluation:
    """The scores of a set of documents: one :class:`TypeScore` per label, and overall."""

    documents: int
    types: tuple[TypeScore, ...]
    overall: TypeScore

    def of(self, label: str) -> TypeScore:
        """The score of ``label`` (PER, LOC or ORG)."""
        return next(s for s in self.types if s.label == label)

    def as_dict(self) -> dict[str, Any]:
        """Every type's score, and the overall counts."""
        return {
            "documents": self.documents,
            "types": {s.label: s.as_dict() for s in self.types},
            "overall": self.overall.as_dict(ranked=False),
        }


def score(pairs: Iterable[tuple[GoldArticle, Document]], top: int = TOP) -> Evaluation:
    """Score extracted documents against their gold articles (see the module docstring)."""
    tp = dict.fromkeys(LABELS, 0)
    misses = {label: Counter[str]() for label in LABELS}
    alarms = {label: Counter[str]() for label in LABELS}
    documents = 0
    for article, document in pairs:
        documents += 1
        gold, found = gold_entities(article), extracted_entities(document)
        for label in LABELS:
            tp[label] += len(gold[label] & found[label])
            misses[label].update(gold[label] - found[label])
            alarms[label].update(found[label] - gold[label])
    types = tuple(
        TypeScore(
            tp[label],
            sum(alarms[label].values()),
            sum(misses[label].values()),
            label,
            ranked(misses[label], top),
            ranked(alarms[label], top),
        )
        for label in LABELS
    )
    total = sum(types, Counts())
    overall = TypeScore(total.tp, total.fp, total.fn, "overall")
    return Evaluation(documents, types, overall)


# --- loading and running a gold set -------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """An evaluation of a gold set folder, with what could not be read and the speed."""

    gold: Path
    evaluation: Evaluation
    selected: int
    """Gold articles selected (after ``only_meetings`` and ``limit``)."""
    extraction: Extraction

    def as_dict(self) -> dict[str, Any]:
        """The run for ``--json``."""
        return {
            "gold": str(self.gold),
            "selected": self.selected,
            "scored": self.evaluation.documents,
            **self.extraction.as_dict(),
            **self.evaluation.as_dict(),
        }


def load_gold(folder: Path) -> list[GoldArticle]:
    """The articles of ``folder/gold.jsonl``, in file order."""
    return [GoldArticle.from_json(entry) for entry in read_gold(folder)]


def select(
    articles: Sequence[GoldArticle], *, only_meetings: bool = False, limit: int | None = None
) -> list[GoldArticle]:
    """The meeting articles if asked, then the first ``limit`` of them."""
    chosen = [a for a in articles if a.meeting] if only_meetings else list(articles)
    return chosen if limit is None else chosen[:limit]


def evaluate_folder(
    folder: Path,
    *,
    only_meetings: bool = False,
    limit: int | None = None,
    batch_size: int = BATCH_SIZE,
    top: int = TOP,
) -> Run:
    """Extract and score the selected articles of a gold set folder.

    Raises :class:`EvaluationError` when the folder has no gold.jsonl, no article is
    selected, or no selected article has its text file; a single missing or unreadable
    file is only reported."""
    articles = select(load_gold(folder), only_meetings=only_meetings, limit=limit)
    extraction = extract_articles(folder, [a.id for a in articles], batch_size)
    pairs = [(a, extraction.documents[a.id]) for a in articles if a.id in extraction.documents]
    return Run(folder, score(pairs, top), len(articles), extraction)


# --- the report for people ----------------------------------------------------------------


def summary_table(run: Run) -> Table:
    """TP/FP/FN and P/R/F1 (in %) per type and overall."""
    table = Table(title="Entities: exact match of distinct strings per document, micro-averaged")
    for name in ("type", "TP", "FP", "FN", "P %", "R %", "F1 %"):
        table.add_column(name, justify="left" if name == "type" else "right")
    for s in (*run.evaluation.types, run.evaluation.overall):
        counts = (str(s.tp), str(s.fp), str(s.fn))
        table.add_row(s.label, *counts, percent(s.precision), percent(s.recall), percent(s.f1))
    return table


def errors_table(s: TypeScore) -> Table:
    """The ranked misses and false alarms of one type, side by side."""
    title = f"{s.label}: most frequent misses and false alarms (documents)"
    return ranking_table(title, s.misses, s.false_alarms)


def report_lines(run: Run) -> list[str]:
    """The plain lines around the tables: what was scored, what failed, the speed."""
    return [
        f"{run.evaluation.documents} of {run.selected} gold articles scored from {run.gold}",
        run.extraction.speed_line(),
        *failure_lines(run.extraction.failures, TOP),
    ]
