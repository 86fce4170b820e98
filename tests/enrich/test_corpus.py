"""Measurements on People's Daily 1998 (read from ../shared/data at run time, never copied):
enrich throughput, the precision of extracted persons against the corpus's gold persons on
the articles flagged as meetings, and the precision and recall of organisations and places
(distinct strings per article, micro-averaged). Run with ``-s`` to see the numbers.

Measured at 0.4.0: PER precision 0.898 recall 0.811 (meeting articles); ORG P 0.590 R 0.618;
LOC P 0.847 R 0.831 F1 0.839. The floors below sit a few points under, to catch regressions.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from archive.enrich import enrich
from archive.enrich.text import Segmented
from archive.normalize import normalize, normalize_text
from archive.read import read_file
from archive.records import Document
from tests.enrich.helpers import shared_data

MIN_PERSON_PRECISION = 0.87
MIN_PERSON_RECALL = 0.78
MIN_ORG = (0.56, 0.58)
"""Floors of organisation precision and recall."""
MIN_LOC = (0.82, 0.80)
"""Floors of place precision and recall."""


@pytest.fixture(scope="module")
def corpus() -> tuple[dict[str, dict], dict[str, Document], float, int]:
    root = shared_data("peoples-daily-1998")
    gold = {}
    with (root / "gold.jsonl").open(encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            gold[entry["id"]] = entry
    docs = [normalize(read_file(path)) for path in sorted((root / "docs").glob("*.txt"))]
    Segmented("预热")  # load jieba and the rules outside the timing
    enrich(docs[0])
    start = time.perf_counter()
    records = {doc.raw.filename.removesuffix(".txt"): enrich(doc) for doc in docs}
    elapsed = time.perf_counter() - start
    return gold, records, elapsed, sum(len(doc.text) for doc in docs)


def test_throughput(corpus: tuple) -> None:
    _, records, elapsed, chars = corpus
    print(
        f"\nenrich: {len(records)} docs, {chars} chars in {elapsed:.2f}s: "
        f"{len(records) / elapsed:.0f} docs/s, {chars / elapsed:,.0f} chars/s"
    )
    assert len(records) > 1000


def test_person_precision_on_meeting_articles(corpus: tuple) -> None:
    gold, records, _, _ = corpus
    found = right = gold_total = 0
    for doc_id, entry in gold.items():
        if not entry["meeting"]:
            continue
        names = [p.name for p in records[doc_id].persons]
        found += len(names)
        right += sum(name in entry["persons"] for name in names)
        gold_total += len(entry["persons"])
    precision, recall = right / found, right / gold_total
    print(
        f"\nPER on meeting articles: precision {right}/{found} = {precision:.3f}, "
        f"recall {right}/{gold_total} = {recall:.3f}"
    )
    assert precision >= MIN_PERSON_PRECISION
    assert recall >= MIN_PERSON_RECALL


def _micro(
    gold: dict[str, dict], records: dict[str, Document], key: str, got: Callable[[Document], list]
) -> tuple[float, float, int, int, int]:
    """Micro-averaged precision and recall of distinct normalized strings per article."""
    right = found = total = 0
    for doc_id, entry in gold.items():
        mine = {normalize_text(x) for x in got(records[doc_id])}
        theirs = {normalize_text(x) for x in entry[key]}
        right, found, total = right + len(mine & theirs), found + len(mine), total + len(theirs)
    return right / found, right / total, right, found, total


def _report(label: str, p: float, r: float, right: int, found: int, total: int) -> None:
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"\n{label}: P {right}/{found} = {p:.3f}, R {right}/{total} = {r:.3f}, F1 {f1:.3f}")


def test_org_precision_and_recall(corpus: tuple) -> None:
    gold, records, _, _ = corpus
    p, r, *counts = _micro(gold, records, "orgs", lambda d: d.orgs)
    _report("ORG", p, r, *counts)
    assert p >= MIN_ORG[0] and r >= MIN_ORG[1]


def test_place_precision_and_recall(corpus: tuple) -> None:
    gold, records, _, _ = corpus
    p, r, *counts = _micro(gold, records, "places", lambda d: d.places)
    _report("LOC", p, r, *counts)
    assert p >= MIN_LOC[0] and r >= MIN_LOC[1]
