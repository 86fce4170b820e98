"""Entity evaluation: the extracted persons, places and organizations against a gold set.

A gold set is a folder holding ``gold.jsonl`` (one object per article: ``id``, ``meeting``,
``persons``, ``places``, ``orgs``, ...) and the articles as ``docs/<id>.txt`` or as
``<id>.txt`` beside ``gold.jsonl`` (the People's Daily 1998 layout). Each article runs
through the real extraction (:func:`archive.ingest.extract_stages`, nothing stored) and
is scored per type:

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
- A match is an exact string match of the same type: ``江泽民`` predicted as PER matches the
  gold PER ``江泽民``; ``江`` or ``江泽民同志`` do not, nor does ``北京`` predicted as ORG
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
a gold set, runs the extraction in batches of 100 and times it (documents/s after a
one-document warm-up, which pays the per-process start-up of jieba and the rule lists).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from archive.errors import ArchiveError
from archive.normalize import normalize_text
from archive.records import Document

LABELS = ("PER", "LOC", "ORG")
GOLD_FIELDS = {"PER": "persons", "LOC": "places", "ORG": "orgs"}
TOP = 20
"""How many misses and false alarms to keep per type."""
BATCH_SIZE = 100
"""Files per extraction batch: bounds memory on large gold sets."""


class EvaluationError(ArchiveError):
    """A gold set that cannot be evaluated (no gold.jsonl, no documents, a bad line)."""


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


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class TypeScore:
    """Micro-averaged counts of one type (or of all, ``overall``) and its worst strings."""

    label: str
    tp: int
    fp: int
    fn: int
    misses: tuple[tuple[str, int], ...] = ()
    """The most frequent gold strings not extracted, with the number of documents."""
    false_alarms: tuple[tuple[str, int], ...] = ()
    """The most frequent extracted strings not in the gold, with the number of documents."""

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self, *, ranked: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }
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
        return {
            "documents": self.documents,
            "types": {s.label: s.as_dict() for s in self.types},
            "overall": self.overall.as_dict(ranked=False),
        }


def _ranked(counter: Counter[str], top: int) -> tuple[tuple[str, int], ...]:
    # Ties by string, so the report is the same on every run.
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:top])


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
            label,
            tp[label],
            sum(alarms[label].values()),
            sum(misses[label].values()),
            _ranked(misses[label], top),
            _ranked(alarms[label], top),
        )
        for label in LABELS
    )
    overall = TypeScore(
        "overall",
        sum(s.tp for s in types),
        sum(s.fp for s in types),
        sum(s.fn for s in types),
    )
    return Evaluation(documents, types, overall)


# --- loading and running a gold set -------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """An article that could not be scored, and why (one sentence)."""

    id: str
    reason: str


@dataclass(frozen=True)
class Run:
    """An evaluation of a gold set folder, with what could not be read and the speed."""

    gold: Path
    evaluation: Evaluation
    selected: int
    """Gold articles selected (after ``only_meetings`` and ``limit``)."""
    extracted: int
    """Files handed to the extraction (selected articles whose file exists)."""
    seconds: float
    """Wall time of the extraction stages (read, normalize, enrich) over the documents."""
    warmup_seconds: float = 0.0
    """The one-document run before timing, which pays the per-process start-up."""
    failures: tuple[Failure, ...] = ()

    @property
    def documents_per_second(self) -> float:
        return _ratio(self.extracted, self.seconds)

    def as_dict(self) -> dict[str, Any]:
        return {
            "gold": str(self.gold),
            "selected": self.selected,
            "scored": self.evaluation.documents,
            "unreadable": [{"id": f.id, "reason": f.reason} for f in self.failures],
            "extraction": {
                "documents": self.extracted,
                "seconds": round(self.seconds, 3),
                "documents_per_second": round(self.documents_per_second, 1),
                "warmup_seconds": round(self.warmup_seconds, 3),
            },
            **self.evaluation.as_dict(),
        }


def load_gold(folder: Path) -> list[GoldArticle]:
    """The articles of ``folder/gold.jsonl``, in file order."""
    path = folder / "gold.jsonl"
    if not path.is_file():
        raise EvaluationError(f"{folder} has no gold.jsonl (expected {path})")
    articles = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                articles.append(GoldArticle.from_json(json.loads(line)))
            except (ValueError, KeyError, TypeError) as error:
                raise EvaluationError(
                    f"{path}, line {number}: not a gold article ({error})"
                ) from error
    return articles


def select(
    articles: Sequence[GoldArticle], *, only_meetings: bool = False, limit: int | None = None
) -> list[GoldArticle]:
    """The meeting articles if asked, then the first ``limit`` of them."""
    chosen = [a for a in articles if a.meeting] if only_meetings else list(articles)
    return chosen if limit is None else chosen[:limit]


def document_path(folder: Path, article_id: str) -> Path | None:
    """Where the text of an article is: ``docs/<id>.txt``, else ``<id>.txt``; None if absent."""
    for path in (folder / "docs" / f"{article_id}.txt", folder / f"{article_id}.txt"):
        if path.is_file():
            return path
    return None


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
    # Imported here: the scoring core should not pay for the whole pipeline's imports.
    from archive.ingest import extract_stages

    articles = select(load_gold(folder), only_meetings=only_meetings, limit=limit)
    if not articles:
        raise EvaluationError(f"{folder / 'gold.jsonl'} selects no article to evaluate")
    failures: list[Failure] = []
    located: list[tuple[GoldArticle, Path]] = []
    for article in articles:
        path = document_path(folder, article.id)
        if path is None:
            failures.append(Failure(article.id, "no text file (docs/<id>.txt or <id>.txt)"))
        else:
            located.append((article, path))
    if not located:
        raise EvaluationError(
            f"{folder} holds none of the {len(articles)} documents of its gold.jsonl "
            "(expected docs/<id>.txt or <id>.txt)"
        )
    # One document untimed first: loading jieba and the rule lists takes seconds once per
    # process, and would otherwise hide the stage's steady speed on small gold sets.
    began = time.perf_counter()
    extract_stages([located[0][1]])
    warmup = time.perf_counter() - began
    pairs: list[tuple[GoldArticle, Document]] = []
    seconds = 0.0
    for start in range(0, len(located), batch_size):
        batch = located[start : start + batch_size]
        began = time.perf_counter()
        arrivals = extract_stages([path for _, path in batch])
        seconds += time.perf_counter() - began
        for (article, _), arrival in zip(batch, arrivals, strict=True):
            if arrival.error is not None or arrival.document is None:
                reason = arrival.error.reason if arrival.error else "no document produced"
                failures.append(Failure(article.id, reason))
            else:
                pairs.append((article, arrival.document))
    evaluation = score(pairs, top)
    return Run(folder, evaluation, len(articles), len(located), seconds, warmup, tuple(failures))


# --- the report for people ----------------------------------------------------------------


def _percent(value: float) -> str:
    return f"{100 * value:.1f}"


def summary_table(run: Run) -> Table:
    """TP/FP/FN and P/R/F1 (in %) per type and overall."""
    table = Table(title="Entities: exact match of distinct strings per document, micro-averaged")
    for name in ("type", "TP", "FP", "FN", "P %", "R %", "F1 %"):
        table.add_column(name, justify="left" if name == "type" else "right")
    for s in (*run.evaluation.types, run.evaluation.overall):
        counts = (str(s.tp), str(s.fp), str(s.fn))
        table.add_row(s.label, *counts, _percent(s.precision), _percent(s.recall), _percent(s.f1))
    return table


def errors_table(s: TypeScore) -> Table:
    """The ranked misses and false alarms of one type, side by side."""
    table = Table(title=f"{s.label}: most frequent misses and false alarms (documents)")
    for name in ("#", "missed (FN)", "n", "false alarm (FP)", "n"):
        table.add_column(name, justify="right" if name in ("#", "n") else "left")
    for rank in range(max(len(s.misses), len(s.false_alarms))):
        miss = s.misses[rank] if rank < len(s.misses) else ("", "")
        alarm = s.false_alarms[rank] if rank < len(s.false_alarms) else ("", "")
        table.add_row(str(rank + 1), escape(miss[0]), str(miss[1]), escape(alarm[0]), str(alarm[1]))
    return table


def report_lines(run: Run) -> list[str]:
    """The plain lines around the tables: what was scored, what failed, the speed."""
    lines = [
        f"{run.evaluation.documents} of {run.selected} gold articles scored from {run.gold}",
        f"extraction: {run.extracted} documents in {run.seconds:.1f}s, "
        f"{run.documents_per_second:.1f} documents/s (after a {run.warmup_seconds:.1f}s warm-up)",
    ]
    if run.failures:
        lines.append(f"unreadable: {len(run.failures)} (left out of the scores)")
        lines.extend(f"  {f.id}: {f.reason}" for f in run.failures[:TOP])
        if len(run.failures) > TOP:
            lines.append(f"  ... and {len(run.failures) - TOP} more (--json lists all)")
    return lines
