"""Search backends: the embedded SQLite engine (default) and, later, Elasticsearch."""

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
from archive.errors import ConfigError

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
        raise ConfigError(
            f"ARCHIVE_ES_URL={settings.es_url!r}: the Elasticsearch backend is not built yet; "
            "unset ARCHIVE_ES_URL to use the embedded engine"
        )
    from archive.backends.sqlite import SqliteBackend

    return SqliteBackend(settings.database)
