"""Substring recall of search: does a query find every document that contains it?

Samples Chinese strings from the People's Daily dev slice (gold person and organization
names, and 2-6 character words of the gold segmentation), searches each, and compares the
hits with a plain substring scan of the same documents' normalized text. Recall must be
100%: a document must never be missed because jieba segmented its context differently.
Precision is reported against the text scan; hits that match only through the title (or
through a phrase spanning punctuation) count against it. Run:
    .venv/bin/python benchmarks/recall.py [--strings 500] [--docs N]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from archive.backends import SearchBackend, open_backend
from archive.config import Settings
from archive.ingest import extract_stages
from archive.normalize import normalize_text
from archive.records import Document
from archive.reprocess import matching

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "peoples-daily-1998"
HAN_ONLY = re.compile(r"^[\u4e00-\u9fff]{2,}$")


@dataclass
class Recall:
    strings: int = 0
    expected: int = 0
    found_expected: int = 0
    hits: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)
    """(query, document id) of documents that contain the query but were not found."""

    @property
    def recall(self) -> float:
        return self.found_expected / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.found_expected / self.hits if self.hits else 1.0


def sample_strings(data: Path, ids: set[str], count: int, seed: int = 1998) -> list[str]:
    """``count`` distinct strings, a third each from gold persons, gold organizations and
    2-6 character words, taken only from the articles in ``ids``."""
    persons, orgs, words = set(), set(), set()
    with (data / "gold.jsonl").open(encoding="utf-8") as gold:
        for line in gold:
            article = json.loads(line)
            if article["id"] in ids:
                persons.update(p for p in article["persons"] if HAN_ONLY.match(p))
                orgs.update(o for o in article["orgs"] if HAN_ONLY.match(o))
    with (data / "tokens.jsonl").open(encoding="utf-8") as tokens:
        for line in tokens:
            article = json.loads(line)
            if article["id"] in ids:
                words.update(w for w, _ in article["tokens"] if HAN_ONLY.match(w) and len(w) <= 6)
    rng = random.Random(seed)
    picked: list[str] = []
    for pool in (persons, orgs, words):
        pool_list = sorted(pool)
        picked += rng.sample(pool_list, min(len(pool_list), count // 3 + 1))
    unique = sorted(set(picked))
    rng.shuffle(unique)
    return unique[:count]


def measure(backend: SearchBackend, documents: list[Document], strings: list[str]) -> Recall:
    """Search each string and compare with a substring scan of ``documents``' text."""
    outcome = Recall()
    for string in strings:
        term = normalize_text(string)
        expected = {d.id for d in documents if term in d.text}
        found = matching(backend, string)
        outcome.strings += 1
        outcome.expected += len(expected)
        outcome.found_expected += len(expected & found)
        outcome.hits += len(found)
        outcome.misses += [(string, doc_id) for doc_id in sorted(expected - found)]
    return outcome


def load(data: Path, backend: SearchBackend, limit: int | None) -> list[Document]:
    """Extract and index the slice's articles (or the first ``limit``)."""
    paths = sorted((data / "docs").glob("*.txt"))[:limit]
    documents = [a.document for a in extract_stages(paths) if a.document is not None]
    for document in documents:
        backend.index(document)
    return documents


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--strings", type=int, default=500)
    parser.add_argument("--docs", type=int, default=None, help="only the first N articles")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: evaluation data not found at {DATA}")
        return 0
    with tempfile.TemporaryDirectory() as home:
        backend = open_backend(Settings(home=Path(home)))
        documents = load(DATA, backend, args.docs)
        ids = {Path(d.source.filename).stem for d in documents}
        strings = sample_strings(DATA, ids, args.strings)
        outcome = measure(backend, documents, strings)
        backend.close()
    print(f"documents        {len(documents)}")
    print(f"strings          {outcome.strings} (gold persons, orgs, 2-6 character words)")
    print(f"expected matches {outcome.expected} (documents whose text contains the string)")
    print(f"recall           {outcome.recall:.4%}")
    print(f"precision        {outcome.precision:.4%} (against the text scan; {outcome.hits} hits)")
    for string, doc_id in outcome.misses[:20]:
        print(f"  missed {string!r} in {doc_id}")
    return 0 if outcome.recall == 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
