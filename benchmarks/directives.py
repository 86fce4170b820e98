"""Directive extraction on the People's Daily dev slice: how many, how fast, and a sample
to check by hand.

Runs read → normalize → enrich over the articles flagged as meetings and prints how many
directives and items come out, by cue and by kind of speaker, and the extraction speed.
With ``--sample N`` it also writes N directives, picked with ``random.seed(SEED)``, as JSON
to ``--out`` (outside the repository by default: the sample quotes the articles, which
must not be copied into the project) for the review kept in
``benchmarks/directives_sample.md``. Run:
    .venv/bin/python benchmarks/directives.py [--sample 30] [--seed 7] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

from archive.enrich.directives import MEETING
from archive.ingest import extract_stages

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "peoples-daily-1998"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("/tmp/directives_sample.json"))
    args = parser.parse_args()
    if not (DATA / "gold.jsonl").exists():
        print(f"skipped: no evaluation data at {DATA}")
        return 0
    with (DATA / "gold.jsonl").open(encoding="utf-8") as f:
        ids = [entry["id"] for entry in map(json.loads, f) if entry["meeting"]]
    paths = [DATA / "docs" / f"{i}.txt" for i in ids]
    extract_stages(paths[:1])  # jieba and the rules load outside the timing
    start = time.perf_counter()
    arrivals = extract_stages(paths)
    seconds = time.perf_counter() - start
    found = [
        (Path(a.document.source.filename).stem, n, d)
        for a in arrivals
        if a.document is not None
        for n, d in enumerate(a.document.directives)
    ]
    with_any = len({doc for doc, _, _ in found})
    items = sum(len(d.items) for _, _, d in found)
    print(f"meeting articles: {len(paths)}, with directives: {with_any}")
    print(f"directives: {len(found)}, with items: {sum(bool(d.items) for *_, d in found)}")
    print(f"items: {items}")
    print(f"extraction: {len(paths) / seconds:.1f} articles/s ({seconds:.1f}s)")
    kinds = Counter("meeting" if d.speaker == MEETING else "person" for *_, d in found)
    print(f"speakers: {dict(kinds)}; distinct persons: {len({d.speaker for *_, d in found})}")
    print(f"cues: {dict(Counter(d.cue for *_, d in found).most_common())}")
    print(f"topics: {dict(Counter(t for *_, d in found for t in d.topics).most_common(10))}")
    if args.sample:
        random.seed(args.seed)
        picked = random.sample(found, min(args.sample, len(found)))
        sample = [
            {"id": doc, "index": n, "speaker": d.speaker, "cue": d.cue, "text": d.text,
             "items": d.items}
            for doc, n, d in picked
        ]  # fmt: skip
        args.out.write_text(json.dumps(sample, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"sample of {len(sample)} written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
