"""Measurements on People's Daily 1998 (read from ../shared/data at run time, never copied):
enrich throughput, and the precision of extracted persons against the corpus's gold
persons on the articles flagged as meetings. Run with ``-s`` to see the numbers."""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from archive.enrich import enrich
from archive.enrich.text import Segmented
from archive.records import Document, NormalizedDocument, RawDocument
from tests.enrich.helpers import shared_data

MIN_PERSON_PRECISION = 0.9


def _document(text: str, filename: str) -> NormalizedDocument:
    data = text.encode("utf-8")
    raw = RawDocument(filename, hashlib.sha256(data).hexdigest(), len(data), "utf-8", "text", text)
    return NormalizedDocument(raw, text, text, None, None, 0)


@pytest.fixture(scope="module")
def corpus() -> tuple[dict[str, dict], dict[str, Document], float, int]:
    root = shared_data("peoples-daily-1998")
    gold = {}
    with (root / "gold.jsonl").open(encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            gold[entry["id"]] = entry
    docs = [
        _document(path.read_text(encoding="utf-8"), path.name)
        for path in sorted((root / "docs").glob("*.txt"))
    ]
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
