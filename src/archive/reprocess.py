"""Reprocess: run normalize and enrich again over the stored originals when the extractor
improves, and replace the records, without touching the originals.

A record keeps its id, its file name (which may hold a date) and the time it was first
ingested; everything extracted is new and stamped with the current
:data:`~archive.enrich.EXTRACTOR_VERSION`. A record whose original is missing, or whose
original no longer makes a document, is left as it was and reported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.backends.base import SearchBackend, SearchQuery, every_found
from archive.enrich import enrich
from archive.errors import ArchiveError
from archive.normalize import normalize
from archive.originals import original_path
from archive.read import read_bytes
from archive.records import Document


def version_key(version: str) -> tuple[int, ...]:
    """``"0.4.1"`` → (0, 4, 1); a version that is not dotted numbers sorts first."""
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return ()


def older_than(version: str) -> Callable[[Document], bool]:
    """A selector of the records extracted before ``version``."""
    key = version_key(version)
    return lambda document: version_key(document.extractor_version) < key


@dataclass(frozen=True)
class Reprocessed:
    """What became of one record: ``updated``, or ``kept`` with the reason."""

    id: str
    filename: str
    updated: bool
    reason: str | None = None


def matching(backend: SearchBackend, q: str) -> set[str]:
    """The ids of every document a search finds (all pages)."""
    found = every_found(backend, SearchQuery(q=q, facet_size=0))
    return {document.id for document in found.documents}


def re_extract(record: Document, originals: Path) -> Document:
    """The record extracted again from its original; raises :class:`ArchiveError` when
    the original is missing or no longer makes a document."""
    source = record.source
    path = original_path(originals, source.sha256, source.filename)
    try:
        data = path.read_bytes()
    except OSError as exc:
        message = f"{source.filename}: its original {path} cannot be read ({exc})"
        raise ArchiveError(message) from exc
    raw = read_bytes(data, source.filename, modified=source.modified)
    raw = dataclasses.replace(raw, sha256=source.sha256, container=source.container)
    document = enrich(normalize(raw))
    kept = document.source.model_copy(update={"ingested_at": source.ingested_at})
    return document.model_copy(update={"source": kept})


def reprocess(
    backend: SearchBackend, records: Iterable[Document], originals: Path
) -> Iterator[Reprocessed]:
    """Extract each record again from its original and replace it in the backend."""
    for record in records:
        try:
            document = re_extract(record, originals)
            backend.replace(document)
        except ArchiveError as error:
            yield Reprocessed(record.id, record.source.filename, False, str(error))
            continue
        yield Reprocessed(record.id, record.source.filename, True)
