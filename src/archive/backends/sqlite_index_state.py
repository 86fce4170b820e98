"""Which stored records an index outside the store holds (the tantivy index beside it,
or Elasticsearch): the ``index_state`` column of the store's ``documents`` table, the
outbox of that index.

A record is ``pending`` when stored, ``replaced`` when reprocessed (the index may still
hold parts of its old version, such as directives it no longer has), ``refused`` when the
index rejected it (sent again only on request, so it cannot hold up the rest), and
``indexed`` once the index acknowledged it. A record may wait with its ``tokens`` (what
the index needs of it, made by the process that stored it). A deleted record leaves its
id in ``index_deletions`` until the index deleted it too. The SQLite engine's own
full-text tables are written with the record, in the same transaction, and need none of
this.

Every full reindex starts a new *generation* (``meta.index_generation``): an
acknowledgement read before it, from the old index, marks nothing. ``meta.index_owner``
says which index the states describe: another one starts with every record pending.
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
    tokens: str | None = None
    """What the index needs of it, made when it was stored (the embedded engine's
    segmented text), or None: then it is made again from the record."""


def fingerprint(record: str) -> str:
    """A short digest of a record's JSON: tells whether it changed since it was sent."""
    return hashlib.blake2b(record.encode("utf-8"), digest_size=12).hexdigest()


def migrate(conn: sqlite3.Connection) -> None:
    """Add the column to an archive from before Elasticsearch: its records are pending."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
    if "index_state" not in columns:
        conn.execute("ALTER TABLE documents ADD COLUMN index_state TEXT NOT NULL DEFAULT 'pending'")
    if "tokens" not in columns:
        conn.execute("ALTER TABLE documents ADD COLUMN tokens TEXT")
    conn.execute("CREATE TABLE IF NOT EXISTS index_deletions (id TEXT PRIMARY KEY)")
    conn.execute(
        "CREATE INDEX IF NOT EXISTS documents_waiting ON documents (index_state)"
        " WHERE index_state != 'indexed'"
    )


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


def claim(conn: sqlite3.Connection, owner: str) -> bool:
    """Make ``owner`` the index the states describe; when another was, every record
    waits for this one (True)."""
    if _meta(conn, "index_owner") == owner:
        return False
    mark_all_pending(conn)
    _set_meta(conn, "index_owner", owner)
    return True


def trusted(conn: sqlite3.Connection) -> str | None:
    """The tantivy index built from these records and kept up with them since."""
    return _meta(conn, "index_trusted")


def distrust(conn: sqlite3.Connection) -> None:
    """Records change now where a tantivy index does not see them."""
    conn.execute("DELETE FROM meta WHERE key = 'index_trusted'")


def bury(conn: sqlite3.Connection, doc_id: str) -> None:
    conn.execute("INSERT OR IGNORE INTO index_deletions (id) VALUES (?)", (doc_id,))


def mark_replaced(conn: sqlite3.Connection, rowid: int) -> None:
    conn.execute("UPDATE documents SET index_state = 'replaced' WHERE rowid = ?", (rowid,))


def waiting(conn: sqlite3.Connection, limit: int) -> list[Waiting]:
    """The oldest records to send (not the refused ones)."""
    rows = conn.execute(
        "SELECT id, record, index_state, tokens FROM documents"
        " WHERE index_state IN ('pending', 'replaced') ORDER BY rowid LIMIT ?",
        (limit,),
    )
    return [
        Waiting(id_, record, state == "replaced", tokens) for id_, record, state, tokens in rows
    ]


def requeue_refused(conn: sqlite3.Connection) -> int:
    # A refused record may have been a replaced one: clean up after it as after those.
    cursor = conn.execute(
        "UPDATE documents SET index_state = 'replaced' WHERE index_state = 'refused'"
    )
    return cursor.rowcount


def generation(conn: sqlite3.Connection) -> str:
    return _meta(conn, "index_generation") or "0"


def new_generation(conn: sqlite3.Connection) -> None:
    _set_meta(conn, "index_generation", str(int(generation(conn)) + 1))


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
        "UPDATE documents SET index_state = 'indexed', tokens = NULL WHERE id = ? AND record = ?",
        records,
    )


def mark_indexed_exactly(
    conn: sqlite3.Connection, sent: Sequence[tuple[str, str]], trusted: str | None = None
) -> None:
    new_generation(conn)
    if trusted is not None:
        _set_meta(conn, "index_trusted", trusted)
    conn.create_function("fingerprint", 1, fingerprint, deterministic=True)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS sent (id TEXT PRIMARY KEY, print TEXT)")
    conn.execute("DELETE FROM temp.sent")
    conn.executemany("INSERT OR REPLACE INTO temp.sent VALUES (?, ?)", sent)
    conn.execute(
        "UPDATE documents SET index_state = CASE WHEN fingerprint(record) ="
        " (SELECT print FROM temp.sent s WHERE s.id = documents.id)"
        " THEN 'indexed' ELSE 'replaced' END"
    )
    conn.execute("UPDATE documents SET tokens = NULL WHERE index_state = 'indexed'")
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

    def mark_indexed_exactly(
        self, sent: Sequence[tuple[str, str]], trusted: str | None = None
    ) -> None:
        """Mark the records sent to a new index (id, fingerprint of its JSON) indexed and
        every other one waiting, in a new generation; ``trusted``: the tantivy index that
        now holds them."""
        with self._transaction() as conn:
            mark_indexed_exactly(conn, sent, trusted)

    def new_generation(self) -> None:
        """Acknowledgements read before now mark nothing (a rebuild starts)."""
        with self._transaction() as conn:
            new_generation(conn)

    def claim(self, owner: str) -> bool:
        with self._transaction() as conn:
            return claim(conn, owner)

    def trusted(self) -> str | None:
        with self._transaction() as conn:
            return trusted(conn)

    def still_waiting(self, ids: Sequence[str]) -> dict[str, str]:
        """The records of ``ids`` that still wait, by id (their JSON as stored now)."""
        marks = ", ".join("?" * len(ids))
        with self._transaction() as conn:
            rows = conn.execute(
                f"SELECT id, record FROM documents WHERE id IN ({marks})"
                " AND index_state IN ('pending', 'replaced')",
                list(ids),
            )
            return dict(rows.fetchall())

    def deletions(self) -> list[str]:
        """Ids deleted from the store that the index may still hold."""
        with self._transaction() as conn:
            return [row[0] for row in conn.execute("SELECT id FROM index_deletions")]

    def forget_deletions(self, ids: Sequence[str]) -> None:
        with self._transaction() as conn:
            conn.executemany("DELETE FROM index_deletions WHERE id = ?", [(i,) for i in ids])

    def mark_all_pending(self) -> None:
        """Every record waits for the external index again (it was created anew)."""
        with self._transaction() as conn:
            mark_all_pending(conn)
