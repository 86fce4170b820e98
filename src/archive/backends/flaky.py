"""A backend that fails on purpose, shipped so retry and no-loss paths can be tested
(and demonstrated) without patching anything."""

from __future__ import annotations

from collections.abc import Iterator

from archive.backends.base import (
    DirectiveHit,
    DirectiveQuery,
    DirectiveResult,
    Found,
    SearchBackend,
    SearchQuery,
    SearchResult,
)
from archive.errors import BackendUnavailable
from archive.records import Document


class FlakyBackend:
    """Wraps a real backend; the first ``fail_times`` calls to :meth:`index` raise
    :class:`BackendUnavailable`, as a busy or unreachable cluster would."""

    def __init__(self, inner: SearchBackend, fail_times: int) -> None:
        self.inner = inner
        self.name = f"flaky({inner.name})"
        self.failures_left = fail_times

    def index(self, document: Document) -> bool:
        if self.failures_left > 0:
            self.failures_left -= 1
            raise BackendUnavailable(f"{self.name}: refusing to index {document.id} on purpose")
        return self.inner.index(document)

    def replace(self, document: Document) -> None:
        self.inner.replace(document)

    def documents(self) -> Iterator[Document]:
        return self.inner.documents()

    def delete(self, doc_id: str) -> bool:
        return self.inner.delete(doc_id)

    def get(self, doc_id: str) -> Document:
        return self.inner.get(doc_id)

    def contains(self, doc_id: str) -> bool:
        return self.inner.contains(doc_id)

    def search(self, query: SearchQuery) -> SearchResult:
        return self.inner.search(query)

    def found(self, query: SearchQuery) -> Found:
        return self.inner.found(query)

    def search_directives(self, query: DirectiveQuery) -> DirectiveResult:
        return self.inner.search_directives(query)

    def every_directive(self, query: DirectiveQuery) -> Iterator[DirectiveHit]:
        return self.inner.every_directive(query)

    def count(self) -> int:
        return self.inner.count()

    def index_count(self) -> int:
        return self.inner.index_count()

    def pending_count(self) -> int:
        return self.inner.pending_count()

    def reindex(self) -> int:
        return self.inner.reindex()

    def close(self) -> None:
        self.inner.close()
