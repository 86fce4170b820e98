"""What every evaluation shares: a gold set folder, its articles run through the real
extraction, and precision/recall counts.

A gold set is a folder holding ``gold.jsonl`` (one object per article, with an ``id``) and
the articles as ``docs/<id>.txt`` or as ``<id>.txt`` beside ``gold.jsonl``. Each article
runs through the real read → normalize → enrich stages (:func:`archive.ingest.extract_stages`,
nothing stored) in batches, timed after a one-document warm-up that pays the per-process
start-up of jieba and the rule lists.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from archive.errors import ArchiveError
from archive.records import Document

BATCH_SIZE = 100
"""Files per extraction batch: bounds memory on large gold sets."""


class EvaluationError(ArchiveError):
    """A gold set that cannot be evaluated (no gold.jsonl, no documents, a bad line)."""


def ratio(part: float, whole: float) -> float:
    """``part / whole``, 0.0 when ``whole`` is 0."""
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class Counts:
    """Micro-averaged true positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """TP / (TP + FP)."""
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """TP / (TP + FN)."""
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, Any]:
        """The counts and the ratios (rounded to four places), for JSON."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def ranked(counter: Counter[str], top: int) -> tuple[tuple[str, int], ...]:
    """The ``top`` most frequent entries; ties by string, so reports are the same on
    every run."""
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:top])


@dataclass(frozen=True)
class Failure:
    """An article that could not be scored, and why (one sentence)."""

    id: str
    reason: str


def read_gold(folder: Path) -> list[dict[str, Any]]:
    """The objects of ``folder/gold.jsonl``, in file order; each has an ``id``."""
    path = folder / "gold.jsonl"
    if not path.is_file():
        raise EvaluationError(f"{folder} has no gold.jsonl (expected {path})")
    entries = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                entry["id"] = str(entry["id"])
            except (ValueError, KeyError, TypeError) as error:
                raise EvaluationError(
                    f"{path}, line {number}: not a gold article ({error})"
                ) from error
            entries.append(entry)
    return entries


def document_path(folder: Path, article_id: str) -> Path | None:
    """Where the text of an article is: ``docs/<id>.txt``, else ``<id>.txt``; None if absent."""
    for path in (folder / "docs" / f"{article_id}.txt", folder / f"{article_id}.txt"):
        if path.is_file():
            return path
    return None


@dataclass(frozen=True)
class Extraction:
    """The documents extracted from a gold set's articles, with what failed and the time."""

    documents: dict[str, Document]
    """By article id, in gold order."""
    located: int
    """Articles whose text file exists (handed to the extraction)."""
    seconds: float
    """Wall time of the extraction stages over the located articles."""
    warmup_seconds: float
    failures: tuple[Failure, ...]

    @property
    def documents_per_second(self) -> float:
        """Documents extracted per second, after the warm-up."""
        return ratio(self.located, self.seconds)

    def as_dict(self) -> dict[str, Any]:
        """What could not be read and the extraction's speed, as every run reports them."""
        return {
            "unreadable": [{"id": f.id, "reason": f.reason} for f in self.failures],
            "extraction": {
                "documents": self.located,
                "seconds": round(self.seconds, 3),
                "documents_per_second": round(self.documents_per_second, 1),
                "warmup_seconds": round(self.warmup_seconds, 3),
            },
        }

    def speed_line(self) -> str:
        """The extraction's speed, in one line for people."""
        return (
            f"extraction: {self.located} documents in {self.seconds:.1f}s, "
            f"{self.documents_per_second:.1f} documents/s "
            f"(after a {self.warmup_seconds:.1f}s warm-up)"
        )


def extract_articles(folder: Path, ids: Sequence[str], batch_size: int = BATCH_SIZE) -> Extraction:
    """Run the extraction over the articles ``ids`` of the gold set ``folder``.

    Raises :class:`EvaluationError` when there is no id or no article has its text file;
    a single missing or unreadable file is only reported."""
    # Imported here: the scoring cores should not pay for the whole pipeline's imports.
    from archive.ingest import extract_stages

    if not ids:
        raise EvaluationError(f"{folder / 'gold.jsonl'} selects no article to evaluate")
    failures: list[Failure] = []
    located: list[tuple[str, Path]] = []
    for article_id in ids:
        path = document_path(folder, article_id)
        if path is None:
            failures.append(Failure(article_id, "no text file (docs/<id>.txt or <id>.txt)"))
        else:
            located.append((article_id, path))
    if not located:
        raise EvaluationError(
            f"{folder} holds none of the {len(ids)} documents of its gold.jsonl "
            "(expected docs/<id>.txt or <id>.txt)"
        )
    # One document untimed first: loading jieba and the rule lists takes seconds once per
    # process, and would otherwise hide the stage's steady speed on small gold sets.
    began = time.perf_counter()
    extract_stages([located[0][1]])
    warmup = time.perf_counter() - began
    documents: dict[str, Document] = {}
    seconds = 0.0
    for start in range(0, len(located), batch_size):
        batch = located[start : start + batch_size]
        began = time.perf_counter()
        arrivals = extract_stages([path for _, path in batch])
        seconds += time.perf_counter() - began
        for (article_id, _), arrival in zip(batch, arrivals, strict=True):
            if arrival.error is not None or arrival.document is None:
                reason = arrival.error.reason if arrival.error else "no document produced"
                failures.append(Failure(article_id, reason))
            else:
                documents[article_id] = arrival.document
    return Extraction(documents, len(located), seconds, warmup, tuple(failures))


def failure_lines(failures: Sequence[Failure], top: int) -> list[str]:
    """The lines that report unreadable articles, the first ``top`` of them by name."""
    if not failures:
        return []
    lines = [f"unreadable: {len(failures)} (left out of the scores)"]
    lines.extend(f"  {f.id}: {f.reason}" for f in failures[:top])
    if len(failures) > top:
        lines.append(f"  ... and {len(failures) - top} more (--json lists all)")
    return lines


def percent(value: float) -> str:
    """A ratio as a percentage with one decimal: ``95.6``."""
    return f"{100 * value:.1f}"


def ranking_table(
    title: str, misses: Sequence[tuple[str, int]], alarms: Sequence[tuple[str, int]]
) -> Table:
    """The ranked misses and false alarms of a field, side by side."""
    table = Table(title=title)
    for name in ("#", "missed (FN)", "n", "false alarm (FP)", "n"):
        table.add_column(name, justify="right" if name in ("#", "n") else "left")
    for rank in range(max(len(misses), len(alarms))):
        miss = misses[rank] if rank < len(misses) else ("", "")
        alarm = alarms[rank] if rank < len(alarms) else ("", "")
        table.add_row(str(rank + 1), escape(miss[0]), str(miss[1]), escape(alarm[0]), str(alarm[1]))
    return table
