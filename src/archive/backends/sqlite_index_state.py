"""Which stored records an external index (Elasticsearch) holds: the ``index_state``
column of the store's ``documents`` table.

A record is ``pending`` when stored, ``replaced`` when reprocessed (the index may still
hold parts of its old version, such as directives it no longer has), ``refused`` when the
index rejected it (a mapping error: sent again only on request, so it cannot hold up the
rest), and ``indexed`` once the external index acknowledged it. The store's own
full-text index is written with the record, in the same transaction, and needs none of
this.

Every full reindex starts a new *generation* (``meta.index_generation``): an
acknowledgement read before it, from the old index, marks nothing.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
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
    """The oldest records to send (not the refused ones)."""
    rows = conn.execute(
        "SELECT id, record, index_state FROM documents"
        " WHERE index_state IN ('pending', 'replaced') ORDER BY rowid LIMIT ?",
        (limit,),
    )
    return [Waiting(id_, record, state == "replaced") for id_, record, state in rows]


def requeue_refused(conn: sqlite3.Connection) -> int:
    # A refused record may have been a replaced one: clean up after it as after those.
    cursor = conn.execute(
        "UPDATE documents SET index_state = 'replaced' WHERE index_state = 'refused'"
    )
    return cursor.rowcount


def generation(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = 'index_generation'").fetchone()
    return row[0] if row else "0"


def mark_refused(conn: sqlite3.Connection, ids: Sequence[str]) -> None:
    conn.executemany(
        "UPDATE documents SET index_state = 'refused' WHERE id = ?", [(i,) for i in ids]
    )


def count_waiting(conn: sqlite3.Connection) -> int:
    (count,) = conn.execute(
        "SELECT count(*) FROM documents WHERE index_state != 'indexed'"
    ).fetchone()
    return count


def mark_indexed(
    conn: sqlite3.Connection, records: Sequence[tuple[str, str]], read_in: str
) -> None:
    """Mark acknowledged records (id, JSON as read) indexed, unless a reindex started a
    new generation since ``read_in`` (then the old index acknowledged them, in vain)."""
    if generation(conn) != read_in:
        return
    # Compared on the whole record: a version stored since it was read stays waiting.
    conn.executemany(
        "UPDATE documents SET index_state = 'indexed' WHERE id = ? AND record = ?", records
    )


def mark_indexed_exactly(conn: sqlite3.Connection, sent: Sequence[tuple[str, str]]) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('index_generation', ?)",
        (str(int(generation(conn)) + 1),),
    )
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


class IndexState:
    """These functions over the store's connection, each in a transaction of its own:
    ``SqliteBackend(...).index_state``."""

    def __init__(
        self, transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]
    ) -> None:
        self._transaction = transaction

    def pending(self, limit: int) -> tuple[list[Waiting], str]:
        """Up to ``limit`` records to send, oldest first (not those the index refused),
        and the generation they were read in, for :meth:`mark_indexed`."""
        with self._transaction() as conn:
            return waiting(conn, limit), generation(conn)

    def generation(self) -> str:
        with self._transaction() as conn:
            return generation(conn)

    def count(self) -> int:
        """Records the external index does not hold (refused ones included)."""
        with self._transaction() as conn:
            return count_waiting(conn)

    def mark_indexed(self, records: Sequence[tuple[str, str]], read_in: str) -> None:
        with self._transaction() as conn:
            mark_indexed(conn, records, read_in)

    def mark_refused(self, ids: Sequence[str]) -> None:
        with self._transaction() as conn:
            mark_refused(conn, ids)

    def requeue_refused(self) -> int:
        """Send the refused records again at the next catch-up; returns how many."""
        with self._transaction() as conn:
            return requeue_refused(conn)

    def mark_indexed_exactly(self, sent: Sequence[tuple[str, str]]) -> None:
        with self._transaction() as conn:
            mark_indexed_exactly(conn, sent)

    def mark_all_pending(self) -> None:
        """Every record waits for the external index again (it was created anew)."""
        with self._transaction() as conn:
            mark_all_pending(conn)
