"""The ingestion pipeline over a batch of files: read → normalize → enrich → store.

Each stage is a function over a list of :class:`Arrival` (one per file), so the Prefect
flow can run one task per stage per batch, and ``archive ingest`` without a Prefect server
runs the very same functions in a row (:func:`ingest`). A file that fails a stage carries
its :class:`~archive.errors.IngestError` on to the store stage, which quarantines it; the
other files of the batch go on.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from archive import ledger
from archive.backends.base import SearchBackend
from archive.budget import time_budget
from archive.config import Settings
from archive.enrich import EXTRACTOR_VERSION, enrich
from archive.errors import ArchiveError, IngestError, Interrupted, TookTooLong
from archive.normalize import normalize
from archive.originals import keep_original, quarantine, report_path
from archive.read import read_file
from archive.records import Document, NormalizedDocument, RawDocument

if TYPE_CHECKING:  # the workers run this module's stages
    from archive.workers import ExtractionWorkers

log = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    STORED = "stored"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"
    SKIPPED = "skipped"
    """Changed or vanished while being processed: nothing stored, the file left alone."""


Signature = tuple[int, int]
"""A file's size and modification time (ns): if either moved, the file was rewritten."""


@dataclass(frozen=True)
class Arrival:
    """One file on its way through the pipeline: what each stage made of it so far, or
    the error that stopped it and the stage that raised it."""

    path: Path
    signature: Signature | None = None
    """The file's size and mtime when it was read, to notice a writer that was not done."""
    raw: RawDocument | None = None
    normalized: NormalizedDocument | None = None
    document: Document | None = None
    error: IngestError | None = None
    failed_stage: str | None = None


@dataclass(frozen=True)
class IngestResult:
    """What became of one file."""

    path: Path
    outcome: Outcome
    doc_id: str | None = None
    title: str | None = None
    reason: str | None = None
    kept_at: Path | None = None
    """The file's copy in the archive: under ``originals/``, or in ``quarantine/``."""

    def event(self, at: dt.datetime) -> ledger.Event:
        """This outcome as a line of the ingest ledger."""
        return ledger.Event(at, self.outcome.value, self.path.name, self.doc_id, self.reason)

    def line(self) -> str:
        """One line for a person: ``stored  会议.txt  3f2a…  title``."""
        if self.reason is not None:
            return f"{self.outcome.value:<11} {self.path}: {self.reason}"
        return f"{self.outcome.value:<11} {self.path}  {self.doc_id}  {self.title}"


T = TypeVar("T")


def _guarded(stage: str, arrival: Arrival, step: Callable[[], T]) -> T | IngestError:
    """Run one file's step; bad input comes back as the error, and so does a bug, so that
    one file can never stop the batch (the bug's file is quarantined with its traceback
    summary, to be retried after a fix)."""
    try:
        return step()
    except IngestError as error:
        return error
    except Exception as exc:  # noqa: BLE001 - any bug must quarantine, not lose, the file
        log.exception("%s: unexpected error in %s", arrival.path, stage)
        error = IngestError(arrival.path, f"the archive failed in its {stage} stage ({exc!r})")
        error.__cause__ = exc
        return error


def _advance(
    arrivals: Sequence[Arrival], stage: str, step: Callable[[Arrival], dict[str, object]]
) -> list[Arrival]:
    out = []
    for arrival in arrivals:
        if arrival.error is not None:
            out.append(arrival)
            continue
        result = _guarded(stage, arrival, lambda a=arrival: step(a))
        if isinstance(result, IngestError):
            out.append(replace(arrival, error=result, failed_stage=stage))
        else:
            out.append(replace(arrival, **result))
    return out


def signature(path: Path) -> Signature | None:
    """Size and mtime of ``path``; None when it is gone."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)


def read_stage(paths: Iterable[Path], *, max_bytes: int | None = None) -> list[Arrival]:
    """Read and decode each file; one over ``max_bytes`` is refused unread."""
    arrivals = [Arrival(path=Path(p), signature=signature(Path(p))) for p in paths]
    return _advance(arrivals, "read", lambda a: {"raw": read_file(a.path, max_bytes)})


def normalize_stage(arrivals: Sequence[Arrival]) -> list[Arrival]:
    """Normalize the script and clean the text of each read file."""
    return _advance(arrivals, "normalize", lambda a: {"normalized": normalize(a.raw)})


def enrich_stage(arrivals: Sequence[Arrival]) -> list[Arrival]:
    """Extract title, date, meeting, people and the rest into the record."""
    return _advance(arrivals, "enrich", lambda a: {"document": enrich(a.normalized)})


STORE_RETRY_DELAYS = (1.0, 5.0, 15.0)
"""Seconds to wait before each new attempt at storing a file the backend refused for a
transient reason (busy, unreachable); after the last, the error propagates."""


def store_stage(
    arrivals: Sequence[Arrival],
    backend: SearchBackend,
    settings: Settings,
    *,
    consume: bool,
    now: dt.datetime | None = None,
    retry_delays: Sequence[float] = STORE_RETRY_DELAYS,
) -> list[IngestResult]:
    """Keep each original and index its document, or quarantine the file.

    With ``consume`` the file leaves where it was (the inbox); without, it stays and the
    archive keeps a copy. A transient backend error is retried for that one file (the
    files before it are done and are not visited again); if it persists, it propagates and
    the files not yet stored stay where they are, to be taken again."""
    now = now or dt.datetime.now(dt.UTC)
    results = []
    for arrival in arrivals:
        result = _with_retries(
            lambda a=arrival: _store_one(a, backend, settings, consume, now),
            arrival.path,
            retry_delays,
        )
        ledger.append(settings.ledger, result.event(dt.datetime.now(dt.UTC)))
        results.append(result)
    return results


def _with_retries(
    attempt: Callable[[], IngestResult], path: Path, delays: Sequence[float]
) -> IngestResult:
    for delay in delays:
        try:
            return attempt()
        except ArchiveError as error:
            if not error.transient:
                raise
            log.warning("%s: %s; trying again in %g s", path, error, delay)
            time.sleep(delay)
    return attempt()


def _store_one(
    arrival: Arrival, backend: SearchBackend, settings: Settings, consume: bool, now: dt.datetime
) -> IngestResult:
    current = signature(arrival.path)
    if current is None or current != arrival.signature:
        # A writer was still at work (or the file was removed): what was read may be half a
        # file. Store nothing; the inbox takes the file again once it has settled.
        why = "it disappeared" if current is None else "it changed while it was being read"
        log.warning("skipped %s: %s", arrival.path, why)
        return IngestResult(arrival.path, Outcome.SKIPPED, reason=f"{why}; nothing was stored")
    if isinstance(arrival.error, Interrupted):
        log.info("left %s in place: %s", arrival.path, arrival.error.reason)
        return IngestResult(arrival.path, Outcome.SKIPPED, reason=arrival.error.reason)
    if arrival.error is not None or arrival.document is None:
        return _quarantine_one(arrival, settings, consume, now)
    document = arrival.document
    kept = keep_original(settings.originals, arrival.path, document.source.sha256)
    stored = document.model_copy(
        update={"source": document.source.model_copy(update={"ingested_at": now})}
    )
    outcome = Outcome.STORED if backend.index(stored) else Outcome.DUPLICATE
    if consume:
        arrival.path.unlink(missing_ok=True)
    log.info("%s %s as %s", outcome.value, arrival.path, document.id)
    return IngestResult(arrival.path, outcome, document.id, document.title, kept_at=kept)


def _quarantine_one(
    arrival: Arrival, settings: Settings, consume: bool, now: dt.datetime
) -> IngestResult:
    error = arrival.error or IngestError(arrival.path, "the file produced no document")
    kept = quarantine(
        settings.quarantine,
        arrival.path,
        error,
        stage=arrival.failed_stage or "store",
        extractor_version=EXTRACTOR_VERSION,
        move=consume,
        now=now,
    )
    log.warning("quarantined %s: %s", arrival.path, error.reason)
    return IngestResult(arrival.path, Outcome.QUARANTINED, reason=error.reason, kept_at=kept)


def retry_quarantined(
    paths: Sequence[Path], backend: SearchBackend, settings: Settings
) -> list[IngestResult]:
    """Put quarantined files through the whole pipeline again. A file that now makes a
    document is stored and leaves the quarantine with its report; one that fails again
    stays there with a new report."""
    results = ingest(paths, backend, settings, consume=True)
    for result in results:
        if result.outcome in (Outcome.STORED, Outcome.DUPLICATE):
            report_path(result.path).unlink(missing_ok=True)
    return results


def warm_up() -> None:
    """Load jieba, its tagging model and the rule lists now, so the first file a service
    or a backfill worker takes is not 2-3 s slower than the rest."""
    from archive.enrich.people.names import hmm_tag
    from archive.read import read_bytes

    sample = "1月1日，青禾集团召开工作会议。总经理常昭明说，各单位要抓好落实。"
    enrich(normalize(read_bytes(sample.encode("utf-8"), "warm-up.txt")))
    hmm_tag("常昭明")  # jieba's tagging model, first needed by a name its dictionary lacks


def extract_stages(
    paths: Iterable[Path], *, max_bytes: int | None = None, budget_seconds: float | None = None
) -> list[Arrival]:
    """Read, normalize and enrich, storing nothing (``archive extract``). With
    ``budget_seconds``, each file in turn on that time budget (:mod:`archive.budget`): one
    over it comes back with :class:`~archive.errors.TookTooLong`."""
    if budget_seconds is None:
        return enrich_stage(normalize_stage(read_stage(paths, max_bytes=max_bytes)))
    out = []
    for path in map(Path, paths):
        done: list[Arrival] = []
        try:
            with time_budget(path, budget_seconds):
                done = extract_stages([path], max_bytes=max_bytes)
        except TookTooLong as error:
            # Inside a stage, the stage's guard gives the error to the file; here it came
            # between two stages.
            done = done or [Arrival(path, signature(path), error=error, failed_stage="extract")]
        out.extend(done)
    return out


def extract_batch(
    paths: Sequence[Path], settings: Settings, workers: ExtractionWorkers | None = None
) -> list[Arrival]:
    """Read, normalize and enrich a batch: in the service's extraction workers when given,
    else in this process; each file on its time budget (``ARCHIVE_FILE_TIMEOUT_SECONDS``)
    either way."""
    if workers is not None:
        return workers.extract_all(paths)
    return extract_stages(
        paths, max_bytes=settings.max_file_bytes, budget_seconds=settings.file_timeout_seconds
    )


def ingest(
    paths: Sequence[Path],
    backend: SearchBackend,
    settings: Settings,
    *,
    consume: bool,
    workers: ExtractionWorkers | None = None,
) -> list[IngestResult]:
    """The whole pipeline over a batch, without Prefect."""
    arrivals = extract_batch(paths, settings, workers)
    return store_stage(arrivals, backend, settings, consume=consume)


def extract(path: Path) -> Document:
    """One file's record; raises :class:`IngestError` when the file cannot become one."""
    (arrival,) = extract_stages([path])
    if arrival.error is not None:
        raise arrival.error
    assert arrival.document is not None
    return arrival.document
