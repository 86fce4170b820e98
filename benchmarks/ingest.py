"""Ingest the People's Daily dev slice from ../shared/data into a fresh archive home.

Prints documents/s, MB/s and peak RSS, for the whole pipeline and per stage. With
``--zip N``, the articles arrive packed in ZIP archives of N each (the read stage then
opens them: what a container costs). Run:
    .venv/bin/python benchmarks/ingest.py [--limit N] [--batch 50] [--zip 100]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from archive import ingest
from archive.backends import open_backend
from archive.config import Settings

DOCS = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "peoples-daily-1998" / "docs"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--batch", type=int, default=50, help="files per batch")
    parser.add_argument("--zip", type=int, default=0, help="pack N articles per ZIP archive")
    args = parser.parse_args()
    if not DOCS.is_dir():
        print(f"skipped: evaluation data not found at {DOCS}")
        return 0
    paths = sorted(DOCS.glob("*.txt"))[: args.limit]
    total_bytes = sum(p.stat().st_size for p in paths)

    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home))
        articles = len(paths)
        if args.zip:
            paths = _packed(paths, args.zip, Path(home) / "packed")
            args.batch = max(1, args.batch // args.zip)
        backend = open_backend(settings)
        stage_seconds = {"read": 0.0, "normalize": 0.0, "enrich": 0.0, "store": 0.0}
        outcomes: dict[str, int] = {}
        started = time.perf_counter()
        for start in range(0, len(paths), args.batch):
            batch = paths[start : start + args.batch]
            arrivals = _timed(stage_seconds, "read", ingest.read_stage, batch)
            arrivals = _timed(stage_seconds, "normalize", ingest.normalize_stage, arrivals)
            arrivals = _timed(stage_seconds, "enrich", ingest.enrich_stage, arrivals)
            results = _timed(
                stage_seconds,
                "store",
                ingest.store_stage,
                arrivals,
                backend,
                settings,
                consume=False,
            )
            for result in results:
                outcomes[result.outcome.value] = outcomes.get(result.outcome.value, 0) + 1
        elapsed = time.perf_counter() - started
        database_mb = settings.database.stat().st_size / 1e6
        backend.close()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    packed = f" in {len(paths)} ZIP archives" if args.zip else ""
    print(f"documents        {articles}{packed} ({total_bytes / 1e6:.2f} MB) -> {outcomes}")
    print(f"elapsed          {elapsed:.1f} s")
    print(
        f"throughput       {articles / elapsed:.1f} documents/s, "
        f"{total_bytes / 1e6 / elapsed:.2f} MB/s"
    )
    for stage, seconds in stage_seconds.items():
        print(f"  {stage:<10}     {seconds:6.1f} s  ({articles / seconds:8.1f} documents/s)")
    print(f"database         {database_mb:.1f} MB")
    print(f"peak RSS         {peak_mb:.0f} MB")
    return 0


def _packed(paths: list[Path], size: int, folder: Path) -> list[Path]:
    folder.mkdir()
    archives = []
    for start in range(0, len(paths), size):
        archive = folder / f"{start // size:05d}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
            for path in paths[start : start + size]:
                out.write(path, f"{path.parent.name}/{path.name}")
        archives.append(archive)
    return archives


def _timed(totals, stage, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    totals[stage] += time.perf_counter() - started
    return result


if __name__ == "__main__":
    sys.exit(main())
