"""Search backends: the embedded SQLite engine (default) and Elasticsearch."""

from __future__ import annotations

from archive.backends.base import (
    DIRECTIVE_FACETS,
    FACETS,
    DirectiveHit,
    DirectiveQuery,
    DirectiveResult,
    FacetValue,
    Health,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResult,
)
from archive.config import Settings

__all__ = [
    "DIRECTIVE_FACETS",
    "FACETS",
    "DirectiveHit",
    "DirectiveQuery",
    "DirectiveResult",
    "FacetValue",
    "Health",
    "Hit",
    "SearchBackend",
    "SearchQuery",
    "SearchResult",
    "open_backend",
]


def open_backend(settings: Settings) -> SearchBackend:
    """The backend the settings ask for: SQLite under ``ARCHIVE_HOME`` unless
    ``ARCHIVE_ES_URL`` is set."""
    if settings.es_url:
        # Imported here: the client is not needed, nor loaded, by the embedded default.
        from archive.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(settings)
    from archive.backends.sqlite import SqliteBackend

    return SqliteBackend(settings.database)
