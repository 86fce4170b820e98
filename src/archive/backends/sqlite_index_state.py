"""Which stored records an external index (Elasticsearch) holds: the ``index_state``
column of the store's ``documents`` table.

A record is ``pending`` when stored, ``replaced`` when reprocessed (the index may still
hold parts of its old version, such as directives it no longer has), and ``indexed``
once the external index acknowledged it. The store's own full-text index is written with
the record, in the same transaction, and needs none of this.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Waiting:
    """A record the external index has not acknowledged yet."""

    id: str
    record: str
    """Its JSON as stored: ``mark_indexed`` takes it back, to tell a later version."""
    replaced: bool
    """Reprocessed since it was sent: the index may still hold parts of the old version."""


def fingerprint(record: str) -> str:
    """A short digest of a record's JSON: tells whether it changed since it was sent."""
    return hashlib.blake2b(record.encode("utf-8"), digest_size=12).hexdigest()


def migrate(conn: sqlite3.Connection) -> None:
    """Add the column to an archive from before Elasticsearch: its records are pending."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
    if "index_state" not in columns:
        conn.execute("ALTER TABLE documents ADD COLUMN index_state TEXT NOT NULL DEFAULT 'pending'")
    conn.execute(
        "CREATE INDEX IF NOT EXISTS documents_waiting ON documents (index_state)"
        " WHERE index_state != 'indexed'"
    )


def mark_replaced(conn: sqlite3.Connection, rowid: int) -> None:
    conn.execute("UPDATE documents SET index_state = 'replaced' WHERE rowid = ?", (rowid,))


def waiting(conn: sqlite3.Connection, limit: int) -> list[Waiting]:
    rows = conn.execute(
        "SELECT id, record, index_state FROM documents WHERE index_state != 'indexed'"
        " ORDER BY rowid LIMIT ?",
        (limit,),
    )
    return [Waiting(id_, record, state == "replaced") for id_, record, state in rows]


def count_waiting(conn: sqlite3.Connection) -> int:
    (count,) = conn.execute(
        "SELECT count(*) FROM documents WHERE index_state != 'indexed'"
    ).fetchone()
    return count


def mark_indexed(conn: sqlite3.Connection, records: Sequence[tuple[str, str]]) -> None:
    # Compared on the whole record: a version stored since it was read stays waiting.
    conn.executemany(
        "UPDATE documents SET index_state = 'indexed' WHERE id = ? AND record = ?", records
    )


def mark_indexed_exactly(conn: sqlite3.Connection, sent: Sequence[tuple[str, str]]) -> None:
    conn.create_function("fingerprint", 1, fingerprint, deterministic=True)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS sent (id TEXT PRIMARY KEY, print TEXT)")
    conn.execute("DELETE FROM temp.sent")
    conn.executemany("INSERT OR REPLACE INTO temp.sent VALUES (?, ?)", sent)
    conn.execute(
        "UPDATE documents SET index_state = CASE WHEN fingerprint(record) ="
        " (SELECT print FROM temp.sent s WHERE s.id = documents.id)"
        " THEN 'indexed' ELSE 'replaced' END"
    )
    conn.execute("DELETE FROM temp.sent")


def mark_all_pending(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE documents SET index_state = 'pending'")
