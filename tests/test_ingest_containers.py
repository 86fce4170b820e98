"""ZIP archives and e-mails through the whole pipeline: each member stored or quarantined
on its own, the container kept too and out of the inbox only when all are done, and a
quarantined member retried in its place."""

from __future__ import annotations

import hashlib
import json
import os

from archive import ingest, ledger
from archive.backends import SearchQuery
from archive.backends.sqlite import SqliteBackend
from archive.check import check
from archive.config import Settings
from archive.ingest import Outcome
from archive.originals import original_path
from archive.reprocess import re_extract
from tests.read.test_eml import mail
from tests.read.test_zip import zip_of
from tests.test_ingest import GOOD, OTHER, drop

MATERIALS = {"2021/专题会.txt": GOOD, "2021/空白.txt": b"", "党建.txt": OTHER}


def test_each_member_is_stored_or_quarantined_and_the_zip_is_kept(
    settings: Settings, backend: SqliteBackend
) -> None:
    archive = zip_of(MATERIALS)
    paths = drop(settings, **{"材料.zip": archive})
    results = ingest.ingest(paths, backend, settings, consume=True)
    assert [(r.member, r.outcome) for r in results] == [
        ("2021/专题会.txt", Outcome.STORED),
        ("2021/空白.txt", Outcome.QUARANTINED),
        ("党建.txt", Outcome.STORED),
    ]
    assert results[0].name == "材料.zip › 2021/专题会.txt"
    assert list(settings.inbox.iterdir()) == [], "the zip left the inbox once all were done"
    kept = original_path(settings.originals, _sha(archive), "材料.zip")
    assert kept.read_bytes() == archive, "the zip itself is kept too"

    record = backend.get(results[0].doc_id)
    assert record.source.filename == "专题会.txt" and record.source.format == "text"
    container = record.source.container
    assert container is not None and container.member == "2021/专题会.txt"
    assert container.filename == "材料.zip" and container.sha256 == _sha(archive)
    own = original_path(settings.originals, record.source.sha256, record.source.filename)
    assert own.read_bytes() == GOOD, "each member's bytes are kept by their own hash"
    assert re_extract(record, settings.originals).source.container == container

    quarantined = settings.quarantine / "材料.zip!2021!空白.txt"
    report = json.loads(quarantined.with_name(quarantined.name + ".error.json").read_text())
    assert quarantined.read_bytes() == b"" and report["reason"] == "the file is empty"
    assert report["container"]["member"] == "2021/空白.txt"
    assert check(backend, settings.originals, settings.quarantine) == []
    files = [e.file for e in ledger.events(settings.ledger)]
    assert files == [
        "材料.zip › 2021/专题会.txt",
        "材料.zip › 2021/空白.txt",
        "材料.zip › 党建.txt",
    ]
    assert backend.search(SearchQuery(q="专题会")).total == 1


def test_a_retried_member_keeps_its_place_in_its_container(
    settings: Settings, backend: SqliteBackend
) -> None:
    ingest.ingest(
        drop(settings, **{"材料.zip": zip_of(MATERIALS)}), backend, settings, consume=True
    )
    quarantined = settings.quarantine / "材料.zip!2021!空白.txt"
    quarantined.write_bytes(OTHER.replace("党建".encode(), "宣传".encode()))  # mended by hand
    (result,) = ingest.retry_quarantined([quarantined], backend, settings)
    assert result.outcome is Outcome.STORED
    record = backend.get(result.doc_id)
    assert record.source.filename == "空白.txt"
    assert record.source.container is not None
    assert record.source.container.member == "2021/空白.txt"
    assert not quarantined.exists() and not any(settings.quarantine.iterdir())
    assert check(backend, settings.originals, settings.quarantine) == []


def test_a_zip_bomb_is_quarantined_whole(settings: Settings, backend: SqliteBackend) -> None:
    bomb = zip_of({"专题会.txt": GOOD, "炸弹.txt": b"\x00" * (8 * 2**20)})
    paths = drop(settings, **{"材料.zip": bomb})
    (result,) = ingest.ingest(paths, backend, settings, consume=True)
    assert result.outcome is Outcome.QUARANTINED and result.member is None
    assert "zip bomb" in (result.reason or "")
    assert (settings.quarantine / "材料.zip").read_bytes() == bomb, "nothing is lost"
    assert backend.count() == 0


def test_an_email_its_text_and_its_attachments(settings: Settings, backend: SqliteBackend) -> None:
    message = mail(attachments={"专题会.txt": GOOD, "材料.zip": zip_of({"党建.txt": OTHER})})
    paths = drop(settings, **{"转发.eml": message.as_bytes()})
    results = ingest.ingest(paths, backend, settings, consume=True)
    assert [(r.member, r.outcome) for r in results] == [
        (None, Outcome.STORED),
        ("专题会.txt", Outcome.STORED),
        ("材料.zip/党建.txt", Outcome.STORED),
    ]
    body = backend.get(results[0].doc_id)
    assert body.source.format == "eml" and body.title == "转发：安全生产工作会议报道"
    for result in results[1:]:
        container = backend.get(result.doc_id).source.container
        assert container is not None and container.message == body.id, "linked to the message"
    assert list(settings.inbox.iterdir()) == []
    assert check(backend, settings.originals, settings.quarantine) == []


def test_without_consume_the_container_stays(settings: Settings, backend: SqliteBackend) -> None:
    paths = drop(settings, **{"材料.zip": zip_of(MATERIALS)})
    results = ingest.ingest(paths, backend, settings, consume=False)
    assert [r.outcome for r in results].count(Outcome.STORED) == 2
    assert paths[0].exists()


def test_a_zip_still_being_written_is_left_for_later(
    settings: Settings, backend: SqliteBackend
) -> None:
    (path,) = drop(settings, **{"材料.zip": zip_of(MATERIALS)})
    arrivals = ingest.extract_stages([path])
    os.utime(path, ns=(0, 0))  # the writer touched it again after it was read
    results = ingest.store_stage(arrivals, backend, settings, consume=True)
    assert {r.outcome for r in results} == {Outcome.SKIPPED}
    assert path.exists() and backend.count() == 0


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_zip_of_documents_already_archived_is_no_orphan(
    settings: Settings, backend: SqliteBackend
) -> None:
    ingest.ingest(drop(settings, **{"专题会.txt": GOOD}), backend, settings, consume=True)
    paths = drop(settings, **{"材料.zip": zip_of({"专题会.txt": GOOD})})
    (result,) = ingest.ingest(paths, backend, settings, consume=True)
    assert result.outcome is Outcome.DUPLICATE
    assert check(backend, settings.originals, settings.quarantine) == []


def test_a_container_refused_whole_is_opened_when_retried_under_a_higher_limit(
    settings: Settings, backend: SqliteBackend
) -> None:
    tight = settings.model_copy(update={"max_file_mb": 100 / 2**20})  # 100 bytes a file
    paths = drop(settings, **{"材料.zip": zip_of(MATERIALS)})
    (refused,) = ingest.ingest(paths, backend, tight, consume=True)
    assert refused.outcome is Outcome.QUARANTINED and "over the limit" in (refused.reason or "")
    results = ingest.retry_quarantined([settings.quarantine / "材料.zip"], backend, settings)
    assert [r.outcome for r in results].count(Outcome.STORED) == 2
    assert not (settings.quarantine / "材料.zip.error.json").exists()
    assert check(backend, settings.originals, settings.quarantine) == []


def test_members_without_an_extension_never_overwrite_each_other(
    settings: Settings, backend: SqliteBackend
) -> None:
    for n in (1, 2):
        paths = drop(settings, **{"材料.zip": zip_of({"README": b"\x00\x01%d" % n})})
        ingest.ingest(paths, backend, settings, consume=True)
    names = sorted(p.name for p in settings.quarantine.iterdir() if "error" not in p.name)
    assert len(names) == 2 and names[0] == "材料.zip!README"
    assert names[1].startswith("材料.zip!README-")


def test_a_container_nested_too_deep_is_opened_when_retried(
    settings: Settings, backend: SqliteBackend
) -> None:
    inner = zip_of({"专题会.txt": GOOD})
    empty = zip_of({"Thumbs.db": b"x"})
    outer = zip_of({"中层.zip": zip_of({"内层.zip": inner}), "空.zip": empty})
    results = ingest.ingest(drop(settings, **{"材料.zip": outer}), backend, settings, consume=True)
    assert [(r.member, r.outcome) for r in results] == [
        ("中层.zip/内层.zip", Outcome.QUARANTINED),
        ("空.zip", Outcome.QUARANTINED),
    ]
    assert "holds no document" in (results[1].reason or "")
    deep = settings.quarantine / "材料.zip!中层.zip!内层.zip"
    (retried,) = ingest.retry_quarantined([deep], backend, settings)
    assert retried.outcome is Outcome.STORED
    container = backend.get(retried.doc_id).source.container
    assert container is not None and container.filename == "材料.zip", "where it first came"
    assert container.member == "中层.zip/内层.zip/专题会.txt"
    assert not deep.exists() and not deep.with_name(deep.name + ".error.json").exists()
    assert check(backend, settings.originals, settings.quarantine) == []
