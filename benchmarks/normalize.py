"""Normalize throughput on the People's Daily dev slice from ../shared/data, as written
(simplified) and as a web converter would leave it (traditional with inline pinyin, made
with the tests' generator, tests/normalize/annotate.py).

Prints MB/s (UTF-8 bytes of input) and characters/s of normalize() and of align() over
each document's original_text, the first pass (caches cold) and the best of the
following ones; the annotated variant's round-trip score; and, when normalize() stays
under the 5 MB/s goal, where the time goes. Run:
    .venv/bin/python benchmarks/normalize.py [--limit N] [--repeat 3]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO.parent / "shared" / "data" / "peoples-daily-1998" / "docs"
GOAL_MB_S = 5.0

T = TypeVar("T")
R = TypeVar("R")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes after the first")
    args = parser.parse_args()
    if not DOCS.is_dir():
        print(f"skipped: evaluation data not found at {DOCS}")
        return 0
    sys.path.insert(0, str(REPO))  # the generator lives with the tests
    from tests.normalize.annotate import Score, annotate, seeded

    from archive.normalize import align, clean_text, normalize, normalize_text
    from archive.read import read_file
    from archive.records import RawDocument

    paths = sorted(DOCS.glob("*.txt"))[: args.limit]
    plain = [read_file(path) for path in paths]
    started = time.perf_counter()
    variants = [annotate(path.read_text(encoding="utf-8"), seeded(path.name)) for path in paths]
    print(
        f"annotated variant: {sum(v.readings for v in variants):,} readings inserted"
        f" in {time.perf_counter() - started:.1f} s"
    )
    annotated = [
        RawDocument(raw.filename, raw.sha256, raw.size, raw.encoding, raw.format, variant.text)
        for raw, variant in zip(plain, variants, strict=True)
    ]

    for label, raws in (("dev slice", plain), ("annotated", annotated)):
        texts = [raw.text for raw in raws]
        print(
            f"\n{label}: {len(raws)} documents, {_megabytes(texts):.2f} MB, "
            f"{sum(map(len, texts)):,} characters"
        )
        cold, best, docs = _timed(normalize, raws, args.repeat)
        _print("normalize()", texts, cold, best)
        originals = [doc.original_text for doc in docs]
        cold, best, _ = _timed(align, originals, args.repeat)
        _print("align(original_text)", originals, cold, best)
        if _megabytes(texts) / best < GOAL_MB_S:
            print(f"  under {GOAL_MB_S} MB/s; top costs of normalize():")
            print(_profile(normalize, raws))

    score = Score()
    for raw, variant in zip(plain, variants, strict=True):
        score.add(clean_text(raw.text), normalize_text(variant.text))
    print(f"\nannotated variant normalized back, against the simplified text:\n{score.report()}")
    return 0


def _timed(
    function: Callable[[T], R], items: Sequence[T], repeat: int
) -> tuple[float, float, list[R]]:
    """Seconds of the first pass, of the best later pass, and the results."""
    started = time.perf_counter()
    results = [function(item) for item in items]
    cold = time.perf_counter() - started
    best = cold
    for _ in range(repeat):
        started = time.perf_counter()
        for item in items:
            function(item)
        best = min(best, time.perf_counter() - started)
    return cold, best, results


def _print(name: str, texts: Sequence[str], cold: float, best: float) -> None:
    megabytes, chars = _megabytes(texts), sum(map(len, texts))
    print(
        f"  {name:<22} {megabytes / best:6.2f} MB/s  {chars / best / 1e6:5.2f} M chars/s"
        f"   (first pass {megabytes / cold:.2f} MB/s)"
    )


def _profile(function: Callable[[T], object], items: Sequence[T], top: int = 8) -> str:
    profile = cProfile.Profile()
    profile.enable()
    for item in items:
        function(item)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(top)
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    return "\n".join("    " + line for line in lines[start : start + top + 1])


def _megabytes(texts: Sequence[str]) -> float:
    return sum(len(text.encode("utf-8")) for text in texts) / 1e6


if __name__ == "__main__":
    sys.exit(main())
