"""Search latency over a fixed list of queries with facets, on the People's Daily slice.

Ingests the slice into a fresh home (or reuses --home), then runs each query --repeat
times and prints p50/p95 per query form and overall. Run:
    .venv/bin/python benchmarks/search.py [--home DIR] [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from archive import ingest
from archive.backends import SearchQuery, open_backend
from archive.config import Settings

DOCS = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "peoples-daily-1998" / "docs"
)

# Query forms a user types: common words, rare words, phrases, several terms,
# traditional script, single characters, empty (browse facets), filters.
QUERIES: list[tuple[str, dict]] = [
    ("common word", {"q": "发展"}),
    ("common word, traditional", {"q": "發展"}),
    ("meeting word", {"q": "会议"}),
    ("rarer word", {"q": "座谈会"}),
    ("phrase", {"q": "改革开放"}),
    ("long phrase", {"q": "建设有中国特色社会主义"}),
    ("two terms", {"q": "经济 改革"}),
    ("three terms", {"q": "国务院 会议 部署"}),
    ("single character", {"q": "党"}),
    ("latin (full-width in text)", {"q": "VCD"}),
    ("no match", {"q": "区块链"}),
    ("empty (browse)", {"q": ""}),
    ("empty + year", {"q": "", "year": 1998}),
    ("word + org filter", {"q": "会议", "org": "国务院"}),
    ("deep page", {"q": "发展", "offset": 100}),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, help="an existing archive home to search")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if args.home is None and not DOCS.is_dir():
        print(f"skipped: evaluation data not found at {DOCS}")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(home=args.home or Path(scratch))
        backend = open_backend(settings)
        if args.home is None:
            print(f"ingesting {DOCS} ...", flush=True)
            paths = sorted(DOCS.glob("*.txt"))
            for start in range(0, len(paths), 100):
                ingest.ingest(paths[start : start + 100], backend, settings, consume=False)
        print(f"{backend.count()} documents; {args.repeat} runs per query\n")
        every: list[float] = []
        print(f"{'query':<28}{'hits':>7}{'p50 ms':>9}{'p95 ms':>9}")
        for label, params in QUERIES:
            query = SearchQuery(**params)
            timings = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                result = backend.search(query)
                timings.append((time.perf_counter() - started) * 1000)
            every.extend(timings)
            print(f"{label:<28}{result.total:>7}{_pct(timings, 50):>9.1f}{_pct(timings, 95):>9.1f}")
        print(f"\n{'all queries':<28}{'':>7}{_pct(every, 50):>9.1f}{_pct(every, 95):>9.1f}")
        backend.close()
    return 0


def _pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


if __name__ == "__main__":
    sys.exit(main())
