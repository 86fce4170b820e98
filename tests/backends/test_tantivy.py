"""The tantivy engine's own guarantees, beyond the conformance suite: the store stays the
source of truth, records wait ``pending`` until a commit holds them, a second writer
leaves its records to the first, a crash or a rebuild is caught up, a reindex never
stops searches, and facet counts stay exact across index segments.

A second ``TantivyBackend`` on the same files stands for a second process: tantivy lets
one writer hold an index, in this process or another, so it meets the same lock."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from archive.backends import SearchQuery, open_backend
from archive.backends.base import FacetValue
from archive.backends.sqlite import SqliteBackend
from archive.backends.tantivy import TantivyBackend
from archive.config import Settings
from archive.records import Person
from tests.backends.test_conformance import CORPUS, make_document


def opened(tmp_path: Path) -> TantivyBackend:
    return TantivyBackend(tmp_path / "archive.sqlite3", tmp_path / "index")


def ids(backend: TantivyBackend, q: str = "") -> set[str]:
    return {hit.id for hit in backend.search(SearchQuery(q=q, limit=100)).hits}


def test_a_record_is_pending_until_committed_and_searchable_at_once(tmp_path: Path) -> None:
    backend = opened(tmp_path)
    assert backend.index(CORPUS[0])
    assert backend.pending_count() == 1  # added, not committed yet
    assert CORPUS[0].id in ids(backend)  # a search commits this process's writes first
    assert backend.pending_count() == 0
    assert backend.index_count() == backend.count() == 1
    backend.close()


def test_a_second_writer_leaves_its_records_to_the_first(tmp_path: Path) -> None:
    first, second = opened(tmp_path), opened(tmp_path)
    first.index(CORPUS[0])  # the first takes the writer
    assert second.index(CORPUS[1])  # stored, with its tokens, and left pending
    assert second.pending_count() == 2  # the first's is not committed yet either
    assert first.catch_up() == 1  # what the first's ticker does every second
    assert ids(second) == {CORPUS[0].id, CORPUS[1].id}
    assert second.pending_count() == 0
    first.close()
    second.close()


def test_the_last_to_close_indexes_what_waits(tmp_path: Path) -> None:
    first, second = opened(tmp_path), opened(tmp_path)
    first.index(CORPUS[0])
    second.index(CORPUS[1])
    first.close()  # the writer is free now
    second.close()  # and the second indexes its own record on the way out
    again = opened(tmp_path)
    assert again.pending_count() == 0
    assert ids(again) == {CORPUS[0].id, CORPUS[1].id}
    again.close()


def test_records_stored_before_a_crash_are_indexed_at_the_next_open(tmp_path: Path) -> None:
    opened(tmp_path).close()
    # A process killed between storing and committing left these pending, without tokens.
    store = SqliteBackend(tmp_path / "archive.sqlite3", full_text=False)
    for document in CORPUS[:3]:
        store.index(document)
    store.close()
    backend = opened(tmp_path)
    assert backend.pending_count() == 0
    assert ids(backend) == {d.id for d in CORPUS[:3]}
    backend.close()


def test_an_index_of_another_schema_or_a_lost_one_is_rebuilt_from_the_records(
    tmp_path: Path,
) -> None:
    backend = opened(tmp_path)
    for document in CORPUS:
        backend.index(document)
    backend.close()
    (tmp_path / "index" / "CURRENT").write_text("v0-old-20200101", encoding="ascii")
    rebuilt = opened(tmp_path)
    assert len(ids(rebuilt)) == len(CORPUS)
    assert rebuilt.search(SearchQuery(q="务虚会")).total == 1
    rebuilt.close()
    for path in (tmp_path / "index").iterdir():
        if path.is_dir():
            for file in path.iterdir():
                file.unlink()
            path.rmdir()
    (tmp_path / "index" / "CURRENT").unlink()
    lost = opened(tmp_path)
    assert len(ids(lost)) == len(CORPUS)
    lost.close()


def test_searches_answer_in_full_while_the_index_is_rebuilt(tmp_path: Path) -> None:
    backend = opened(tmp_path)
    documents = [
        make_document(
            100 + n, f"市{n}号集团召开工作会议", f"市{n}号集团召开工作会议。", "2022-05-01"
        )
        for n in range(300)
    ]
    for document in documents:
        backend.index(document)
    expected = backend.search(SearchQuery(q="工作会议")).total
    rebuilding = opened(tmp_path)  # another process runs `archive reindex`
    done = threading.Event()
    totals: list[int] = []

    def rebuild() -> None:
        try:
            rebuilding.reindex()
        finally:
            done.set()

    thread = threading.Thread(target=rebuild)
    thread.start()
    while not done.is_set():
        totals.append(backend.search(SearchQuery(q="工作会议")).total)
    thread.join()
    totals.append(backend.search(SearchQuery(q="工作会议")).total)
    assert totals and set(totals) == {expected}
    folders = [p for p in (tmp_path / "index").iterdir() if p.is_dir()]
    backend.close()
    rebuilding.close()
    assert len(folders) <= 2  # the old one goes once no writer holds it
    assert len([p for p in (tmp_path / "index").iterdir() if p.is_dir()]) == 1


def test_one_backend_per_archive_in_a_process(tmp_path: Path) -> None:
    a = TantivyBackend.open(tmp_path / "archive.sqlite3", tmp_path / "index")
    b = TantivyBackend.open(tmp_path / "archive.sqlite3", tmp_path / "index")
    assert a is b
    a.index(CORPUS[0])
    a.close()  # b still uses it
    assert ids(b) == {CORPUS[0].id}
    b.close()
    c = TantivyBackend.open(tmp_path / "archive.sqlite3", tmp_path / "index")
    assert c is not a
    c.close()


def test_facet_counts_are_exact_when_the_top_values_hide_in_every_segment(
    tmp_path: Path,
) -> None:
    """Each commit makes a segment where 1,000 names count 2 and one name counts 1:
    each segment's own top 1,000 leaves the one name out, though over all segments it
    counts most."""
    backend = opened(tmp_path)
    n = 0
    for segment in range(5):
        crowd = [Person(name=f"甲{segment}-{j}") for j in range(1000)]
        for _ in range(2):
            n += 1
            backend.index(_with_persons(n, crowd))
        n += 1
        backend.index(_with_persons(n, [Person(name="乙")]))
        backend.search(SearchQuery(limit=0))  # commit: one more segment
    facets = backend.search(SearchQuery(facet_size=3)).facets["person"]
    assert facets[0] == FacetValue(value="乙", count=5)
    assert all(value.count == 2 for value in facets[1:])
    backend.close()


def _with_persons(n: int, persons: list[Person]):
    document = make_document(n, f"第{n}篇", f"第{n}篇正文。", "2023-01-01")
    return document.model_copy(update={"persons": persons})


def test_switching_engines_builds_the_index_from_the_records(tmp_path: Path) -> None:
    """ARCHIVE_SEARCH_ENGINE picks the embedded engine; the records are the same file."""
    sqlite = Settings(home=tmp_path, search_engine="sqlite")
    tantivy = Settings(home=tmp_path, search_engine="tantivy")
    backend = open_backend(sqlite)
    for document in CORPUS:
        backend.index(document)
    backend.close()
    for settings in (tantivy, sqlite, tantivy):
        backend = open_backend(settings)
        if settings is sqlite:  # what tantivy's index made before must not keep
            backend.delete(CORPUS[0].id)
        assert backend.name == settings.search_engine
        assert backend.search(SearchQuery(q="务虚会")).total == 1
        assert backend.search(SearchQuery()).total == backend.count()
        backend.close()
    assert backend.count() == len(CORPUS) - 1


def test_once_writes_pause_the_first_page_is_counted_ahead(tmp_path: Path) -> None:
    backend = opened(tmp_path)
    backend.index(CORPUS[0])
    deadline = time.monotonic() + 10
    while len(backend._facets) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    # The browse query's facets, and the directives', were counted by the writer's ticker.
    assert len(backend._facets) == 2
    facets = backend.search(SearchQuery()).facets
    assert len(backend._facets) == 2, "the first page found them ready"
    assert facets["person"] == [FacetValue(value="王立民", count=1)]
    backend.close()


def test_a_delete_reaches_the_index_even_from_another_process(tmp_path: Path) -> None:
    writing, other = opened(tmp_path), opened(tmp_path)
    for document in CORPUS[:2]:
        writing.index(document)
    assert ids(writing) == {CORPUS[0].id, CORPUS[1].id}
    assert other.delete(CORPUS[0].id)  # the writer is the first's: the id is left for it
    assert not other.contains(CORPUS[0].id)
    writing.catch_up()  # what its ticker does every second
    assert ids(writing) == {CORPUS[1].id}
    assert writing.index_count() == writing.count() == 1
    writing.close()
    other.close()


def test_a_delete_cut_short_by_a_crash_is_finished_at_the_next_open(tmp_path: Path) -> None:
    backend = opened(tmp_path)
    backend.index(CORPUS[0])
    backend.close()
    store = SqliteBackend(tmp_path / "archive.sqlite3", full_text=False)
    store.delete(CORPUS[0].id, tombstone=True)  # then the process died
    store.close()
    again = opened(tmp_path)
    assert again.search(SearchQuery()).total == 0
    assert again.index_count() == 0
    again.close()


def test_a_record_that_no_longer_reads_is_set_aside_not_blocking_the_rest(
    tmp_path: Path,
) -> None:
    opened(tmp_path).close()
    store = SqliteBackend(tmp_path / "archive.sqlite3", full_text=False)
    store.index(CORPUS[0])
    store.index(CORPUS[1])
    with store._transaction() as conn:  # a record an older release wrote, say
        conn.execute("UPDATE documents SET record = '{}' WHERE id = ?", (CORPUS[0].id,))
    store.close()
    backend = opened(tmp_path)
    assert ids(backend) == {CORPUS[1].id}
    assert backend.pending_count() == 1  # refused: it waits aside, shown by `archive status`
    backend.close()


def test_a_backend_that_does_not_write_the_index_leaves_it_to_the_one_that_does(
    tmp_path: Path,
) -> None:
    """A backfill's workers store; the process that hands out their chunks indexes."""
    worker = TantivyBackend(tmp_path / "archive.sqlite3", tmp_path / "index", writes_index=False)
    parent = opened(tmp_path)
    for document in CORPUS:
        assert worker.index(document)
    worker.close()  # at once: nothing to hand over, the parent is there
    assert parent.pending_count() == len(CORPUS)
    assert parent.catch_up() == len(CORPUS)
    assert parent.pending_count() == 0
    assert ids(parent) == {d.id for d in CORPUS}
    parent.close()
