"""``archive backfill DIR``: a large folder into the archive, in chunks, on every core.

The folder's files are cut into chunks of up to a thousand, and worker processes, one per
core, each take a chunk through the whole pipeline (read, normalize, enrich, store) with
their own connection to the archive. Storing is part of the workers' job because a third
of its time is segmenting text for the index: a single storing process was the bottleneck
(measured: 57 documents/s with two extracting workers feeding it, against 9 s of its time
spent waiting). Writes are short transactions; SQLite serializes them. A worker extracts
and stores its chunk a hundred files at a time, and a few chunks are in flight at a time,
so memory stays flat however large the folder.

Chunks, not files, are the unit Prefect sees: a task run costs about 56 ms here, which
for 10,000 per-file task runs would be some 28 minutes of bookkeeping, and for 10 chunks
well under a second. Chunks of 200 still cost a sixth of the throughput with Prefect on
(100,600 files: 211.8 files/s against 252.8 without); chunks of 1,000 cost about 1 %
(20,120 files: 280.6 against 284.6). The same loop runs with Prefect's process pool
(``flows/backfill.py``) or, without a Prefect server, with a plain one (:func:`backfill`).

The folder is left as it is: the archive keeps a copy of every file (``consume=False``).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from archive import ingest
from archive.config import Settings
from archive.ingest import IngestResult, Outcome

CHUNK_SIZE = 1000
"""Files per chunk by default: big enough that Prefect's cost per task run is noise
(~1 %). A smaller folder is cut finer, so that every worker gets work
(:func:`chunk_size_for`)."""
STORE_EVERY = 100
"""Files a worker extracts before storing them: what it holds in memory at a time."""

T = TypeVar("T", covariant=True)


class Pending(Protocol[T]):
    """A result to come: a ``concurrent.futures.Future`` or a ``PrefectFuture``."""

    def result(self) -> T: ...


Submit = Callable[[list[Path]], Pending[list[IngestResult]]]
"""Hands one chunk to a worker and returns at once."""


@dataclass
class Summary:
    """What a backfill did: a count per outcome, and the files not stored, with why."""

    files: int
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[IngestResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def done(self) -> int:
        return sum(self.outcomes.values())

    @property
    def documents_per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def add(self, results: Sequence[IngestResult]) -> None:
        for result in results:
            self.outcomes[result.outcome.value] += 1
            if result.outcome not in (Outcome.STORED, Outcome.DUPLICATE):
                self.failures.append(result)

    def line(self) -> str:
        """``10000 files in 52.1 s (191.9/s): stored 9950, duplicate 20, quarantined 30``."""
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items())) or "nothing"
        return (
            f"{self.done} files in {self.seconds:.1f} s "
            f"({self.documents_per_second:.1f}/s): {counts}"
        )


def chunk_size_for(files: int, in_flight: int, largest: int = CHUNK_SIZE) -> int:
    """Files per chunk for a folder of ``files``: ``largest``, or less when that would
    leave fewer than two chunks per chunk in flight (a backfill of 1,200 files in chunks
    of 1,000 would keep one worker busy and the other idle after 200)."""
    return max(1, min(largest, -(-files // (2 * in_flight))))


def chunks(paths: Sequence[Path], size: int = CHUNK_SIZE) -> Iterator[list[Path]]:
    """``paths`` in consecutive chunks of at most ``size``."""
    if size < 1:
        raise ValueError("a chunk holds at least one file")
    for start in range(0, len(paths), size):
        yield list(paths[start : start + size])


def workers_default() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def ingest_chunk(paths: list[Path], settings: Settings) -> list[IngestResult]:
    """One chunk through the whole pipeline, in a worker, with its own backend (which
    leaves the search index to the parent: :func:`backfill`)."""
    from archive.backends import open_backend

    backend = open_backend(settings, writes_index=False)
    try:
        return [
            result
            for part in chunks(paths, STORE_EVERY)
            for result in ingest.ingest(part, backend, settings, consume=False)
        ]
    finally:
        backend.close()


def run_chunks(
    paths: Sequence[Path],
    *,
    submit: Submit,
    chunk_size: int | None = None,
    ahead: int = 4,
) -> Summary:
    """Hand chunks of ``paths`` to workers with ``submit``, ``ahead`` at a time, and add
    up their outcomes in order. Chunks hold ``chunk_size`` files, or, by default, as many
    as :func:`chunk_size_for` says."""
    summary = Summary(files=len(paths))
    started = time.perf_counter()
    size = chunk_size_for(len(paths), ahead) if chunk_size is None else chunk_size
    todo = chunks(paths, size)
    in_flight: deque[Pending[list[IngestResult]]] = deque(submit(c) for c in _take(todo, ahead))
    while in_flight:
        results = in_flight.popleft().result()
        in_flight.extend(submit(c) for c in _take(todo, 1))
        summary.add(results)
    summary.seconds = time.perf_counter() - started
    return summary


def _take(iterator: Iterator[list[Path]], count: int) -> list[list[Path]]:
    return [chunk for _, chunk in zip(range(count), iterator, strict=False)]


def backfill(
    paths: Sequence[Path],
    settings: Settings,
    *,
    workers: int | None = None,
    chunk_size: int | None = None,
) -> Summary:
    """Backfill without Prefect, with a plain process pool."""
    workers = workers or workers_default()
    # Workers start fresh ("spawn"), as in Prefect's pool: a forked copy of a process
    # holding a SQLite connection is asking for trouble.
    context = multiprocessing.get_context("spawn")
    with (
        indexing(settings),
        ProcessPoolExecutor(workers, mp_context=context, initializer=ingest.warm_up) as pool,
    ):
        return run_chunks(
            paths,
            submit=lambda chunk: pool.submit(ingest_chunk, chunk, settings),
            chunk_size=chunk_size,
            ahead=2 * workers,
        )


INDEX_EVERY_SECONDS = 5.0
"""How often the indexing process takes what the workers stored: every half second (the
service's pace) made a tantivy commit of some 90 records each time, and merging those
small segments cost the parent three times the CPU and seven times the disk writes
(measured on 10,060 files: 17.9 s and 894 MB against 6.6 s and 134 MB)."""


SEARCHABLE_WAIT_SECONDS = 30.0
"""How long the end of a backfill waits for another process's writer (the service's) to
index the last records the workers stored."""


@contextmanager
def indexing(settings: Settings) -> Iterator[None]:
    """The backend open in the process that hands out the chunks, for as long as they
    run: with the tantivy engine, it indexes what the workers store (its catch-up), so
    that no worker waits on the index's commits. At the end, what is left is indexed, by
    this process, or by the running service that holds the index's writer (waited for,
    up to :data:`SEARCHABLE_WAIT_SECONDS`): the backfill ends with the records it stored
    searchable, unless that writer is stuck (they are then indexed by the next process
    that opens the archive) or the index refused one (``archive status``)."""
    from archive.backends import open_backend
    from archive.backends.tantivy import TantivyBackend

    backend = open_backend(settings, catch_up_seconds=INDEX_EVERY_SECONDS)
    try:
        yield
        if isinstance(backend, TantivyBackend):
            # Past the wait, what is left is indexed by the next process that opens it.
            backend.wait_until_indexed(SEARCHABLE_WAIT_SECONDS)
    finally:
        backend.close()
