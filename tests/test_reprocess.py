"""Reprocess, retry and check on a real archive folder and a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from archive.backends import SearchQuery
from archive.backends.sqlite import SqliteBackend
from archive.check import check
from archive.config import Settings
from archive.enrich import EXTRACTOR_VERSION
from archive.ingest import Outcome, ingest, retry_quarantined
from archive.originals import original_path
from archive.reprocess import older_than, reprocess, version_key

MEETING = (
    "2022年3月1日，市城建集团召开安全生产专题会。总经理李向东主持会议。\n"
    "李向东要求，各单位要压实安全生产责任。\n"
).encode()


def store(settings: Settings, backend: SqliteBackend, name: str, data: bytes) -> str:
    settings.inbox.mkdir(parents=True, exist_ok=True)
    (settings.inbox / name).write_bytes(data)
    (result,) = ingest([settings.inbox / name], backend, settings, consume=True)
    assert result.outcome is Outcome.STORED
    return result.doc_id


def age(backend: SqliteBackend, doc_id: str) -> None:
    """Make a record look like an older release's: no directives, an old version."""
    old = backend.get(doc_id).model_copy(update={"directives": [], "extractor_version": "0.1.0"})
    backend.replace(old)


def store_as_0_5_0(database: Path, doc_id: str) -> None:
    """Rewrite a stored record the way release 0.5.0 wrote it: JSON without the fields
    extractor 0.6.0 added (posts, partial days, where years came from, the publication
    date, the address and modification time), and titles without their organisation."""
    with sqlite3.connect(database) as conn:
        (text,) = conn.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
        record = json.loads(text)
        for key in ("year_source", "published"):
            del record[key]
        for key in ("address", "modified"):
            del record["source"][key]
        for person in record["persons"]:
            del person["posts"]
        for meeting in (record["meeting"], *record["meetings"]):
            for key in ("start_day", "end_day", "year_source"):
                del meeting[key]
        record["extractor_version"] = "0.5.0"
        conn.execute(
            "UPDATE documents SET record = ? WHERE id = ?",
            (json.dumps(record, ensure_ascii=False), doc_id),
        )
    conn.close()


def test_a_record_stored_by_0_5_0_loads_and_reprocessing_fills_the_new_fields(
    settings: Settings, backend: SqliteBackend
) -> None:
    doc_id = store(settings, backend, "安全会.txt", MEETING)
    store_as_0_5_0(settings.database, doc_id)

    old = backend.get(doc_id)  # the fields 0.6.0 added take their defaults
    assert old.extractor_version == "0.5.0"
    assert (old.year_source, old.published, old.source.address) == (None, None, None)
    assert (old.meeting.start_day, old.meeting.year_source) == (None, None)
    assert [person.posts for person in old.persons] == [[]]
    assert backend.search(SearchQuery(q="安全生产")).total == 1, "and it is still found"

    (result,) = reprocess(backend, [old], settings.originals)

    assert result.updated
    new = backend.get(doc_id)
    assert new.extractor_version == EXTRACTOR_VERSION
    assert (new.date.isoformat(), new.year_source) == ("2022-03-01", "written")
    assert (new.meeting.start_day, new.meeting.end_day) == ("--03-01", "--03-01")
    assert new.meeting.year_source == "written"
    (person,) = [p for p in new.persons if p.name == "李向东"]
    assert person.posts and "总经理" in person.posts[0].title
    assert new.source.ingested_at == old.source.ingested_at
    assert check(backend, settings.originals, settings.quarantine) == []


def test_reprocess_takes_the_records_of_release_0_5_0_by_default(
    settings: Settings, backend: SqliteBackend
) -> None:
    doc_id = store(settings, backend, "安全会.txt", MEETING)
    store_as_0_5_0(settings.database, doc_id)
    # `archive reprocess` without options takes the records an older extractor made.
    assert older_than(EXTRACTOR_VERSION)(backend.get(doc_id)), (
        f"EXTRACTOR_VERSION {EXTRACTOR_VERSION} must be above 0.5.0: records 0.5.0 stored "
        "lack the fields 0.6.0 added, and `archive reprocess` picks only older versions"
    )


def test_versions_compare_by_number() -> None:
    assert version_key("0.10.0") > version_key("0.9.1") > version_key("test")


def test_reprocess_replaces_the_record_and_keeps_the_original(
    settings: Settings, backend: SqliteBackend
) -> None:
    doc_id = store(settings, backend, "安全会.txt", MEETING)
    first = backend.get(doc_id)
    original = original_path(settings.originals, first.source.sha256, "安全会.txt")
    before = original.stat().st_mtime_ns
    age(backend, doc_id)
    assert backend.get(doc_id).directives == []
    assert older_than(EXTRACTOR_VERSION)(backend.get(doc_id))

    (result,) = reprocess(backend, [backend.get(doc_id)], settings.originals)

    assert result.updated and result.id == doc_id
    again = backend.get(doc_id)
    assert again.extractor_version == EXTRACTOR_VERSION
    assert [d.speaker for d in again.directives] == ["李向东"]
    assert again.source == first.source, "file name, hash and ingestion time are kept"
    assert original.stat().st_mtime_ns == before and original.read_bytes() == MEETING
    assert check(backend, settings.originals, settings.quarantine) == []


def test_a_record_without_its_original_is_kept_and_reported(
    settings: Settings, backend: SqliteBackend
) -> None:
    doc_id = store(settings, backend, "安全会.txt", MEETING)
    record = backend.get(doc_id)
    original_path(settings.originals, record.source.sha256, "安全会.txt").unlink()
    (result,) = reprocess(backend, [record], settings.originals)
    assert not result.updated and "安全会.txt" in result.reason
    assert backend.get(doc_id) == record
    problems = check(backend, settings.originals, settings.quarantine)
    assert [(p.kind, p.where) for p in problems] == [("missing_original", doc_id)]


def test_check_finds_orphans_and_unexplained_quarantine(
    settings: Settings, backend: SqliteBackend
) -> None:
    store(settings, backend, "安全会.txt", MEETING)
    stray = settings.originals / "ab" / ("ab" * 32 + ".txt")
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"stray")
    settings.quarantine.mkdir(parents=True, exist_ok=True)
    (settings.quarantine / "lost.txt").write_bytes(b"x")
    (settings.quarantine / "gone.txt.error.json").write_text("{}")
    kinds = sorted(p.kind for p in check(backend, settings.originals, settings.quarantine))
    assert kinds == ["orphan_original", "orphan_report", "unexplained_quarantine"]


def test_retry_takes_a_fixed_file_out_of_quarantine_and_keeps_a_bad_one(
    settings: Settings, backend: SqliteBackend
) -> None:
    settings.inbox.mkdir(parents=True, exist_ok=True)
    (settings.inbox / "空白.txt").write_bytes(b"")
    (settings.inbox / "scan.txt").write_bytes(b"%PDF-1.7 not text")
    results = ingest(sorted(settings.inbox.iterdir()), backend, settings, consume=True)
    assert {r.outcome for r in results} == {Outcome.QUARANTINED}
    fixed = settings.quarantine / "空白.txt"
    fixed.write_bytes(MEETING)  # the user mended the file where it lies

    results = retry_quarantined([fixed, settings.quarantine / "scan.txt"], backend, settings)

    assert [r.outcome for r in results] == [Outcome.STORED, Outcome.QUARANTINED]
    assert sorted(p.name for p in settings.quarantine.iterdir()) == [
        "scan.txt", "scan.txt.error.json"
    ]  # fmt: skip
    report = json.loads((settings.quarantine / "scan.txt.error.json").read_text("utf-8"))
    assert report["extractor_version"] == EXTRACTOR_VERSION and "PDF" in report["reason"]
    assert backend.count() == 1
    assert check(backend, settings.originals, settings.quarantine) == []


def test_index_count_follows_the_store(settings: Settings, backend: SqliteBackend) -> None:
    doc_id = store(settings, backend, "安全会.txt", MEETING)
    assert backend.count() == backend.index_count() == 1
    backend.delete(doc_id)
    assert backend.count() == backend.index_count() == 0


def test_documents_lists_every_record(settings: Settings, backend: SqliteBackend) -> None:
    ids = {store(settings, backend, f"{n}.txt", MEETING + str(n).encode()) for n in range(3)}
    assert {d.id for d in backend.documents()} == ids
    assert isinstance(next(iter(backend.documents())).source.filename, str)
    assert Path(settings.database).exists()
