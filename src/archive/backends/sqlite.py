"""The embedded backend: one SQLite file holds the documents and their full-text index.

The ``documents`` table is the source of truth (the whole record as JSON); the FTS5
table ``search`` and the facet tables are written in the same transaction, so the index
can never disagree with the store. The index is derived data: when the stored
``schema_version`` differs from this code's, it is rebuilt from the records at open.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive import segment
from archive.backends import sqlite_directives as directives
from archive.backends import sqlite_index_state as index_state
from archive.backends.base import (
    FACETS,
    MAX_LIMIT,
    DirectiveHit,
    DirectiveQuery,
    DirectiveResult,
    FacetValue,
    Found,
    SearchQuery,
    SearchResult,
    check_window,
    hit,
)
from archive.errors import BackendError, BackendUnavailable, DocumentNotFound
from archive.normalize import normalize_text
from archive.records import Document

log = logging.getLogger(__name__)

SCHEMA_VERSION = "7"
"""Bump when the tables or the way text becomes tokens change: the index is rebuilt."""


_Page = list[tuple[Document, float]]
"""A page of records with their scores, in rank order."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    date TEXT,
    year INTEGER,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_date ON documents (date);
"""
_INDEX_SCHEMA = """
CREATE TABLE facet_values (
    doc INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (facet, value, doc)
) WITHOUT ROWID;
CREATE INDEX facet_values_doc ON facet_values (doc, facet);
CREATE VIRTUAL TABLE search USING fts5 (
    title_words, words, title_grams, grams, tails,
    tokenize = "unicode61 remove_diacritics 0"
);
"""
_INDEX_TABLES = ("persons", "orgs", "facet_values", "search", *directives.TABLES)
"""Derived tables, dropped and rebuilt from the records on a schema change (persons and
orgs are the facet tables of schema 1 and 2)."""

# bm25 weights of the columns above: a word of the title counts most, a bigram-only
# (substring) match of the body least.
_BM25 = "bm25(search, 10.0, 4.0, 2.0, 1.0, 0.5)"

TITLE_BONUS = 100.0


class SqliteBackend:
    """The store of records, and the SQLite engine's full-text index in the same file.
    Safe to share between threads: each thread gets its own connection, and SQLite's WAL
    mode lets readers go on while one thread writes."""

    name = "sqlite"

    def __init__(self, path: Path | str, *, full_text: bool = True) -> None:
        """``full_text=False``: the store of records only, for the tantivy engine, which
        keeps its index beside the file (Elasticsearch's store keeps the full-text
        tables, so that the SQLite engine can take over with nothing to rebuild)."""
        self.path = Path(path)
        self.full_text = full_text
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.index_state = index_state.IndexState(self._transaction)
        """Which records an index outside this file (tantivy, Elasticsearch) holds."""
        self._migrate()

    # -- connections -------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # Each thread uses only its own connection; check_same_thread is off so that
            # close() may close them all from whichever thread shuts the backend down.
            conn = sqlite3.connect(
                self.path, timeout=10.0, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        with _translated_errors(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    # -- schema ------------------------------------------------------------------------

    def _migrate(self) -> None:
        # The index holds jieba's words: a new user dictionary (a title added to the
        # rules) changes them as surely as a new schema does.
        version = f"{SCHEMA_VERSION}-{segment.dictionary_fingerprint()}"
        if not self.full_text:
            version = "records-only"
        with self._transaction() as conn:
            for statement in _statements(_SCHEMA):
                conn.execute(statement)
            index_state.migrate(conn)
            if self.full_text:
                # Records may change here unseen by a tantivy index: it is rebuilt if it
                # is ever used again (see archive.backends.tantivy).
                index_state.distrust(conn)
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is not None and row["value"] == version:
                return
            count = self._rebuild_index(conn) if self.full_text else self._drop_index(conn)
            if count:
                log.warning(
                    "%s: rebuilt the search index of %d documents (schema %s -> %s)",
                    self.path,
                    count,
                    row["value"] if row else "none",
                    version,
                )
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                (version,),
            )

    def _drop_index(self, conn: sqlite3.Connection) -> int:
        """Drop the full-text tables (another engine holds the index); returns 0."""
        for table in _INDEX_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        return 0

    def _rebuild_index(self, conn: sqlite3.Connection) -> int:
        self._drop_index(conn)
        for statement in _statements(_INDEX_SCHEMA + directives.SCHEMA):
            conn.execute(statement)
        records = conn.execute("SELECT rowid, record FROM documents").fetchall()
        for record in records:
            doc = Document.model_validate_json(record["record"])
            _write_index(conn, record["rowid"], _IndexRows.of(doc))
        return len(records)

    def reindex(self) -> int:
        """Rebuild the search index from the records, in one transaction (searches see
        the old index until it commits); returns how many documents it holds."""
        with self._transaction() as conn:
            return self._rebuild_index(conn)

    # -- writes ------------------------------------------------------------------------

    def index(self, document: Document, *, tokens: str | None = None) -> bool:
        """``tokens``: what the external index needs of the record, kept with it until
        that index acknowledged it (see :mod:`archive.backends.sqlite_index_state`)."""
        # Segmenting is slow: not while holding the lock.
        rows = _IndexRows.of(document) if self.full_text else None
        with self._transaction() as conn:
            return _insert(conn, document, rows, tokens)

    def load(self, documents: Iterable[tuple[Document, segment.SearchColumns | None]]) -> set[str]:
        """Store many records in one transaction (benchmarks and imports), each with its
        full-text columns when already made (else they are made here). Records whose id is
        stored already are skipped; returns the ids stored."""
        stored: set[str] = set()
        with self._transaction() as conn:
            for document, columns in documents:
                rows = _IndexRows.of(document, columns) if self.full_text else None
                if _insert(conn, document, rows, None):
                    stored.add(document.id)
        return stored

    def replace(self, document: Document, *, tokens: str | None = None) -> None:
        rows = _IndexRows.of(document) if self.full_text else None
        with self._transaction() as conn:
            row = conn.execute("SELECT rowid FROM documents WHERE id = ?", (document.id,))
            found = row.fetchone()
            if found is None:
                raise DocumentNotFound(document.id)
            conn.execute(
                "UPDATE documents SET title = ?, date = ?, year = ?, record = ?, tokens = ?"
                " WHERE rowid = ?",
                (
                    document.title,
                    document.date.isoformat() if document.date else None,
                    document.year,
                    document.model_dump_json(),
                    tokens,
                    found["rowid"],
                ),
            )
            if rows is not None:
                _delete_index(conn, found["rowid"])
                _write_index(conn, found["rowid"], rows)
            index_state.mark_replaced(conn, found["rowid"])

    def documents(self) -> Iterator[Document]:
        # Pages by rowid: a long iteration holds no read transaction open.
        last = 0
        while True:
            rows = self._query_all(
                "SELECT rowid, record FROM documents WHERE rowid > ? ORDER BY rowid LIMIT 200",
                (last,),
            )
            if not rows:
                return
            for row in rows:
                yield Document.model_validate_json(row["record"])
            last = rows[-1]["rowid"]

    def delete(self, doc_id: str, *, tombstone: bool = False) -> bool:
        """``tombstone``: leave the id for the external index to delete too, in the same
        transaction (:meth:`IndexState.deletions`), so a crash cannot leave it there."""
        with self._transaction() as conn:
            row = conn.execute("SELECT rowid FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                return False
            if self.full_text:
                _delete_index(conn, row["rowid"])
            conn.execute("DELETE FROM documents WHERE rowid = ?", (row["rowid"],))
            if tombstone:
                index_state.bury(conn, doc_id)
            return True

    def index_count(self) -> int:
        return self._query_one("SELECT count(*) AS n FROM search", ())["n"]

    def pending_count(self) -> int:
        """This file's index is written with each record: nothing ever waits for it."""
        return 0

    # -- reads -------------------------------------------------------------------------

    def get(self, doc_id: str) -> Document:
        row = self._query_one("SELECT record FROM documents WHERE id = ?", (doc_id,))
        if row is None:
            raise DocumentNotFound(doc_id)
        return Document.model_validate_json(row["record"])

    def records(self, ids: Sequence[str]) -> dict[str, Document]:
        """The records of ``ids`` that are stored, by id, in one read."""
        marks = ", ".join("?" * len(ids))
        rows = self._query_all(f"SELECT record FROM documents WHERE id IN ({marks})", ids)
        found = (Document.model_validate_json(row["record"]) for row in rows)
        return {document.id: document for document in found}

    def contains(self, doc_id: str) -> bool:
        return self._query_one("SELECT 1 FROM documents WHERE id = ?", (doc_id,)) is not None

    def count(self) -> int:
        return self._query_one("SELECT count(*) AS n FROM documents", ())["n"]

    def search(self, query: SearchQuery) -> SearchResult:
        run = self._run(query)
        if run is None:
            return SearchResult(total=0, hits=[], facets={name: [] for name in FACETS})
        terms, page, total = run
        hits = [hit(document, terms, query, score) for document, score in page]
        return SearchResult(total=total, hits=hits, facets=self._facets(query.facet_size))

    def found(self, query: SearchQuery) -> Found:
        run = self._run(query)
        if run is None:
            return Found(total=0, documents=[])
        _, page, total = run
        return Found(total=total, documents=[document for document, _ in page])

    def _run(
        self, query: SearchQuery
    ) -> tuple[list[str], list[tuple[Document, float]], int] | None:
        """The terms of ``query``, its page of records with their scores, and the total;
        the matches stay in ``temp.matched`` for the facet counts. None when the query
        holds nothing to look for."""
        check_window(query.limit, query.offset)
        terms = segment.query_terms(query.q)
        if query.q.strip() and not terms:
            # Only punctuation or operators: nothing to look for, so nothing matches (an
            # empty query, by contrast, browses everything).
            return None
        where, params = _filters(query)
        page = self._page(query, terms, where, params)
        if terms:
            where = f"{where} AND d.rowid IN (SELECT rowid FROM search WHERE search MATCH ?)"
            params = [*params, _match_expression(terms)]
        conn = self._conn()
        with _translated_errors(self.path):
            # The matching documents, once: the total and every facet count read them.
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS matched (doc INTEGER PRIMARY KEY)")
            conn.execute("DELETE FROM temp.matched")
            conn.execute(
                f"INSERT INTO temp.matched SELECT d.rowid FROM documents d WHERE {where}", params
            )
        total = self._query_one("SELECT count(*) AS n FROM temp.matched", ())["n"]
        return terms, page, total

    def search_directives(self, query: DirectiveQuery) -> DirectiveResult:
        check_window(query.limit, query.offset)
        with _translated_errors(self.path):
            return directives.search(self._conn(), query, _match_expression)

    def every_directive(self, query: DirectiveQuery) -> Iterator[DirectiveHit]:
        offset = query.offset
        while True:
            page = query.model_copy(update={"limit": MAX_LIMIT, "offset": offset, "facet_size": 0})
            with _translated_errors(self.path):
                hits = directives.search(self._conn(), page, _match_expression).hits
            yield from hits
            if len(hits) < MAX_LIMIT:
                return
            offset += len(hits)

    def _facets(self, size: int) -> dict[str, list[FacetValue]]:
        """The ``size`` most frequent values of each facet among the matched documents."""
        rows = self._query_all(
            "SELECT facet, value, n FROM ("
            " SELECT f.facet, f.value, count(*) AS n, row_number() OVER"
            "  (PARTITION BY f.facet ORDER BY count(*) DESC, f.value) AS rank"
            " FROM facet_values f JOIN temp.matched m ON m.doc = f.doc"
            " GROUP BY f.facet, f.value"
            ") WHERE rank <= ? ORDER BY facet, rank",
            (size,),
        )
        facets: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
        for row in rows:
            value = int(row["value"]) if row["facet"] == "year" else row["value"]
            facets[row["facet"]].append(FacetValue(value=value, count=row["n"]))
        return facets

    def _page(
        self, query: SearchQuery, terms: list[str], where: str, params: Sequence[Any]
    ) -> _Page:
        if terms:
            # bm25 alone lets a long article that repeats the terms outrank one whose title
            # holds them; each term found in the title adds TITLE_BONUS, which dominates.
            in_title = " + ".join("(instr(d.title, ?) > 0)" for _ in terms)
            sql = (
                f"SELECT d.id, d.title, d.date, d.year, d.record,"
                f" -{_BM25} + {TITLE_BONUS} * ({in_title}) AS score"
                f" FROM search JOIN documents d ON d.rowid = search.rowid"
                f" WHERE search MATCH ? AND {where}"
                " ORDER BY score DESC, d.date DESC, d.id LIMIT ? OFFSET ?"
            )
            args: tuple[Any, ...] = (*terms, _match_expression(terms), *params)
        else:
            sql = (
                "SELECT d.id, d.title, d.date, d.year, d.record, 0.0 AS score"
                f" FROM documents d WHERE {where}"
                " ORDER BY d.date IS NULL, d.date DESC, d.id LIMIT ? OFFSET ?"
            )
            args = tuple(params)
        rows = self._query_all(sql, (*args, query.limit, query.offset))
        return [(Document.model_validate_json(row["record"]), row["score"]) for row in rows]

    def _query_one(self, sql: str, params: Sequence[Any]) -> sqlite3.Row | None:
        with _translated_errors(self.path):
            return self._conn().execute(sql, params).fetchone()

    def _query_all(self, sql: str, params: Sequence[Any]) -> list[sqlite3.Row]:
        with _translated_errors(self.path):
            return self._conn().execute(sql, params).fetchall()


class StoredRecords:
    """The record reads of a backend that keeps its records in a :class:`SqliteBackend`
    (``self.store``) and its search index elsewhere (tantivy, Elasticsearch)."""

    store: SqliteBackend

    def documents(self) -> Iterator[Document]:
        return self.store.documents()

    def get(self, doc_id: str) -> Document:
        return self.store.get(doc_id)

    def contains(self, doc_id: str) -> bool:
        return self.store.contains(doc_id)

    def count(self) -> int:
        return self.store.count()


# -- query building (pure) ------------------------------------------------------------


def _phrase(tokens: Sequence[str]) -> str:
    return '"' + " ".join(token.replace('"', '""') for token in tokens) + '"'


def _match_expression(terms: Sequence[str]) -> str:
    """An FTS5 expression: every term must match, as a phrase of its jieba words or of
    its bigrams. User text never reaches FTS5 syntax unquoted."""
    clauses = []
    for term in terms:
        word_phrase = _phrase(segment.words(term))
        if lone := segment.lone_character(term):
            char = _phrase([lone])
            gram_clause = f"({{title_grams grams}} : {char}* OR tails : {char})"
        else:
            gram_clause = f"{{title_grams grams}} : {_phrase(segment.grams(term))}"
        clauses.append(f"({{title_words words}} : {word_phrase} OR {gram_clause})")
    return " AND ".join(clauses)


def _filters(query: SearchQuery) -> tuple[str, list[Any]]:
    """SQL conditions on ``documents d`` for the facet filters of a query."""
    where: list[str] = ["1"]
    params: list[Any] = []
    if query.year is not None:
        where.append("d.year = ?")
        params.append(query.year)
    for facet, value in query.filters().items():
        where.append("d.rowid IN (SELECT doc FROM facet_values WHERE facet = ? AND value = ?)")
        params += [facet, normalize_text(value)]
    return " AND ".join(where), params


def _insert(
    conn: sqlite3.Connection, document: Document, rows: _IndexRows | None, tokens: str | None
) -> bool:
    """Store a new record (and its full-text rows, when given); False when its id is
    stored already."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO documents (id, title, date, year, record, tokens)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            document.id,
            document.title,
            document.date.isoformat() if document.date else None,
            document.year,
            document.model_dump_json(),
            tokens,
        ),
    )
    if cursor.rowcount == 0:
        return False
    if rows is not None:
        _write_index(conn, cursor.lastrowid, rows)
    return True


def _delete_index(conn: sqlite3.Connection, rowid: int) -> None:
    for table, key in (("facet_values", "doc"), ("search", "rowid")):
        conn.execute(f"DELETE FROM {table} WHERE {key} = ?", (rowid,))
    directives.delete(conn, rowid)


@dataclass(frozen=True)
class _IndexRows:
    """What a document adds to the index, made before the write transaction."""

    document: Document
    search: segment.SearchColumns
    directives: directives.Rows

    @classmethod
    def of(cls, doc: Document, columns: segment.SearchColumns | None = None) -> _IndexRows:
        columns = columns or segment.search_columns(doc.title, doc.text)
        return cls(doc, columns, directives.rows(doc))


def _write_index(conn: sqlite3.Connection, rowid: int | None, rows: _IndexRows) -> None:
    conn.execute(
        "INSERT INTO search (rowid, title_words, words, title_grams, grams, tails)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (rowid, *rows.search),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO facet_values (doc, facet, value) VALUES (?, ?, ?)",
        [(rowid, facet, value) for facet, value in facet_values(rows.document)],
    )
    directives.write(conn, rowid, rows.document, rows.directives)


def facet_values(doc: Document) -> list[tuple[str, str]]:
    """The (facet, value) pairs a document is counted under."""
    pairs = [("year", str(doc.year))] if doc.year is not None else []
    pairs += [("person", person.name) for person in doc.persons]
    pairs += [("title", title) for person in doc.persons for title in person.titles]
    pairs += [("org", org) for org in doc.orgs]
    pairs += [("place", place) for place in doc.places]
    if doc.meeting.type:
        pairs.append(("meeting_type", doc.meeting.type))
    return pairs


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


@contextmanager
def _translated_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if "locked" in message or "busy" in message:
            raise BackendUnavailable(f"{path}: the database is busy ({message})") from exc
        raise BackendError(f"{path}: {message}") from exc
    except sqlite3.DatabaseError as exc:
        raise BackendError(f"{path}: {exc}") from exc
