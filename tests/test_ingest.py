"""The pipeline over a batch: every file ends stored, duplicate or quarantined, and a
failure of one file or of the backend never loses a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive import ingest, ledger
from archive.backends import SearchQuery
from archive.backends.flaky import FlakyBackend
from archive.backends.sqlite import SqliteBackend
from archive.config import Settings
from archive.errors import BackendUnavailable, IngestError
from archive.ingest import Outcome

GOOD = "2022年3月1日，市城建集团召开安全生产专题会。总经理李向东主持会议。\n".encode()
OTHER = "4月2日，市交投集团召开2022年度党建工作会议。党委书记赵海峰出席会议并讲话。\n".encode()


def drop(settings: Settings, **files: bytes) -> list[Path]:
    settings.inbox.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        path = settings.inbox / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_batch_outcomes(settings: Settings, backend: SqliteBackend) -> None:
    paths = drop(
        settings, **{"a.txt": GOOD, "b.txt": OTHER, "a-copy.txt": GOOD, "c.docx": b"PK\x03\x04"}
    )
    results = ingest.ingest(paths, backend, settings, consume=True)
    assert [(r.path.name, r.outcome) for r in results] == [
        ("a.txt", Outcome.STORED),
        ("b.txt", Outcome.STORED),
        ("a-copy.txt", Outcome.DUPLICATE),
        ("c.docx", Outcome.QUARANTINED),
    ]
    assert list(settings.inbox.iterdir()) == [], "every file left the inbox"
    assert results[0].doc_id == results[2].doc_id
    assert results[0].kept_at is not None and results[0].kept_at.read_bytes() == GOOD
    assert results[3].kept_at == settings.quarantine / "c.docx"
    assert "Word file" in results[3].reason
    stored = backend.get(results[0].doc_id)
    assert stored.source.ingested_at is not None
    assert stored.source.filename == "a.txt"
    assert backend.search(SearchQuery(q="专题会")).total == 1


def test_without_consume_the_sources_stay(settings: Settings, backend: SqliteBackend) -> None:
    paths = drop(settings, **{"a.txt": GOOD, "empty.txt": b""})
    results = ingest.ingest(paths, backend, settings, consume=False)
    assert [r.outcome for r in results] == [Outcome.STORED, Outcome.QUARANTINED]
    assert all(path.exists() for path in paths)
    assert (settings.quarantine / "empty.txt").exists()


def test_an_unavailable_backend_leaves_files_in_the_inbox(
    settings: Settings, backend: SqliteBackend
) -> None:
    (path,) = drop(settings, **{"a.txt": GOOD})
    flaky = FlakyBackend(backend, fail_times=1)
    with pytest.raises(BackendUnavailable):
        arrivals = ingest.extract_stages([path])
        ingest.store_stage(arrivals, flaky, settings, consume=True, retry_delays=())
    assert path.exists(), "not stored, so not taken"
    assert not settings.quarantine.exists(), "a transient failure is not bad input"
    (result,) = ingest.ingest([path], flaky, settings, consume=True)
    assert result.outcome is Outcome.STORED and not path.exists()


def test_a_bug_in_a_stage_quarantines_the_file_with_the_exception(
    settings: Settings, backend: SqliteBackend
) -> None:
    paths = drop(settings, **{"a.txt": GOOD, "b.txt": OTHER})

    def broken(arrival: ingest.Arrival) -> dict[str, object]:
        if arrival.path.name == "a.txt":
            raise ZeroDivisionError("division by zero")
        return {}

    arrivals = ingest._advance(ingest.read_stage(paths), "enrich", broken)
    assert isinstance(arrivals[0].error, IngestError)
    assert arrivals[0].failed_stage == "enrich"
    assert "failed in its enrich stage" in arrivals[0].error.reason
    assert arrivals[1].error is None

    arrivals = ingest.enrich_stage(ingest.normalize_stage(arrivals))
    results = ingest.store_stage(arrivals, backend, settings, consume=True)
    assert [r.outcome for r in results] == [Outcome.QUARANTINED, Outcome.STORED]
    report = json.loads((settings.quarantine / "a.txt.error.json").read_text("utf-8"))
    assert report["stage"] == "enrich"
    assert report["exception"] == "ZeroDivisionError: division by zero"


def test_extract_raises_for_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(b"\x89PNG")
    with pytest.raises(IngestError) as caught:
        ingest.extract(path)
    assert caught.value.path == path


def test_a_file_rewritten_while_processed_is_skipped_not_stored(
    settings: Settings, backend: SqliteBackend
) -> None:
    (path,) = drop(settings, **{"growing.txt": GOOD[:30]})
    arrivals = ingest.enrich_stage(ingest.normalize_stage(ingest.read_stage([path])))
    with path.open("ab") as writer:  # the copy goes on after the archive read the file
        writer.write(GOOD[30:])
    (result,) = ingest.store_stage(arrivals, backend, settings, consume=True)
    assert result.outcome is Outcome.SKIPPED and "changed" in result.reason
    assert path.read_bytes() == GOOD, "left whole in the inbox, to be taken again"
    assert backend.count() == 0 and not settings.originals.exists()


def test_storing_the_same_batch_again_does_not_crash(
    settings: Settings, backend: SqliteBackend
) -> None:
    """A batch stored again after its first store gave up: files already taken are
    reported, not stored twice."""
    paths = drop(settings, **{"bad.docx": b"PK", "good.txt": GOOD})
    arrivals = ingest.enrich_stage(ingest.normalize_stage(ingest.read_stage(paths)))
    flaky = FlakyBackend(backend, fail_times=1)
    with pytest.raises(BackendUnavailable):
        ingest.store_stage(arrivals, flaky, settings, consume=True, retry_delays=())
    assert (settings.quarantine / "bad.docx").exists() and paths[1].exists()
    results = ingest.store_stage(arrivals, flaky, settings, consume=True)
    assert [r.outcome for r in results] == [Outcome.SKIPPED, Outcome.STORED]
    assert results[0].reason == "it disappeared; nothing was stored"


def test_a_busy_backend_is_retried_for_the_one_file_it_refused(
    settings: Settings, backend: SqliteBackend
) -> None:
    paths = drop(settings, **{"a.txt": GOOD, "b.txt": OTHER, "empty.txt": b""})
    arrivals = ingest.extract_stages(paths)
    flaky = FlakyBackend(backend, fail_times=2)
    results = ingest.store_stage(arrivals, flaky, settings, consume=True, retry_delays=(0, 0))
    assert [r.outcome for r in results] == [Outcome.STORED, Outcome.STORED, Outcome.QUARANTINED]
    assert backend.count() == 2 and not any(p.exists() for p in paths)
    outcomes = [event.outcome for event in ledger.events(settings.ledger)]
    assert outcomes == ["stored", "stored", "quarantined"], "one ledger line per file"


def test_a_backend_that_stays_down_leaves_the_rest_of_the_batch(
    settings: Settings, backend: SqliteBackend
) -> None:
    paths = drop(settings, **{"a.txt": GOOD, "b.txt": OTHER})
    arrivals = ingest.extract_stages(paths)
    flaky = FlakyBackend(backend, fail_times=3)
    with pytest.raises(BackendUnavailable):
        ingest.store_stage(arrivals, flaky, settings, consume=True, retry_delays=(0, 0))
    assert all(p.exists() for p in paths) and backend.count() == 0
