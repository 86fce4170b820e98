"""The search backend interface: one contract, an embedded and a scale-out implementation.

Everything outside ``archive.backends`` talks to a backend through :class:`SearchBackend`
only, so SQL and Elasticsearch's query DSL never leak into the rest of the code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, Field

from archive.errors import QueryError
from archive.highlight import DisplayScript, snippet
from archive.records import Directive, Document, YearSource

FACETS = ("year", "person", "org", "place", "meeting_type", "title")
"""The facets every search returns, in this order: ``title`` is the titles of the people
named (董事长, 总经理), not the document's title."""

FILTERS = ("person", "org", "place", "meeting_type", "title")
"""The facets a search can be narrowed to one value of, besides ``year``."""

MAX_LIMIT = 200

MAX_WINDOW = 10_000
"""How deep pages go: offset + limit at most this (Elasticsearch's default
``index.max_result_window``; the embedded engine keeps the same limit, so both answer
alike). Deeper than that, a filter narrows the search better than paging does."""


def check_window(limit: int, offset: int) -> None:
    """Raise :class:`QueryError` for a page past :data:`MAX_WINDOW` matches."""
    if offset + limit > MAX_WINDOW:
        raise QueryError(
            f"offset + limit is {offset + limit}; pages reach the first {MAX_WINDOW:,} "
            "matches only (narrow the search with a filter)"
        )


class SearchQuery(BaseModel):
    """A search: free text (any script; empty matches everything) plus facet filters."""

    q: str = ""
    year: int | None = Field(None, ge=1, le=9999)
    person: str | None = None
    org: str | None = None
    place: str | None = None
    meeting_type: str | None = None
    title: str | None = None
    limit: int = Field(10, ge=0, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)
    facet_size: int = Field(20, ge=0, le=MAX_LIMIT)
    script: DisplayScript = "original"
    """The script of snippets: the one each document was written in, or simplified."""

    def filters(self) -> dict[str, str]:
        """The facet filters set on this query (year aside), by facet name."""
        return {name: getattr(self, name) for name in FILTERS if getattr(self, name)}


class Hit(BaseModel):
    id: str
    title: str
    """In the script the query asked for, like the snippet."""
    date: dt.date | None
    year: int | None
    year_source: YearSource | None = None
    """Where the year of ``date`` came from; anything but ``written`` is inferred."""
    snippet: str
    """A short passage around the first match, in the script the query asked for; matches
    are wrapped in ``<mark>`` and the rest is HTML-escaped, so it can be shown as HTML."""
    score: float


def hit(document: Document, terms: Sequence[str], query: SearchQuery, score: float) -> Hit:
    """A document as a search hit: title and snippet in the script the query asked for
    (every backend builds its hits with this, so both show the same)."""
    title = document.title
    if query.script == "original" and document.original_title:
        title = document.original_title
    return Hit(
        id=document.id,
        title=title,
        date=document.date,
        year=document.year,
        year_source=document.year_source,
        snippet=snippet(document, terms, query.script),
        score=round(score, 6),
    )


class FacetValue(BaseModel):
    value: str | int
    count: int


class SearchResult(BaseModel):
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]


DIRECTIVE_FACETS = ("speaker", "year", "topic")
"""The facets every directive search returns, in this order."""


class DirectiveQuery(BaseModel):
    """A search over directives: free text in the requirement (any script) plus filters."""

    q: str = ""
    speaker: str | None = None
    year: int | None = Field(None, ge=1, le=9999)
    topic: str | None = None
    limit: int = Field(20, ge=0, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)
    facet_size: int = Field(20, ge=0, le=MAX_LIMIT)


class DirectiveHit(BaseModel):
    """One directive, with where it was set: document, date and meeting."""

    document_id: str
    position: int
    """Its index in the document's ``directives``."""
    title: str
    date: dt.date | None
    year: int | None
    year_source: YearSource | None = None
    """Where the year of ``date`` came from; anything but ``written`` is inferred."""
    meeting: str | None
    """The name of the meeting the document reports."""
    directive: Directive
    score: float


class DirectiveResult(BaseModel):
    total: int
    hits: list[DirectiveHit]
    facets: dict[str, list[FacetValue]]


class Found(BaseModel):
    """The records a search finds (one page of them), and how many it finds in all."""

    total: int
    documents: list[Document]


class Health(BaseModel):
    backend: str
    documents: int


@runtime_checkable
class SearchBackend(Protocol):
    """Stores documents and answers searches. Implementations must be safe to call from
    several threads (the service's inbox watcher writes while the API reads)."""

    name: str

    def index(self, document: Document) -> bool:
        """Store and index a document in one step; False when its id was already there
        (the archive is unchanged then)."""
        ...

    def replace(self, document: Document) -> None:
        """Store a new version of a document already there (same id) and re-index it,
        in one step; raises :class:`archive.errors.DocumentNotFound` when it is not."""
        ...

    def documents(self) -> Iterator[Document]:
        """Every stored record, in storage order (for reprocessing and checks)."""
        ...

    def delete(self, doc_id: str) -> bool:
        """Remove a document from store and index; False when there was none."""
        ...

    def get(self, doc_id: str) -> Document:
        """The full record; raises :class:`archive.errors.DocumentNotFound`."""
        ...

    def contains(self, doc_id: str) -> bool: ...

    def search(self, query: SearchQuery) -> SearchResult:
        """Hits ranked by relevance (by date, newest first, for an empty query), the
        total count of matches and facet counts over all matches."""
        ...

    def found(self, query: SearchQuery) -> Found:
        """The records of the page of hits :meth:`search` gives for ``query``, in its
        order, and the total: for work on whole records (a person's page), without a
        second read of each."""
        ...

    def search_directives(self, query: DirectiveQuery) -> DirectiveResult:
        """Directives whose text matches (ranked by relevance; newest first for an empty
        query), with the total and facet counts (speaker, year, topic) over all matches."""
        ...

    def every_directive(self, query: DirectiveQuery) -> Iterator[DirectiveHit]:
        """Every directive ``query`` matches, in its order, from its offset on, however
        many (exports; pages of :meth:`search_directives` stop at :data:`MAX_WINDOW`)."""
        ...

    def count(self) -> int:
        """How many records are stored."""
        ...

    def index_count(self) -> int:
        """How many documents the search index holds: equal to :meth:`count` in a sound
        archive (``archive check``)."""
        ...

    def pending_count(self) -> int:
        """How many stored documents wait to be sent to the search index (an
        Elasticsearch cluster that was down); 0 for an index written with the store."""
        ...

    def reindex(self) -> int:
        """Rebuild the search index from the stored records, with searches answered by
        the old index until the new one is complete; returns the documents indexed."""
        ...

    def close(self) -> None: ...


def every_found(backend: SearchBackend, query: SearchQuery, limit: int | None = None) -> Found:
    """Every record ``query`` finds (the first ``limit`` of them), page after page, in its
    order, and how many it finds in all."""
    documents: list[Document] = []
    while True:
        size = MAX_LIMIT if limit is None else min(MAX_LIMIT, limit - len(documents))
        page = backend.found(query.model_copy(update={"limit": size, "offset": len(documents)}))
        documents += page.documents
        wanted = page.total if limit is None else min(limit, page.total)
        if not page.documents or len(documents) >= wanted:
            return Found(total=page.total, documents=documents)
