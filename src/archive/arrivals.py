"""What travels through the pipeline (:class:`Arrival`: a file, or a member of a
container file, and what each stage made of it) and what comes out of it
(:class:`IngestResult`)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from pathlib import Path

from archive import ledger
from archive.errors import IngestError
from archive.read.containers import Member
from archive.records import Container, Document, NormalizedDocument, RawDocument


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
    """One file, or one member of a container file, on its way through the pipeline:
    what each stage made of it so far, or the error that stopped it and the stage that
    raised it."""

    path: Path
    signature: Signature | None = None
    """The file's size and mtime when it was read, to notice a writer that was not done."""
    member: Member | None = None
    """The member of the container file at ``path`` this is (its bytes, where it was)."""
    origin: Container | None = None
    """For a file that was a container's member once (quarantined, now retried): where
    it came from, for its record."""
    raw: RawDocument | None = None
    normalized: NormalizedDocument | None = None
    document: Document | None = None
    error: IngestError | None = None
    failed_stage: str | None = None

    @property
    def where(self) -> str:
        """The file's path, and for a member its path inside (``inbox/材料.zip › a.txt``)."""
        return _inside(str(self.path), self.member.container.member if self.member else None)


@dataclass(frozen=True)
class IngestResult:
    """What became of one file, or of one member of a container file."""

    path: Path
    outcome: Outcome
    doc_id: str | None = None
    title: str | None = None
    reason: str | None = None
    kept_at: Path | None = None
    """The file's copy in the archive: under ``originals/``, or in ``quarantine/``."""
    member: str | None = None
    """Which member of the container file at ``path`` (``2021/纪要.docx``)."""

    @property
    def name(self) -> str:
        """``会议.txt``, or for a member ``材料.zip › 2021/纪要.docx``."""
        return _inside(self.path.name, self.member)

    def event(self, at: dt.datetime) -> ledger.Event:
        """This outcome as a line of the ingest ledger."""
        return ledger.Event(at, self.outcome.value, self.name, self.doc_id, self.reason)

    @property
    def where(self) -> str:
        """The file's path, and for a member its path inside (``inbox/材料.zip › a.txt``)."""
        return _inside(str(self.path), self.member)

    def line(self) -> str:
        """One line for a person: ``stored  会议.txt  3f2a…  title``."""
        if self.reason is not None:
            return f"{self.outcome.value:<11} {self.where}: {self.reason}"
        return f"{self.outcome.value:<11} {self.where}  {self.doc_id}  {self.title}"


def _inside(file: str, member: str | None) -> str:
    return f"{file} › {member}" if member else file


def signature(path: Path) -> Signature | None:
    """Size and mtime of ``path``; None when it is gone."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns)
