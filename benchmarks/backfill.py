"""Backfill throughput: the People's Daily dev slice (../shared/data) into fresh archives,
three ways, each on a fresh ARCHIVE_HOME:

1. ``loop``: the pipeline's stages called directly in a loop, one process (no Prefect);
2. ``pool``: ``archive backfill`` without Prefect (a plain process pool, one worker per
   core): the same chunks, the same workers, no bookkeeping;
3. ``prefect``: ``archive backfill`` with a Prefect server (started here, temporary):
   one flow run, one task run per chunk, in Prefect's process pool.

Prints documents/s for each (timed inside the command, from its first chunk handed out to
its last stored, so process start-up is left out; the command's wall time is printed too)
and two ratios: ``prefect / pool`` is Prefect's overhead (goal >= 0.9), ``pool / loop``
what the second core brings. Run:
    .venv/bin/python benchmarks/backfill.py [--limit N] [--copies K] [--chunk-size N]
        [--no-loop]

``--copies K`` backfills K variants of each article (each with a line of its own, so a
new document): Prefect's fixed costs (its worker processes import Prefect, ~4 s) weigh
less on a larger folder, as they would on a real backfill.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archive.backends import open_backend
from archive.backfill import CHUNK_SIZE
from archive.config import Settings
from archive.inbox import files_in
from archive.ingest import ingest, warm_up
from archive.monitoring import SupervisedServer

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "peoples-daily-1998" / "docs"
SUMMARY = re.compile(r"(\d+) files in ([\d.]+) s")


def loop(files: list[Path], home: Path, chunk_size: int) -> float:
    """Documents/s of the stages called in a loop, in this process."""
    warm_up()
    settings = Settings(home=home)
    backend = open_backend(settings)
    started = time.perf_counter()
    for start in range(0, len(files), chunk_size):
        ingest(files[start : start + chunk_size], backend, settings, consume=False)
    seconds = time.perf_counter() - started
    backend.close()
    return len(files) / seconds


def command(
    folder: Path, home: Path, chunk_size: int | None, prefect_url: str | None
) -> tuple[float, float]:
    """Documents/s as ``archive backfill`` reports it, and the command's wall time."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARCHIVE_", "PREFECT_API"))}
    env |= {"ARCHIVE_HOME": str(home), "ARCHIVE_PREFECT_SERVER": "off"}
    if prefect_url:
        env["PREFECT_API_URL"] = prefect_url
    archive = Path(sys.executable).with_name("archive")
    started = time.perf_counter()
    done = subprocess.run(
        [str(archive), "backfill", str(folder)]
        + (["--chunk-size", str(chunk_size)] if chunk_size else []),
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    found = SUMMARY.search(done.stdout)
    if found is None:
        raise RuntimeError(f"archive backfill failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    return int(found[1]) / float(found[2]), wall


def prefect_server(home: Path) -> SupervisedServer:
    """The Prefect server `archive run` would start, on a temporary home and free port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = SupervisedServer(Settings(home=home, prefect_port=port)).start()
    if not server.wait_ready(120):
        server.stop()
        raise RuntimeError(f"the Prefect server did not start; see {home}/prefect-server.log")
    return server


def _encoding(path: Path) -> str:
    """The encoding to append a line to an article in (the corpus files are GB18030 or
    UTF-8): decoding tells."""
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument(
        "--copies", type=int, default=1, help="K variants of each article (K x the documents)"
    )
    parser.add_argument("--chunk-size", type=int, default=None)
    parser.add_argument(
        "--no-loop", action="store_true", help="skip the one-process loop (long at 100k)"
    )
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: evaluation data not found at {DATA}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = DATA
        files = list(files_in(DATA))
        if args.limit or args.copies > 1:
            folder = work / "slice"
            folder.mkdir()
            for path in files[: args.limit]:
                shutil.copy(path, folder / path.name)
                for copy in range(1, args.copies):
                    variant = path.read_bytes() + f"\n（副本{copy}）\n".encode(_encoding(path))
                    (folder / f"{path.stem}-{copy}{path.suffix}").write_bytes(variant)
            files = list(files_in(folder))
        size = args.chunk_size or "the default"
        print(f"articles         {len(files)}, chunks of {size}, cores {os.cpu_count()}")
        batch = args.chunk_size or CHUNK_SIZE
        looped = None if args.no_loop else loop(files, work / "loop", batch)
        if looped is not None:
            print(f"loop             {looped:7.1f} documents/s (one process, no Prefect)")
        pooled, pooled_wall = command(folder, work / "pool", args.chunk_size, None)
        print(f"pool             {pooled:7.1f} documents/s (command wall {pooled_wall:.1f} s)")
        server = prefect_server(work / "prefect")
        try:
            flowed, flowed_wall = command(folder, work / "flow", args.chunk_size, server.url)
        finally:
            server.stop()
        print(f"prefect          {flowed:7.1f} documents/s (command wall {flowed_wall:.1f} s)")
        print(f"prefect / pool   {flowed / pooled:7.2f}   (Prefect's overhead; goal >= 0.9)")
        if looped is not None:
            print(f"pool / loop      {pooled / looped:7.2f}   (what the other cores bring)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
