"""The ingest ledger: one JSON line per file the pipeline finished with, for ``archive
status`` (counts, recent failures, throughput).

Append-only (``ARCHIVE_HOME/ingest-ledger.jsonl``): each line is written with one
``write`` on a file opened for appending, so lines from a crashed process are whole or
absent, and the store's own records stay the source of truth. The ledger only says what
happened and when.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Event:
    """One file's outcome: ``stored``, ``duplicate``, ``quarantined`` or ``skipped``."""

    at: dt.datetime
    outcome: str
    file: str
    doc_id: str | None = None
    reason: str | None = None

    def to_json(self) -> str:
        body = {
            "at": self.at.isoformat(timespec="seconds"),
            "outcome": self.outcome,
            "file": self.file,
            "doc_id": self.doc_id,
            "reason": self.reason,
        }
        return json.dumps(body, ensure_ascii=False)


def append(path: Path, event: Event) -> None:
    """Add one event to the ledger at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(event.to_json() + "\n")


def events(path: Path) -> Iterator[Event]:
    """The ledger's events, oldest first; a damaged line is skipped."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as f:
        for line in f:
            try:
                body = json.loads(line)
                at = dt.datetime.fromisoformat(body["at"])
            except (ValueError, KeyError, TypeError):
                continue
            yield Event(at, body["outcome"], body["file"], body.get("doc_id"), body.get("reason"))
