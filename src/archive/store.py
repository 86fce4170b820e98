"""The store stage: keep each original and index its document, or quarantine it with
the reason. Nothing is lost: a file leaves the inbox only once its bytes are kept under
``originals/`` or in ``quarantine/`` (a container file, once every member's are)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from archive import ledger
from archive.arrivals import Arrival, IngestResult, Outcome, signature
from archive.backends.base import SearchBackend
from archive.config import Settings
from archive.enrich import EXTRACTOR_VERSION
from archive.errors import ArchiveError, IngestError, Interrupted
from archive.originals import keep_bytes, keep_original, quarantine, quarantine_member

log = logging.getLogger(__name__)


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
    archive keeps a copy. A container file leaves once all its members are stored or
    quarantined, its own bytes kept too. A transient backend error is retried for that
    one document (those before it are done and are not visited again); if it persists,
    it propagates and the files not yet stored stay where they are, to be taken again."""
    now = now or dt.datetime.now(dt.UTC)
    results: list[IngestResult] = []
    for path, group in itertools.groupby(arrivals, key=lambda a: a.path):
        members = list(group)
        unpacked = any(a.member is not None for a in members)
        done = []
        for arrival in members:
            result = _with_retries(
                lambda a=arrival, u=unpacked: _store_one(a, backend, settings, consume, now, u),
                arrival.path,
                retry_delays,
            )
            ledger.append(settings.ledger, result.event(dt.datetime.now(dt.UTC)))
            done.append(result)
        if unpacked and all(r.outcome is not Outcome.SKIPPED for r in done):
            _finish_container(path, settings, consume)
        results.extend(done)
    return results


def _finish_container(path: Path, settings: Settings, consume: bool) -> None:
    """Keep the container's own bytes (its members are kept each by their hash), and
    take it out of the inbox."""
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()  # unchanged: its signature is
    keep_original(settings.originals, path, sha256)
    if consume:
        path.unlink(missing_ok=True)


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
    arrival: Arrival,
    backend: SearchBackend,
    settings: Settings,
    consume: bool,
    now: dt.datetime,
    unpacked: bool = False,
) -> IngestResult:
    """Store or quarantine one arrival. Of a container file (``unpacked``), each member
    is kept or quarantined on its own, and the file itself stays for
    :func:`_finish_container`."""
    member = arrival.member.container.member if arrival.member is not None else None
    current = signature(arrival.path)
    if current is None or current != arrival.signature:
        # A writer was still at work (or the file was removed): what was read may be half a
        # file. Store nothing; the inbox takes the file again once it has settled.
        why = "it disappeared" if current is None else "it changed while it was being read"
        log.warning("skipped %s: %s", arrival.where, why)
        reason = f"{why}; nothing was stored"
        return IngestResult(arrival.path, Outcome.SKIPPED, reason=reason, member=member)
    if isinstance(arrival.error, Interrupted):
        log.info("left %s in place: %s", arrival.path, arrival.error.reason)
        return IngestResult(
            arrival.path, Outcome.SKIPPED, reason=arrival.error.reason, member=member
        )
    if arrival.error is not None or arrival.document is None:
        return _quarantine_one(arrival, settings, consume and not unpacked, now)
    document = arrival.document
    if arrival.member is not None:
        kept = keep_bytes(settings.originals, arrival.member.data, document.source)
    else:
        kept = keep_original(settings.originals, arrival.path, document.source.sha256)
    stored = document.model_copy(
        update={"source": document.source.model_copy(update={"ingested_at": now})}
    )
    outcome = Outcome.STORED if backend.index(stored) else Outcome.DUPLICATE
    if consume and not unpacked:
        arrival.path.unlink(missing_ok=True)
    log.info("%s %s as %s", outcome.value, arrival.where, document.id)
    return IngestResult(
        arrival.path, outcome, document.id, document.title, kept_at=kept, member=member
    )


def _quarantine_one(
    arrival: Arrival, settings: Settings, move: bool, now: dt.datetime
) -> IngestResult:
    error = arrival.error or IngestError(arrival.path, "the file produced no document")
    stage = arrival.failed_stage or "store"
    if arrival.member is not None:
        kept = quarantine_member(
            settings.quarantine,
            arrival.member.container,
            arrival.member.data,
            error,
            stage=stage,
            extractor_version=EXTRACTOR_VERSION,
            now=now,
        )
        log.warning("quarantined %s: %s", arrival.where, error.reason)
        return IngestResult(
            arrival.path,
            Outcome.QUARANTINED,
            reason=error.reason,
            kept_at=kept,
            member=arrival.member.container.member,
        )
    kept = quarantine(
        settings.quarantine,
        arrival.path,
        error,
        stage=stage,
        extractor_version=EXTRACTOR_VERSION,
        move=move,
        now=now,
        origin=arrival.origin,
    )
    log.warning("quarantined %s: %s", arrival.path, error.reason)
    return IngestResult(arrival.path, Outcome.QUARANTINED, reason=error.reason, kept_at=kept)
