"""Directives in the embedded backend: each directive of a document is a searchable row.

Written in the document's transaction by :class:`archive.backends.sqlite.SqliteBackend`,
derived from the stored records like the rest of the index. The full-text table has the
documents' columns, so the same query expressions apply: the speaker and the topics fill
the "title" columns (a query naming the speaker ranks their directives first), the
requirement's text the body columns.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from archive import segment
from archive.backends.base import (
    DIRECTIVE_FACETS,
    DirectiveHit,
    DirectiveQuery,
    DirectiveResult,
    FacetValue,
)
from archive.normalize import normalize_text
from archive.records import Directive, Document

SCHEMA = """
CREATE TABLE directives (
    rowid INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL, position INTEGER NOT NULL,
    document_id TEXT NOT NULL, title TEXT NOT NULL, date TEXT, year INTEGER, year_source TEXT,
    meeting TEXT,
    record TEXT NOT NULL
);
CREATE INDEX directives_doc ON directives (doc);
CREATE TABLE directive_facets (
    directive INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (facet, value, directive)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE directive_search USING fts5 (
    title_words, words, title_grams, grams, tails,
    tokenize = "unicode61 remove_diacritics 0"
);
"""
TABLES = ("directives", "directive_facets", "directive_search")

_BM25 = "bm25(directive_search, 10.0, 4.0, 2.0, 1.0, 0.5)"


Rows = list[tuple[Directive, segment.SearchColumns]]
"""A document's directives with their full-text columns, made before the write lock."""


def rows(doc: Document) -> Rows:
    """Segment each directive of ``doc`` (the slow part of indexing it)."""
    return [
        (d, segment.search_columns(" ".join([d.speaker, *d.topics]), d.text))
        for d in doc.directives
    ]


def write(conn: sqlite3.Connection, doc_rowid: int | None, doc: Document, made: Rows) -> None:
    """Index the directives of a document just stored under ``doc_rowid``."""
    for position, (directive, columns) in enumerate(made):
        cursor = conn.execute(
            "INSERT INTO directives (doc, position, document_id, title, date, year, year_source,"
            " meeting, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc_rowid,
                position,
                doc.id,
                doc.title,
                doc.date.isoformat() if doc.date else None,
                doc.year,
                doc.year_source,
                doc.meeting.name,
                directive.model_dump_json(),
            ),
        )
        rowid = cursor.lastrowid
        conn.execute(
            "INSERT INTO directive_search (rowid, title_words, words, title_grams, grams, tails)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (rowid, *columns),
        )
        conn.executemany(
            "INSERT OR IGNORE INTO directive_facets (directive, facet, value) VALUES (?, ?, ?)",
            [(rowid, facet, value) for facet, value in facet_values(directive, doc.year)],
        )


def facet_values(directive: Directive, year: int | None) -> list[tuple[str, str]]:
    """The (facet, value) pairs a directive is counted under."""
    pairs = [("speaker", directive.speaker)]
    pairs += [("year", str(year))] if year is not None else []
    pairs += [("topic", topic) for topic in directive.topics]
    return pairs


def delete(conn: sqlite3.Connection, doc_rowid: int) -> None:
    """Remove the directives of one document."""
    rows = "SELECT rowid FROM directives WHERE doc = ?"
    conn.execute(f"DELETE FROM directive_search WHERE rowid IN ({rows})", (doc_rowid,))
    conn.execute(f"DELETE FROM directive_facets WHERE directive IN ({rows})", (doc_rowid,))
    conn.execute("DELETE FROM directives WHERE doc = ?", (doc_rowid,))


def search(
    conn: sqlite3.Connection, query: DirectiveQuery, match: Callable[[list[str]], str]
) -> DirectiveResult:
    """Answer a directive query; ``match`` builds the FTS5 expression of the terms (the
    documents' own, so both searches read a query alike)."""
    terms = segment.query_terms(query.q)
    if query.q.strip() and not terms:
        return DirectiveResult(total=0, hits=[], facets={name: [] for name in DIRECTIVE_FACETS})
    where, params = _filters(query)
    if terms:
        sql = (
            f"SELECT d.*, -{_BM25} AS score FROM directive_search"
            " JOIN directives d ON d.rowid = directive_search.rowid"
            f" WHERE directive_search MATCH ? AND {where}"
            " ORDER BY score DESC, d.date DESC, d.document_id, d.position LIMIT ? OFFSET ?"
        )
        expression = match(terms)
        args: list[Any] = [expression, *params]
        matching = "SELECT rowid FROM directive_search WHERE directive_search MATCH ?"
        where = f"{where} AND d.rowid IN ({matching})"
        params = [*params, expression]
    else:
        sql = (
            f"SELECT d.*, 0.0 AS score FROM directives d WHERE {where}"
            " ORDER BY d.date IS NULL, d.date DESC, d.document_id, d.position LIMIT ? OFFSET ?"
        )
        args = list(params)
    hits = [_hit(row) for row in conn.execute(sql, (*args, query.limit, query.offset))]
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS matched_directives (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.matched_directives")
    conn.execute(
        f"INSERT INTO temp.matched_directives SELECT d.rowid FROM directives d WHERE {where}",
        params,
    )
    (total,) = conn.execute("SELECT count(*) FROM temp.matched_directives").fetchone()
    return DirectiveResult(total=total, hits=hits, facets=_facets(conn, query.facet_size))


def _filters(query: DirectiveQuery) -> tuple[str, list[Any]]:
    where, params = ["1"], []
    if query.year is not None:
        where.append("d.year = ?")
        params.append(query.year)
    for facet in ("speaker", "topic"):
        value = getattr(query, facet)
        if value:
            where.append(
                "d.rowid IN (SELECT directive FROM directive_facets WHERE facet = ? AND value = ?)"
            )
            params += [facet, normalize_text(value)]
    return " AND ".join(where), params


def _facets(conn: sqlite3.Connection, size: int) -> dict[str, list[FacetValue]]:
    rows = conn.execute(
        "SELECT facet, value, n FROM ("
        " SELECT f.facet, f.value, count(*) AS n, row_number() OVER"
        "  (PARTITION BY f.facet ORDER BY count(*) DESC, f.value) AS rank"
        " FROM directive_facets f JOIN temp.matched_directives m ON m.id = f.directive"
        " GROUP BY f.facet, f.value"
        ") WHERE rank <= ? ORDER BY facet, rank",
        (size,),
    ).fetchall()
    facets: dict[str, list[FacetValue]] = {name: [] for name in DIRECTIVE_FACETS}
    for facet, value, n in rows:
        facets[facet].append(FacetValue(value=int(value) if facet == "year" else value, count=n))
    return facets


def _hit(row: sqlite3.Row) -> DirectiveHit:
    return DirectiveHit(
        document_id=row["document_id"],
        position=row["position"],
        title=row["title"],
        date=row["date"],
        year=row["year"],
        year_source=row["year_source"],
        meeting=row["meeting"],
        directive=Directive.model_validate_json(row["record"]),
        score=round(row["score"], 6),
    )
