"""Search backends: the embedded engine (records in SQLite, search in tantivy: the
default; or SQLite's own FTS5) and Elasticsearch."""

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


def open_backend(
    settings: Settings, *, writes_index: bool = True, catch_up_seconds: float | None = None
) -> SearchBackend:
    """The backend the settings ask for: the embedded engine under ``ARCHIVE_HOME``
    (tantivy unless ``ARCHIVE_SEARCH_ENGINE=sqlite``), Elasticsearch when
    ``ARCHIVE_ES_URL`` is set. ``writes_index=False``: the tantivy engine leaves what it
    stores to the process that writes its index (see ``TantivyBackend``), which looks for
    such records every ``catch_up_seconds`` (half a second unless given)."""
    if settings.es_url:
        # Imported here: the client is not needed, nor loaded, by the embedded default.
        from archive.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(settings)
    if settings.search_engine == "tantivy":
        from archive.backends.tantivy import TantivyBackend

        return TantivyBackend.open(
            settings.database,
            settings.index_folder,
            writes_index=writes_index,
            catch_up_seconds=catch_up_seconds,
        )
    from archive.backends.sqlite import SqliteBackend

    return SqliteBackend(settings.database)
