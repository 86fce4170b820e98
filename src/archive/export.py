"""Directive lists a user can paste into a report: CSV or JSON Lines, every match.

Shared by ``archive directives --format`` and ``GET /directives?format=``. An export
holds every directive the query matches, read page by page, not one page of hits.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Literal

from archive.backends.base import DirectiveHit, DirectiveQuery, SearchBackend

ExportFormat = Literal["csv", "jsonl"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "jsonl")

COLUMNS = (
    "date",
    "year_source",
    "speaker",
    "speaker_titles",
    "cue",
    "text",
    "items",
    "targets",
    "topics",
    "meeting",
    "title",
    "document_id",
    "position",
)
"""The CSV columns, in order; lists are joined with 、 and items numbered one per line."""


def every_match(backend: SearchBackend, query: DirectiveQuery) -> Iterator[DirectiveHit]:
    """All the directives ``query`` matches, in its order, whatever its limit."""
    return backend.every_directive(query)


def row(hit: DirectiveHit) -> dict[str, str | int | None]:
    """One directive as a flat row of :data:`COLUMNS`."""
    d = hit.directive
    return {
        "date": hit.date.isoformat() if hit.date else None,
        "year_source": hit.year_source,
        "speaker": d.speaker,
        "speaker_titles": "、".join(d.speaker_titles),
        "cue": d.cue,
        "text": d.text,
        "items": "\n".join(f"{n}. {item}" for n, item in enumerate(d.items, 1)),
        "targets": "、".join(d.targets),
        "topics": "、".join(d.topics),
        "meeting": hit.meeting,
        "title": hit.title,
        "document_id": hit.document_id,
        "position": hit.position,
    }


def export_lines(hits: Iterator[DirectiveHit], fmt: ExportFormat) -> Iterator[str]:
    """The export, line by line (a CSV record may span lines: quoted items)."""
    if fmt == "jsonl":
        for hit in hits:
            yield hit.model_dump_json() + "\n"
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for hit in hits:
        writer.writerow(row(hit))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()


def media_type(fmt: ExportFormat) -> str:
    return {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}[fmt]
