"""Reprocess, retry and check on a real archive folder and a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

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
