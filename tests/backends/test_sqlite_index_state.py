"""The store's record of what Elasticsearch holds (``index_state``), on a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from archive.backends.sqlite import SqliteBackend
from archive.backends.sqlite_index_state import fingerprint
from tests.backends.test_conformance import CORPUS


def test_stored_records_wait_until_marked_indexed(tmp_path: Path) -> None:
    store = SqliteBackend(tmp_path / "archive.sqlite3")
    for document in CORPUS[:3]:
        store.index(document)
    waiting, generation = store.index_state.pending(10)
    assert [w.id for w in waiting] == [d.id for d in CORPUS[:3]], "oldest first"
    assert not any(w.replaced for w in waiting)
    store.index_state.mark_indexed([(w.id, w.record) for w in waiting[:2]], generation)
    assert [w.id for w in store.index_state.pending(10)[0]] == [CORPUS[2].id]
    assert store.index_state.count() == 1
    assert store.pending_count() == 0, "the store's own index never waits"
    store.close()


def test_a_record_replaced_after_it_was_read_stays_waiting(tmp_path: Path) -> None:
    store = SqliteBackend(tmp_path / "archive.sqlite3")
    store.index(CORPUS[0])
    (read,), generation = store.index_state.pending(10)
    store.replace(CORPUS[0].model_copy(update={"title": "改过的标题"}))
    store.index_state.mark_indexed(
        [(read.id, read.record)], generation
    )  # the old one was acknowledged
    (again,), _ = store.index_state.pending(10)
    assert again.replaced and "改过的标题" in again.record
    store.close()


def test_after_a_reindex_only_what_was_sent_as_sent_is_indexed(tmp_path: Path) -> None:
    store = SqliteBackend(tmp_path / "archive.sqlite3")
    for document in CORPUS:
        store.index(document)
    sent = [(d.id, fingerprint(d.model_dump_json())) for d in CORPUS[:3]]
    sent[1] = (CORPUS[1].id, fingerprint("an older version"))
    store.index_state.mark_indexed_exactly(sent)
    assert {w.id: w.replaced for w in store.index_state.pending(10)[0]} == {
        CORPUS[1].id: True,
        CORPUS[3].id: True,
    }
    store.index_state.mark_all_pending()
    assert store.index_state.count() == 4
    store.close()


def test_an_archive_from_before_elasticsearch_gets_the_column(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    store = SqliteBackend(path)
    store.index(CORPUS[0])
    store.close()
    with sqlite3.connect(path) as conn:  # as a release before issue 7 left it
        conn.execute("DROP INDEX documents_waiting")
        conn.execute("ALTER TABLE documents DROP COLUMN index_state")
    again = SqliteBackend(path)
    assert [w.id for w in again.index_state.pending(10)[0]] == [CORPUS[0].id]
    again.close()


def test_refused_records_wait_out_of_the_queue_until_requeued(tmp_path: Path) -> None:
    store = SqliteBackend(tmp_path / "archive.sqlite3")
    for document in CORPUS[:2]:
        store.index(document)
    store.index_state.mark_refused([CORPUS[0].id])
    assert [w.id for w in store.index_state.pending(10)[0]] == [CORPUS[1].id]
    assert store.index_state.count() == 2, "refused is not indexed"
    assert store.index_state.requeue_refused() == 1
    first, _ = store.index_state.pending(10)
    assert first[0].id == CORPUS[0].id and first[0].replaced
    store.close()
