"""The default engine: records in the SQLite store, search in a tantivy index beside it.

The store (``archive.sqlite3``) is the source of truth, as with Elasticsearch: a record is
stored ``pending`` and marked ``indexed`` once a tantivy commit holds it; a deleted one
leaves its id until the index deleted it too. The index (``index/``, see
:mod:`archive.backends.tantivy_folder`) is derived: built from the store when missing,
made by another release or not kept up with the records (another engine wrote them),
rebuilt by :meth:`TantivyBackend.reindex` while searches read the old one, and caught up
after a crash from what still waits.

tantivy lets one process at a time write an index. The first process to write takes the
writer and keeps it until it closes (the service, for its whole life). Any other process
(``archive ingest`` or ``reprocess`` beside the service, backfill workers) stores its
records with their segmented text (``tokens``) and leaves them pending; the process
holding the writer indexes them within a second (:meth:`TantivyBackend.catch_up`, run by
each process's ticker thread; every ``catch_up_seconds``, five in a backfill), or the
storing process itself when the writer is free.

Writes are committed in batches: every :data:`COMMIT_EVERY` records, a moment after the
last write (:data:`COMMIT_AFTER_SECONDS`), before any search of this process (so a write
is visible to the next search at once), and at close.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import tantivy

from archive.backends import tantivy_folder as folders
from archive.backends import tantivy_index as ix
from archive.backends import tantivy_search as reading
from archive.backends.base import DirectiveQuery, SearchQuery
from archive.backends.sqlite import SqliteBackend, StoredRecords
from archive.backends.sqlite_index_state import Waiting
from archive.errors import BackendError, BackendUnavailable
from archive.records import Document

log = logging.getLogger(__name__)

COMMIT_EVERY = 1000
"""Records added before a commit is forced (bulk loads)."""
COMMIT_AFTER_SECONDS = 0.2
"""A commit follows this long after the last write, for other processes to see it."""
CATCH_UP_SECONDS = 0.5
"""How often a process looks for records other processes left pending."""
CHUNK = 500
"""Records per commit when catching up."""
WRITER_HEAP = 64_000_000
"""Bytes tantivy buffers before it writes a segment (one indexing thread)."""
WARM_AFTER_SECONDS = 1.0
"""Once writes and commits pause this long, the facets of the first page (every document, every
directive) are counted again, so that opening the page finds them ready."""
CLOSE_WAIT_SECONDS = 5.0
"""How long closing waits for the records this process left to another writer."""


class TantivyBackend(StoredRecords, reading.Searching):
    """The tantivy search backend. Safe to share between threads."""

    name = "tantivy"

    _shared: dict[tuple[int, Path, Path], TantivyBackend] = {}
    _shared_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        database: Path | str,
        folder: Path | str,
        *,
        writes_index: bool = True,
        catch_up_seconds: float | None = None,
    ) -> TantivyBackend:
        """The process's one backend of this archive, opened once and shared until the
        last user closes it: tantivy gives one writer per index, and the API, the inbox
        and each flow run of the service then write through it and see each other's
        writes at once. ``catch_up_seconds`` applies when this call opens it."""
        # With the process id: a forked child must not take its parent's writer.
        key = (os.getpid(), Path(database).resolve(), Path(folder).resolve())
        with cls._shared_lock:
            backend = cls._shared.get(key)
            if backend is None:
                backend = cls(
                    database, folder, writes_index=writes_index, catch_up_seconds=catch_up_seconds
                )
                cls._shared[key] = backend
                backend._key = key
            backend._users += 1
            return backend

    def __init__(
        self,
        database: Path | str,
        folder: Path | str,
        *,
        writes_index: bool = True,
        catch_up_seconds: float | None = None,
    ) -> None:
        """``writes_index=False``: never take the writer; every record stored waits, with
        its tokens, for the process that writes (a backfill's workers, whose parent
        indexes what they store: a worker waiting on index commits is a worker idle).
        ``catch_up_seconds``: how often to look for records other processes stored
        (default :data:`CATCH_UP_SECONDS`)."""
        self.writes_index = writes_index
        self.catch_up_seconds = CATCH_UP_SECONDS if catch_up_seconds is None else catch_up_seconds
        self._key: tuple[int, Path, Path] | None = None
        self._users = 0
        self.store = SqliteBackend(database, full_text=False)
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._writer: tantivy.IndexWriter | None = None
        self._writer_tried = 0.0
        self._uncommitted: list[tuple[str, str]] = []
        """(id, record JSON) added to the writer since its last commit."""
        self._left: set[str] = set()
        """Records this process stored for another process's writer to index."""
        self._dirty = False
        self._last_write = 0.0
        self._generation = "0"
        self._facets = reading.FacetCache()
        self._unwarmed = False
        self._last_commit = 0.0
        self._stop = threading.Event()
        self.store.index_state.claim("tantivy")
        self._current, self._index = self._open_current()
        if self.store.index_state.count() or self.store.index_state.deletions():
            self.catch_up()
        self._ticker = threading.Thread(target=self._tick, name="index commits", daemon=True)
        self._ticker.start()

    # -- the index folder ---------------------------------------------------------------

    def _open_current(self) -> tuple[str, tantivy.Index]:
        """The index searches read, built from the store first unless it is the one the
        store trusts (of this release, built from these records and kept up with them)."""
        with folders.exclusive(self.folder):
            current = folders.current(self.folder)
            index = None
            if current is not None and current == self.store.index_state.trusted():
                index = folders.open_if_sound(self.folder, current)
            if current is None or index is None:
                count = self.store.count()
                current = folders.build(self.folder, self.store)
                index = folders.open_index(self.folder, current)
                if count:
                    log.warning("%s: built the search index of %d documents", self.folder, count)
        folders.remove_old(self.folder)
        return current, index

    def _switch_if_rebuilt(self) -> None:
        """Follow a rebuild another process (or thread) made: the writer and searches
        move to the new index."""
        if folders.current(self.folder) == self._current:
            return
        detached = None
        with self._lock:
            current = folders.current(self.folder)
            if current is None or current == self._current:
                return
            self._commit()
            detached, self._writer = self._writer, None
            self._current, self._index = current, folders.open_index(self.folder, current)
        if detached is not None:  # merges may take a while: not while holding the lock
            detached.wait_merging_threads()
        folders.remove_old(self.folder)

    def reindex(self) -> int:
        """Rebuild the index from the records into a new folder, then switch to it; the
        old one answers searches until then. Returns the documents indexed."""
        with folders.exclusive(self.folder):
            folders.build(self.folder, self.store)
        self._switch_if_rebuilt()
        self.catch_up()
        return self.index_count()

    # -- the writer ---------------------------------------------------------------------

    def _take_writer(self) -> tantivy.IndexWriter | None:
        """This process's writer of the current index, taken when free; None while
        another process holds it (tried again at most once a second). Hold the lock."""
        if self._writer is not None:
            return self._writer
        if not self.writes_index or time.monotonic() - self._writer_tried < 1.0:
            return None
        self._writer_tried = time.monotonic()
        # The generation first: if a rebuild ends after this, its bump makes what this
        # writer acknowledges mark nothing, instead of records only the old index holds.
        generation = self.store.index_state.generation()
        self._switch_if_rebuilt()
        try:
            self._writer = self._index.writer(heap_size=WRITER_HEAP, num_threads=1)
        except ValueError as error:
            if "LockBusy" in str(error):
                return None
            raise BackendError(f"{self.folder / self._current}: {error}") from error
        self._generation = generation
        return self._writer

    def _wait_for_writer(self, seconds: float) -> tantivy.IndexWriter | None:
        """The writer, waiting up to ``seconds`` for another process to let it go (not
        while holding the lock: searches go on meanwhile)."""
        deadline = time.monotonic() + seconds
        while True:
            with self._lock:
                self._writer_tried = 0.0
                if (writer := self._take_writer()) is not None:
                    return writer
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.05)

    def _add(self, writer: tantivy.IndexWriter, document: Document, tokens: ix.Tokens) -> None:
        writer.delete_documents_by_term("document_id", document.id)
        for entry in ix.entries(document, tokens):
            writer.add_document(entry)

    def _commit(self) -> None:
        """Commit what was added, and mark it indexed. Hold the lock."""
        if self._writer is None or not self._dirty:
            return
        try:
            self._writer.commit()
        except ValueError as error:
            raise BackendError(f"{self.folder / self._current}: {error}") from error
        self.store.index_state.mark_indexed(self._uncommitted, self._generation)
        self._uncommitted = []
        self._dirty = False
        self._unwarmed = True
        self._last_commit = time.monotonic()
        self._index.reload()

    def _tick(self) -> None:
        """Commit a moment after the last write; pick up what other processes left;
        once writes pause, count the first page's facets ahead of the next visitor."""
        caught_up = time.monotonic()
        while not self._stop.wait(COMMIT_AFTER_SECONDS / 2):
            try:
                idle = time.monotonic() - self._last_write
                with self._lock:
                    if self._dirty and idle >= COMMIT_AFTER_SECONDS:
                        self._commit()
                if time.monotonic() - caught_up >= self.catch_up_seconds:
                    caught_up = time.monotonic()
                    self._switch_if_rebuilt()
                    state = self.store.index_state
                    if self._writer is not None or state.count() or state.deletions():
                        self.catch_up(commit=False)
                quiet = time.monotonic() - max(self._last_write, self._last_commit)
                if self._writer is not None and self._unwarmed and quiet >= WARM_AFTER_SECONDS:
                    self._unwarmed = False
                    self.search(SearchQuery(limit=0))
                    self.search_directives(DirectiveQuery(limit=0))
            except Exception:  # the next tick tries again; the records wait in the store
                log.exception("%s: keeping the search index up to date failed", self.folder)

    # -- writes ------------------------------------------------------------------------

    def index(self, document: Document) -> bool:
        tokens = ix.Tokens.of(document)  # segmenting is slow: not while holding the lock
        with self._lock:
            writer = self._take_writer()
            if writer is None:
                stored = self.store.index(document, tokens=tokens.to_json())
                if stored:
                    self._left.add(document.id)
                return stored
            if not self.store.index(document):
                return False
            self._added(writer, document, tokens)
        return True

    def replace(self, document: Document) -> None:
        tokens = ix.Tokens.of(document)
        with self._lock:
            writer = self._take_writer()
            if writer is None:
                self.store.replace(document, tokens=tokens.to_json())
                self._left.add(document.id)
                return
            self.store.replace(document)
            self._added(writer, document, tokens)

    def _added(self, writer: tantivy.IndexWriter, document: Document, tokens: ix.Tokens) -> None:
        self._add(writer, document, tokens)
        self._uncommitted.append((document.id, document.model_dump_json()))
        self._dirty = True
        self._last_write = time.monotonic()
        if len(self._uncommitted) >= COMMIT_EVERY:
            self._commit()

    def load(self, documents: Iterable[tuple[Document, ix.Tokens]], batch: int = 5000) -> int:
        """Store and index many records, their tokens already made, in large transactions
        and commits (benchmarks and imports); returns how many were new."""
        stored = 0
        items = iter(documents)
        while chunk := list(itertools.islice(items, batch)):
            if self._wait_for_writer(60.0) is None:
                raise BackendUnavailable(f"{self.folder}: another process writes the index")
            with self._lock:
                writer = self._take_writer()
                assert writer is not None  # taken above; only close() lets it go
                new = self.store.load((document, None) for document, _ in chunk)
                for document, tokens in chunk:
                    if document.id in new:
                        self._add(writer, document, tokens)
                        self._uncommitted.append((document.id, document.model_dump_json()))
                self._dirty = True
                self._commit()
            stored += len(new)
        return stored

    def delete(self, doc_id: str) -> bool:
        """Delete the record, leaving its id for the index to delete too (at once when
        this process can write the index, else by the process that writes it). Waits
        while a rebuild runs: a rebuild that read the record would bring it back."""
        with folders.exclusive(self.folder):
            deleted = self.store.delete(doc_id, tombstone=True)
        self.catch_up()
        return deleted

    def catch_up(self, *, commit: bool = True) -> int:
        """Index the records left pending (by other processes, or by a crash), and delete
        what was deleted, when this process can write the index; returns how many records
        it indexed. Without ``commit``, they are committed with this process's own writes
        (the ticker's way: a commit holds up every write of the process meanwhile)."""
        done = 0
        seen: set[str] = set()
        with self._lock:
            if self._take_writer() is None:
                return 0
            self._delete_buried()
        while True:
            waiting, generation = self.store.index_state.pending(CHUNK)
            with self._lock:  # this process's own are in the writer, waiting for a commit
                seen.update(doc_id for doc_id, _ in self._uncommitted)
            fresh = [w for w in waiting if w.id not in seen]
            if not fresh:  # stored again meanwhile, or a rebuild started: next time
                break
            seen.update(w.id for w in fresh)
            prepared = _prepared(fresh)  # segmenting: outside the lock
            with self._lock:
                writer = self._take_writer()
                if writer is None or generation != self._generation:
                    break
                # Only what still waits as it was read: a version stored since is in the
                # writer already (this process) or waits for the next round.
                now = self.store.index_state.still_waiting([w.id for w, _, _ in prepared])
                for waited, document, tokens in prepared:
                    if now.get(waited.id) != waited.record:
                        continue
                    if document is None or not self._added_safely(writer, document, tokens):
                        self.store.index_state.mark_refused([waited.id])
                        continue
                    self._uncommitted.append((waited.id, waited.record))
                    self._dirty = True
                    done += 1
                if len(self._uncommitted) >= COMMIT_EVERY:
                    self._commit()
        if commit:
            with self._lock:
                self._commit()
        return done

    def _added_safely(
        self, writer: tantivy.IndexWriter, document: Document, tokens: ix.Tokens | None
    ) -> bool:
        try:
            self._add(writer, document, tokens or ix.Tokens.of(document))
        except (ValueError, TypeError) as error:  # one bad record must not stop the rest
            log.error("%s: not indexed (%s); `archive reindex` tries again", document.id, error)
            return False
        return True

    def _delete_buried(self) -> None:
        """Delete from the index what was deleted from the store. Hold the lock."""
        buried = self.store.index_state.deletions()
        if not buried or self._writer is None:
            return
        for doc_id in buried:
            self._writer.delete_documents_by_term("document_id", doc_id)
        self._dirty = True
        self._commit()
        self.store.index_state.forget_deletions(buried)

    def close(self) -> None:
        if self._key is not None:
            with self._shared_lock:
                self._users -= 1
                if self._users > 0:
                    return
                del self._shared[self._key]
        self._stop.set()
        self._ticker.join()
        if self._left and self._writer is None and self.writes_index:
            self._hand_over()
        with self._lock:
            self._writer_tried = 0.0
            self.catch_up()
            self._commit()
            writer, self._writer = self._writer, None
        if writer is not None:
            writer.wait_merging_threads()
        self.store.close()

    def _hand_over(self) -> None:
        """Before leaving: see the records this process left waiting indexed, by the
        process that writes (within a second), or by this one once the writer is free."""
        deadline = time.monotonic() + CLOSE_WAIT_SECONDS
        while time.monotonic() < deadline:
            if not self.store.index_state.still_waiting(sorted(self._left)):
                return
            with self._lock:
                self._writer_tried = 0.0
                if self._take_writer() is not None:
                    return  # close() catches up with it
            time.sleep(0.1)
        log.warning(
            "%s: %d records stored by this process still wait for the search index; the "
            "next process that opens the archive indexes them",
            self.folder,
            len(self._left),
        )

    # -- reads -------------------------------------------------------------------------

    def index_count(self) -> int:
        searcher = self._searcher()
        kind = tantivy.Query.term_query(ix.schema(), "kind", "document")
        return searcher.search(kind, 1, count=True).count or 0

    def pending_count(self) -> int:
        return self.store.index_state.count()

    def wait_until_indexed(self, seconds: float) -> bool:
        """Index what waits, when this process can take the writer; else wait for the
        process that holds it, until no stored record waits (refused ones aside: they wait
        for ``archive reindex``) or ``seconds`` are up. False if records still wait."""
        deadline = time.monotonic() + seconds
        while self.catch_up() or self.store.index_state.pending(1)[0]:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def _searcher(self) -> tantivy.Searcher:
        """A searcher of the current index, with every write of this process in it, and
        every commit of another process."""
        self._switch_if_rebuilt()
        with self._lock:
            if self._writer is not None:
                self._commit()
            else:
                # Its folder may have gone with a rebuild a moment ago: the next search
                # switches to the new one.
                with contextlib.suppress(ValueError):
                    self._index.reload()
            return self._index.searcher()


def _prepared(
    waiting: Sequence[Waiting],
) -> list[tuple[Waiting, Document | None, ix.Tokens | None]]:
    """Each waiting record read back, with its tokens when it came with them; None for a
    record that no longer reads (refused, with the reason logged)."""
    prepared: list[tuple[Waiting, Document | None, ix.Tokens | None]] = []
    for each in waiting:
        try:
            document = Document.model_validate_json(each.record)
        except ValueError as error:
            log.error("%s: its record does not read (%s); not indexed", each.id, error)
            prepared.append((each, None, None))
            continue
        tokens = ix.Tokens.from_json(each.tokens) if each.tokens else ix.Tokens.of(document)
        prepared.append((each, document, tokens))
    return prepared
