"""The ingestion pipeline over a batch of files: read → normalize → enrich → store.

Each stage is a function over a list of :class:`Arrival` (one per document-to-be: a file,
or a member of a ZIP archive or an e-mail, opened first by :func:`open_stage`), so the Prefect
flow can run one task per stage per batch, and ``archive ingest`` without a Prefect server
runs the very same functions in a row (:func:`ingest`). A file that fails a stage carries
its :class:`~archive.errors.IngestError` on to the store stage (:mod:`archive.store`),
which quarantines it; the other files of the batch go on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, TypeVar

from archive.arrivals import Arrival, IngestResult, Outcome, Signature, signature
from archive.backends.base import SearchBackend
from archive.budget import time_budget
from archive.config import Settings
from archive.enrich import enrich
from archive.errors import IngestError, TookTooLong
from archive.normalize import normalize
from archive.originals import origin, report_path
from archive.read import read_bytes, read_file
from archive.read.containers import Member, open_file
from archive.records import Container, Document, RawDocument
from archive.store import STORE_RETRY_DELAYS, store_stage

if TYPE_CHECKING:  # the workers run this module's stages
    from archive.workers import ExtractionWorkers

__all__ = [  # the pipeline's records and its last stage, for the flows and the service
    "STORE_RETRY_DELAYS",
    "Arrival",
    "IngestResult",
    "Outcome",
    "Signature",
    "signature",
    "store_stage",
]

log = logging.getLogger(__name__)


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


def open_stage(
    paths: Iterable[Path],
    *,
    max_bytes: int | None = None,
    origins: Mapping[Path, Container] | None = None,
) -> list[Arrival]:
    """Each file as the documents it holds: itself, or a container's members (a ZIP
    archive's files; an e-mail's own text and its attachments), an :class:`Arrival`
    each. A container past a bound, or damaged, is one arrival with its error. Only a
    container is read here; other files are read by :func:`read_stage`. ``origins``:
    files that were a container's members (retried from quarantine; one that is a
    container itself, once nested too deep, is opened now)."""
    out: list[Arrival] = []
    for path in map(Path, paths):
        arrival = Arrival(path, signature(path), origin=(origins or {}).get(path))
        opened = _guarded("read", arrival, lambda p=path: open_file(p, max_bytes))
        if isinstance(opened, IngestError):
            out.append(replace(arrival, error=opened, failed_stage="read"))
            continue
        if opened is None or opened.body:
            out.append(arrival)
        for member in opened.members if opened is not None else ():
            if arrival.origin is not None:  # inside its first container, where it was
                member = _within_origin(member, arrival.origin)
            failed = "read" if member.error is not None else None
            out.append(replace(arrival, member=member, error=member.error, failed_stage=failed))
    return out


def _within_origin(member: Member, origin: Container) -> Member:
    inner = member.container
    container = origin.model_copy(
        update={"member": f"{origin.member}/{inner.member}", "message": inner.message}
    )
    return replace(member, container=container)


def read_stage(
    paths: Iterable[Path],
    *,
    max_bytes: int | None = None,
    origins: Mapping[Path, Container] | None = None,
) -> list[Arrival]:
    """Open and decode each file; one over ``max_bytes`` is refused unread."""
    return read_opened(open_stage(paths, max_bytes=max_bytes, origins=origins), max_bytes)


def read_opened(arrivals: Sequence[Arrival], max_bytes: int | None = None) -> list[Arrival]:
    """Decode each opened file or member."""
    return _advance(arrivals, "read", lambda a: {"raw": _read(a, max_bytes)})


def _read(arrival: Arrival, max_bytes: int | None) -> RawDocument:
    member = arrival.member
    if member is not None:
        raw = read_bytes(member.data, member.filename, modified=member.modified)
        return replace(raw, container=member.container)
    raw = read_file(arrival.path, max_bytes)
    if arrival.origin is not None:  # read under the name it had inside its container
        name = PurePosixPath(arrival.origin.member).name
        return replace(raw, filename=name, container=arrival.origin)
    return raw


def normalize_stage(arrivals: Sequence[Arrival]) -> list[Arrival]:
    """Normalize the script and clean the text of each read file."""
    return _advance(arrivals, "normalize", lambda a: {"normalized": normalize(a.raw)})


def enrich_stage(arrivals: Sequence[Arrival]) -> list[Arrival]:
    """Extract title, date, meeting, people and the rest into the record."""
    return _advance(arrivals, "enrich", lambda a: {"document": enrich(a.normalized)})


def retry_quarantined(
    paths: Sequence[Path], backend: SearchBackend, settings: Settings
) -> list[IngestResult]:
    """Put quarantined files through the whole pipeline again. A file that now makes a
    document is stored and leaves the quarantine with its report; one that fails again
    stays there with a new report. A container's member keeps its place in its container
    (its report says which)."""
    origins = {Path(p): found for p in paths if (found := origin(Path(p))) is not None}
    results = ingest(paths, backend, settings, consume=True, origins=origins)
    for path in {result.path for result in results}:
        if not path.exists():  # stored, or a container whose members all found a place
            report_path(path).unlink(missing_ok=True)
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
    paths: Iterable[Path],
    *,
    max_bytes: int | None = None,
    budget_seconds: float | None = None,
    origins: Mapping[Path, Container] | None = None,
) -> list[Arrival]:
    """Read, normalize and enrich, storing nothing (``archive extract``). With
    ``budget_seconds``, the opening of each file, and each document it holds, in turn on
    that time budget (:mod:`archive.budget`): one over it comes back with
    :class:`~archive.errors.TookTooLong`."""
    if budget_seconds is None:
        opened = open_stage(paths, max_bytes=max_bytes, origins=origins)
        return extract_opened(opened, max_bytes)
    out = []
    for path in map(Path, paths):
        failed = Arrival(path, signature(path), origin=(origins or {}).get(path))
        opened = _within(
            budget_seconds,
            failed,
            lambda p=path: open_stage([p], max_bytes=max_bytes, origins=origins),
        )
        for arrival in opened:
            out.extend(
                _within(budget_seconds, arrival, lambda a=arrival: extract_opened([a], max_bytes))
            )
    return out


def _within(seconds: float, arrival: Arrival, step: Callable[[], list[Arrival]]) -> list[Arrival]:
    """``step`` on a time budget; over it, ``arrival`` with :class:`TookTooLong`."""
    try:
        with time_budget(arrival.path, seconds):
            return step()
    except TookTooLong as error:
        # Inside a stage, the stage's guard gives the error to the file; here it came
        # between two stages.
        return [replace(arrival, error=error, failed_stage="extract")]


def extract_opened(arrivals: Sequence[Arrival], max_bytes: int | None = None) -> list[Arrival]:
    """Read, normalize and enrich what :func:`open_stage` opened."""
    return enrich_stage(normalize_stage(read_opened(arrivals, max_bytes)))


def extract_batch(
    paths: Sequence[Path],
    settings: Settings,
    workers: ExtractionWorkers | None = None,
    origins: Mapping[Path, Container] | None = None,
) -> list[Arrival]:
    """Read, normalize and enrich a batch: in the service's extraction workers when given,
    else in this process; each file, and each member of a container, on its time budget
    (``ARCHIVE_FILE_TIMEOUT_SECONDS``) either way."""
    if workers is not None:
        opened = open_stage(paths, max_bytes=settings.max_file_bytes, origins=origins)
        return workers.extract_all(opened)
    return extract_stages(
        paths,
        max_bytes=settings.max_file_bytes,
        budget_seconds=settings.file_timeout_seconds,
        origins=origins,
    )


def ingest(
    paths: Sequence[Path],
    backend: SearchBackend,
    settings: Settings,
    *,
    consume: bool,
    workers: ExtractionWorkers | None = None,
    origins: Mapping[Path, Container] | None = None,
) -> list[IngestResult]:
    """The whole pipeline over a batch, without Prefect. ``origins``: files that were a
    container's members, with where they came from. What is extracted is stored before
    the members' bytes held reach :data:`HOLD_BYTES` (a batch of large ZIP archives; the
    service's batches, extracted by ``workers`` in parallel, hold one container at most)."""
    if workers is not None:
        arrivals = extract_batch(paths, settings, workers, origins)
        return store_stage(arrivals, backend, settings, consume=consume)
    results: list[IngestResult] = []
    held: list[Arrival] = []
    for path in paths:
        held.extend(extract_batch([path], settings, workers, origins))
        if sum(len(a.member.data) for a in held if a.member is not None) >= HOLD_BYTES:
            results.extend(store_stage(held, backend, settings, consume=consume))
            held = []
    return results + store_stage(held, backend, settings, consume=consume)


HOLD_BYTES = 64 * 2**20
"""How many bytes of containers' members :func:`ingest` holds before storing them."""


def extract(path: Path) -> Document:
    """One file's record; raises :class:`IngestError` when the file cannot become one."""
    (arrival,) = extract_stages([path])
    if arrival.error is not None:
        raise arrival.error
    assert arrival.document is not None
    return arrival.document
