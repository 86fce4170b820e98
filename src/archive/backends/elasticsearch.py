"""The scale-out backend: the embedded store keeps the records, Elasticsearch the index.

Every document is written to the SQLite store first (the source of truth, with the
originals), marked ``index_state = 'pending'``; it is marked ``indexed`` only once
Elasticsearch acknowledged it in a bulk request. A cluster that is down or refusing
makes documents wait, never drops them: ingestion goes on, ``archive status`` shows the
backlog, and :meth:`ElasticsearchBackend.catch_up` (run by the service every few seconds,
or ``archive es catch-up``) sends it when the cluster is back.

Searches read the alias ``archive`` (and ``archive-directives``), which names one
versioned index; :meth:`ElasticsearchBackend.reindex` builds a new one from the store and
swaps the alias in one atomic request, so searches never see a half-built index. When
the aliases name indices an older release made (another mapping version), the first
catch-up reindexes into this release's version the same way. The request bodies come from
:mod:`archive.backends.elasticsearch_requests`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, Literal

from elasticsearch import ApiError, Elasticsearch, TransportError, helpers

from archive import segment
from archive.backends import elasticsearch_requests as requests
from archive.backends.base import (
    DIRECTIVE_FACETS,
    FACETS,
    DirectiveHit,
    DirectiveQuery,
    DirectiveResult,
    Found,
    SearchQuery,
    SearchResult,
    hit,
)
from archive.backends.elasticsearch_requests import Names
from archive.backends.sqlite import SqliteBackend, StoredRecords
from archive.backends.sqlite_index_state import Waiting, fingerprint
from archive.config import Settings
from archive.errors import BackendError, BackendUnavailable
from archive.records import Document

log = logging.getLogger(__name__)

CHUNK = 200
"""Documents per bulk request (their directives ride along): a few MB at most."""
RETRY_SECONDS = 10.0
"""After the cluster failed, writes do not try it again for this long: ingestion must not
wait on a timeout per file while the cluster is down (the backlog is sent later)."""


def connect(settings: Settings) -> Elasticsearch:
    """A client for ``ARCHIVE_ES_URL`` with the credentials and CA the settings give."""
    options: dict[str, Any] = {
        "request_timeout": settings.es_timeout,
        "max_retries": 2,
        "retry_on_timeout": True,
    }
    if settings.es_api_key:
        options["api_key"] = settings.es_api_key
    elif settings.es_user:
        options["basic_auth"] = (settings.es_user, settings.es_password or "")
    if settings.es_ca_certs:
        options["ca_certs"] = str(settings.es_ca_certs)
    if not settings.es_verify_certs:
        options["verify_certs"] = False
        options["ssl_show_warn"] = False
    return Elasticsearch(settings.es_url, **options)


class ElasticsearchBackend(StoredRecords):
    """Records in the embedded store, search in Elasticsearch. Thread-safe like the
    store; one thread at a time sends to the cluster."""

    name = "elasticsearch"

    def __init__(
        self,
        settings: Settings,
        *,
        client: Elasticsearch | None = None,
        setup: bool = True,
        refresh: Literal["wait_for"] | None = None,
    ) -> None:
        """``refresh="wait_for"`` makes each write return once searchable (tests); by
        default a write is searchable within the index's refresh interval (1 s)."""
        self.url = settings.es_url or ""
        self.names = Names(settings.es_index)
        self.aliases = (self.names.documents, self.names.directives)
        self.store = SqliteBackend(settings.database)
        # The records' index states describe one index: another one (tantivy's, or
        # another cluster's) starts with every record waiting.
        self.store.index_state.claim(f"elasticsearch {self.url} {self.names.documents}")
        self.client = client or connect(settings)
        self.refresh = refresh
        self._sending = threading.Lock()
        self._retry_at = 0.0
        self._set_up = False
        self.outdated: list[str] = []
        """Indices the aliases name that another mapping version made: the next
        :meth:`catch_up` reindexes (once), :meth:`reindex` at any time."""
        if setup:
            try:
                self.setup()
            except BackendUnavailable as error:
                # Ingestion goes on into the store; catch_up sets the cluster up later.
                log.warning("%s; documents wait in the store until it answers", error)

    # -- the cluster's side ------------------------------------------------------------

    def setup(self) -> bool:
        """Put the index templates, and create the indices and aliases when missing
        (every stored record then waits to be sent). True when they were created."""
        created = self._setup()
        self._set_up = True
        return created

    def _setup(self) -> bool:
        with self._errors():
            self._put_templates()
            if self.client.indices.exists_alias(name=self.names.documents):
                self.outdated = self._outdated_indices()
                if self.outdated:
                    log.warning(
                        "%s: %s were made for another mapping version than this release's "
                        "%d; reindexing at the next catch-up (searches read them meanwhile)",
                        self.url,
                        ", ".join(self.outdated),
                        requests.MAPPING_VERSION,
                    )
                return False
            now = dt.datetime.now(dt.UTC)
            actions = []
            for alias in self.aliases:
                index = self.names.index_name(alias, now)
                self.client.indices.create(index=index)
                actions.append({"add": {"index": index, "alias": alias}})
            self.client.indices.update_aliases(actions=actions)
        self.store.index_state.mark_all_pending()
        log.info("%s: created the indices of %s and %s", self.url, *self.aliases)
        return True

    def _outdated_indices(self) -> list[str]:
        return [
            index
            for alias in self.aliases
            for index in self._indices_of(alias)
            if not self.names.is_current(alias, index)
        ]

    def _put_templates(self) -> None:
        for alias in self.aliases:
            self.client.indices.put_index_template(
                name=self.names.template_name(alias), body=self.names.template(alias)
            )

    def reindex(self) -> int:
        """Build new versioned indices from the store, then point the aliases at them in
        one atomic request and drop the old ones; returns the documents indexed. If it
        fails half-way, the new indices are dropped and the aliases stay as they were."""
        now = dt.datetime.now(dt.UTC)
        new = {alias: self.names.index_name(alias, now) for alias in self.aliases}
        with self._errors():
            self._put_templates()  # a new release may bring a new mapping version
            old = {alias: self._indices_of(alias) for alias in new}
            for index in new.values():
                self.client.indices.create(index=index)
        try:
            sent = self._fill(new)
        except BaseException:
            with suppress(BackendError), self._errors():  # the first failure tells why
                self.client.options(ignore_status=404).indices.delete(index=list(new.values()))
            raise
        with self._errors():
            actions = [
                {"remove": {"index": index, "alias": alias}}
                for alias, indices in old.items()
                for index in indices
            ]
            actions += [{"add": {"index": index, "alias": alias}} for alias, index in new.items()]
            self.client.indices.update_aliases(actions=actions)
            for indices in old.values():
                if indices:
                    self.client.indices.delete(index=indices)
        # What was stored or reprocessed meanwhile went to the old index: pending again.
        self.store.index_state.mark_indexed_exactly(sent)
        self.outdated = []
        return len(sent)

    def _fill(self, indices: dict[str, str]) -> list[tuple[str, str]]:
        """Every stored record into ``indices`` (alias -> new index), refreshed; returns
        (id, fingerprint) of each record as sent."""
        sent: list[tuple[str, str]] = []
        for chunk in _chunks(self.store.documents(), CHUNK):
            outcome = self._bulk(chunk, *indices.values())
            if len(outcome.acknowledged) < len(chunk):
                raise BackendError(
                    f"{self.url}: Elasticsearch refused "
                    f"{len(chunk) - len(outcome.acknowledged)} documents while reindexing "
                    "(see the log); the aliases are unchanged"
                )
            sent += [(d.id, fingerprint(d.model_dump_json())) for d in chunk]
        with self._errors():
            self.client.indices.refresh(index=list(indices.values()))
        return sent

    def _upgrade(self) -> int:
        """Reindex the outdated indices into this mapping version. Holding the sending
        lock, so documents stored meanwhile wait and go to the new index afterwards."""
        old, self.outdated = self.outdated, []  # once: a failing reindex must not loop
        count = self.reindex()
        log.info(
            "%s: reindexed %d documents from %s into mapping version %d",
            self.url,
            count,
            ", ".join(old),
            requests.MAPPING_VERSION,
        )
        return count

    def _indices_of(self, alias: str) -> list[str]:
        if not self.client.indices.exists_alias(name=alias):
            return []
        return sorted(self.client.indices.get_alias(name=alias).body)

    def catch_up(self, refused: bool = False) -> int:
        """Send every record still waiting for the cluster (with ``refused``, also those
        it refused before); returns how many it acknowledged. Indices of another mapping
        version are first rebuilt (:meth:`reindex`, tried once per process: a failure is
        raised, and then ``archive reindex`` retries). Raises :class:`BackendUnavailable`
        when the cluster is down."""
        sent = 0
        with self._sending:
            if not self._set_up:
                self.setup()
            if self.outdated:
                sent += self._upgrade()
            if refused:
                self.store.index_state.requeue_refused()
            # Refused records leave the queue, so this ends whatever the cluster says.
            while (batch := self.store.index_state.pending(CHUNK))[0]:
                sent += self._send(*batch)
        return sent

    def _send(self, records: Sequence[Waiting], generation: str) -> int:
        documents = [Document.model_validate_json(r.record) for r in records]
        outcome = self._bulk(documents, *self.aliases, require_alias=True)
        replaced = [d for d, r in zip(documents, records, strict=True) if r.replaced]
        if replaced:
            with self._errors():
                # A reprocessed document may have fewer directives than before; those
                # sent a moment ago are visible to the delete only after a refresh.
                self.client.indices.refresh(index=self.names.directives)
                self.client.delete_by_query(
                    index=self.names.directives,
                    query=requests.stale_directives(replaced),
                    conflicts="proceed",
                    refresh=self.refresh is not None,
                )
        done = [(r.id, r.record) for r in records if r.id in outcome.acknowledged]
        self.store.index_state.mark_indexed(done, generation)
        self.store.index_state.mark_refused(sorted(outcome.refused))
        if outcome.busy:
            raise BackendUnavailable(
                f"Elasticsearch at {self.url} is overloaded: {len(outcome.busy)} documents "
                "were rejected after retries (429/5xx)"
            )
        return len(outcome.acknowledged)

    def _bulk(
        self,
        documents: Sequence[Document],
        into: str,
        directives_into: str,
        require_alias: bool = False,
    ) -> requests.BulkOutcome:
        """Index documents with their directives. ``require_alias``: writing to the
        aliases, never let a missing one become an index of that name with guessed
        mappings."""
        outcome = requests.BulkOutcome()
        actions = requests.bulk_actions(
            documents, documents_index=into, directives_index=directives_into
        )
        with self._errors():
            for ok, item in helpers.streaming_bulk(
                self.client,
                actions,
                chunk_size=CHUNK,
                max_chunk_bytes=10 * 1024 * 1024,
                raise_on_error=False,
                max_retries=3,  # for 429: with a growing pause, 1 s to 30 s
                initial_backoff=1,
                max_backoff=30,
                refresh=self.refresh,
                require_alias=require_alias or None,
            ):
                if not ok:
                    outcome.failed(item["index"], self.url)
        outcome.acknowledged = {d.id for d in documents} - outcome.refused - outcome.busy
        return outcome

    def _push(self, document: Document, replaced: bool = False) -> None:
        """Send a document just stored, unless the cluster failed a moment ago; when it
        fails, the document waits for :meth:`catch_up`."""
        if not self._set_up or time.monotonic() < self._retry_at:
            return
        if not self._sending.acquire(blocking=False):
            return
        try:
            generation = self.store.index_state.generation()
            self._send([Waiting(document.id, document.model_dump_json(), replaced)], generation)
        except BackendUnavailable as error:
            self._retry_at = time.monotonic() + RETRY_SECONDS
            log.warning("%s; documents wait in the store until it answers", error)
        finally:
            self._sending.release()

    # -- writes ------------------------------------------------------------------------

    def index(self, document: Document) -> bool:
        if not self.store.index(document):
            return False
        self._push(document)
        return True

    def replace(self, document: Document) -> None:
        self.store.replace(document)
        self._push(document, replaced=True)

    def delete(self, doc_id: str) -> bool:
        with self._errors():
            self.client.options(ignore_status=404).delete(
                index=self.names.documents, id=doc_id, refresh="wait_for"
            )
            self.client.delete_by_query(
                index=self.names.directives,
                query={"term": {"document_id": doc_id}},
                conflicts="proceed",
                refresh=True,
            )
        return self.store.delete(doc_id)

    # -- reads -------------------------------------------------------------------------

    def index_count(self) -> int:
        with self._errors():
            return self.client.count(index=self.names.documents)["count"]

    def pending_count(self) -> int:
        return self.store.index_state.count()

    def search(self, query: SearchQuery) -> SearchResult:
        terms = segment.query_terms(query.q)
        if query.q.strip() and not terms:
            return SearchResult(total=0, hits=[], facets={name: [] for name in FACETS})
        response = self._search(query, terms)
        hits = [
            hit(requests.document_of(found), terms, query, found.get("_score") or 0.0)
            for found in response["hits"]["hits"]
        ]
        return SearchResult(
            total=requests.total(response), hits=hits, facets=requests.facets(response, FACETS)
        )

    def found(self, query: SearchQuery) -> Found:
        terms = segment.query_terms(query.q)
        if query.q.strip() and not terms:
            return Found(total=0, documents=[])
        response = self._search(query, terms)
        documents = [requests.document_of(found) for found in response["hits"]["hits"]]
        return Found(total=requests.total(response), documents=documents)

    def _search(self, query: SearchQuery, terms: list[str]) -> dict[str, Any]:
        body = requests.search_body(query, terms)
        with self._errors():
            return self.client.search(index=self.names.documents, body=body).body

    def search_directives(self, query: DirectiveQuery) -> DirectiveResult:
        terms = segment.query_terms(query.q)
        if query.q.strip() and not terms:
            return DirectiveResult(total=0, hits=[], facets={n: [] for n in DIRECTIVE_FACETS})
        body = requests.directive_search_body(query, terms)
        with self._errors():
            response = self.client.search(index=self.names.directives, body=body).body
        hits = [requests.directive_hit(found) for found in response["hits"]["hits"]]
        return DirectiveResult(
            total=requests.total(response),
            hits=hits,
            facets=requests.facets(response, DIRECTIVE_FACETS),
        )

    def every_directive(self, query: DirectiveQuery) -> Iterator[DirectiveHit]:
        terms = segment.query_terms(query.q)
        if query.q.strip() and not terms:
            return
        after, skip = None, query.offset
        while True:
            body = requests.directive_export_body(query, terms, after)
            with self._errors():
                found = self.client.search(index=self.names.directives, body=body).body
            page = found["hits"]["hits"]
            for each in page:
                if skip:
                    skip -= 1
                    continue
                yield requests.directive_hit(each)
            if len(page) < requests.EXPORT_PAGE:
                return
            after = page[-1]["sort"]

    def close(self) -> None:
        self.store.close()
        self.client.close()

    # -- errors ------------------------------------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Elasticsearch's exceptions as the archive's: unreachable, overloaded or
        failing clusters are transient (:class:`BackendUnavailable`); a refused request
        (bad credentials, a bad mapping) is a :class:`BackendError`."""
        try:
            yield
        except ApiError as error:
            status = error.meta.status
            message = f"Elasticsearch at {self.url} answered {status}: {_reason(error)}"
            if status == 429 or status >= 500:
                raise BackendUnavailable(message) from error
            if status in (401, 403):
                message += " (check ARCHIVE_ES_USER/ARCHIVE_ES_PASSWORD or ARCHIVE_ES_API_KEY)"
            raise BackendError(message) from error
        except TransportError as error:
            raise BackendUnavailable(
                f"Elasticsearch at {self.url} is unreachable ({error.message})"
            ) from error
        except helpers.BulkIndexError as error:  # raised only for errors not per item
            raise BackendError(f"Elasticsearch at {self.url}: {error}") from error


def _reason(error: ApiError) -> str:
    body = error.body if isinstance(error.body, dict) else {}
    cause = body.get("error", {})
    if isinstance(cause, dict):
        return f"{cause.get('type', 'error')}: {cause.get('reason', '')}".strip(": ")
    return str(cause or error.message)


def _chunks(documents: Iterator[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for document in documents:
        chunk.append(document)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
