"""Errors, as a small tree that carries what failed and whether trying again can help.

::

    ArchiveError
    ├── IngestError(path, reason)     bad input: quarantined, never retried
    │   ├── UnsupportedFormat
    │   ├── EmptyDocument
    │   └── DecodeError
    ├── BackendError                  the search backend failed
    │   └── BackendUnavailable        transient: busy or unreachable, retry later
    ├── QueryError                    a search request that cannot be answered as asked
    ├── NotFound                      what was asked for is not in the archive
    │   ├── DocumentNotFound(doc_id)
    │   └── PersonNotFound(name)      no document names this person
    └── ConfigError                   a setting with a bad value

The CLI and the API turn these into one-line messages; a traceback means a bug.
"""

from __future__ import annotations

from pathlib import Path


class ArchiveError(Exception):
    """Root of every error the archive raises on purpose."""

    transient = False
    """True when the same call may succeed later (retry it); False when it never will."""


class IngestError(ArchiveError):
    """A file that cannot become a document. ``reason`` is one sentence for a person."""

    code = "ingest_error"

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        # Backfill workers send errors to the storing process: keep the cause, as text.
        cause = self.__cause__
        return (_rebuild, (type(self), self.path, self.reason, _describe(cause)))


def _describe(cause: BaseException | None) -> tuple[str, str] | None:
    return (type(cause).__name__, str(cause)) if cause is not None else None


class _RemoteCause(Exception):
    """An exception raised in another process, known by its type's name and message."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


def _rebuild(
    kind: type[IngestError], path: Path, reason: str, cause: tuple[str, str] | None
) -> IngestError:
    error = kind(path, reason)
    if cause is not None:
        error.__cause__ = _RemoteCause(*cause)
    return error


class UnsupportedFormat(IngestError):
    code = "unsupported_format"


class EmptyDocument(IngestError):
    code = "empty"


class DecodeError(IngestError):
    code = "undecodable"


class FileTooLarge(IngestError):
    """Over ``ARCHIVE_MAX_FILE_MB``: quarantined unread, so it cannot exhaust memory."""

    code = "too_large"


class TookTooLong(IngestError):
    """Over ``ARCHIVE_FILE_TIMEOUT_SECONDS``: the service's worker that held it was
    replaced; a backfill or ``archive ingest`` interrupted it and went on."""

    code = "timeout"


class Interrupted(IngestError):
    """The service stopped while the file was processed: it stays to be taken again."""

    code = "interrupted"
    transient = True


class BackendError(ArchiveError):
    """The search backend failed to do what was asked."""


class BackendUnavailable(BackendError):
    """The backend is busy or unreachable; the same request may succeed later."""

    transient = True


class QueryError(ArchiveError):
    """A search request that cannot be answered as asked (bad filter, bad limit)."""


class NotFound(ArchiveError):
    """What was asked for is not in the archive (the API answers 404)."""


class DocumentNotFound(NotFound):
    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        super().__init__(f"no document with id {doc_id!r}")


class OriginalMissing(NotFound):
    """The record is there but its original file is not (``archive check`` reports it)."""

    def __init__(self, doc_id: str, path: Path) -> None:
        self.doc_id = doc_id
        super().__init__(
            f"the original file of {doc_id!r} is missing ({path}); see `archive check`"
        )


class PersonNotFound(NotFound):
    """No document of the archive names this person."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"no person named {name!r} in the archive")


class ConfigError(ArchiveError):
    """A setting with a value the archive cannot use; the message names the variable."""
