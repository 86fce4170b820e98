"""``archive status``: what the archive holds and what it has been doing.

Counts come from the store, the inbox and quarantine folders, and the ingest ledger
(:mod:`archive.ledger`); nothing here changes anything.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pydantic import BaseModel

from archive import ledger
from archive.backends.base import SearchBackend
from archive.config import Settings
from archive.errors import BackendUnavailable
from archive.inbox import files_in
from archive.originals import quarantined_files

RECENT_FAILURES = 5
WINDOW = dt.timedelta(hours=1)


class Failure(BaseModel):
    at: dt.datetime
    file: str
    reason: str | None


class Status(BaseModel):
    """A snapshot of the archive (the JSON of ``archive status --json``)."""

    backend: str
    stored: int
    """Records in the store."""
    indexed: int | None
    """Documents in the search index; None when it cannot be reached."""
    pending_index: int
    """Stored but not yet acknowledged by the search index (Elasticsearch down)."""
    duplicates: int
    """Files whose bytes were already stored, since the ledger began."""
    quarantined: int
    """Files in quarantine now."""
    waiting: int
    """Files in the inbox, not yet taken."""
    last_hour: dict[str, int]
    """Outcomes in the last hour: stored, duplicate, quarantined, skipped."""
    files_per_minute: float
    """Files finished per minute over the last hour."""
    last_failures: list[Failure]
    """The most recent quarantines, newest first."""


def status(settings: Settings, backend: SearchBackend, now: dt.datetime | None = None) -> Status:
    """The archive's status at ``now``."""
    now = now or dt.datetime.now(dt.UTC)
    everything = list(ledger.events(settings.ledger))
    recent = Counter(e.outcome for e in everything if now - e.at <= WINDOW)
    failures = [e for e in everything if e.outcome == "quarantined"][-RECENT_FAILURES:]
    try:
        indexed: int | None = backend.index_count()
    except BackendUnavailable:
        indexed = None
    return Status(
        backend=backend.name,
        stored=backend.count(),
        indexed=indexed,
        pending_index=backend.pending_count(),
        duplicates=sum(e.outcome == "duplicate" for e in everything),
        quarantined=len(quarantined_files(settings.quarantine)),
        waiting=sum(1 for _ in files_in(settings.inbox)) if settings.inbox.is_dir() else 0,
        last_hour=dict(recent),
        files_per_minute=round(sum(recent.values()) / 60, 2),
        last_failures=[Failure(at=e.at, file=e.file, reason=e.reason) for e in reversed(failures)],
    )
