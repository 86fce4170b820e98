"""The ingest ledger: one JSON line per file the pipeline finished with, for ``archive
status`` (counts, recent failures, throughput) and the progress bar of ``archive
backfill`` (whose files are stored by worker processes).

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
    line = (event.to_json() + "\n").encode("utf-8")
    with path.open("ab+") as f:
        # A process killed mid-write leaves half a line: end it, so only it is lost.
        if f.seek(0, 2) > 0:
            f.seek(-1, 2)
            if f.read(1) != b"\n":
                line = b"\n" + line
        f.write(line)


def events(path: Path) -> Iterator[Event]:
    """The ledger's events, oldest first; a damaged line is skipped."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as f:
        for line in f:
            if (event := _parse(line)) is not None:
                yield event


def size(path: Path) -> int:
    """Where the ledger ends now: pass it to :func:`since` to read what comes after."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def since(path: Path, offset: int) -> tuple[list[Event], int]:
    """The events appended after byte ``offset``, and the offset to read from next time
    (a line still being written is left for then). Other processes append as they store
    files, so this is how one process follows another's progress."""
    try:
        with path.open("rb") as f:
            f.seek(offset)
            data = f.read()
    except FileNotFoundError:
        return [], offset
    complete = data[: data.rfind(b"\n") + 1]
    lines = complete.decode("utf-8", errors="replace").splitlines()
    return [e for e in map(_parse, lines) if e is not None], offset + len(complete)


def _parse(line: str) -> Event | None:
    try:
        body = json.loads(line)
        at = dt.datetime.fromisoformat(body["at"])
        return Event(at, body["outcome"], body["file"], body.get("doc_id"), body.get("reason"))
    except (ValueError, KeyError, TypeError):
        return None
