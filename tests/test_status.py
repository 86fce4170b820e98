"""archive status: counts from the store, the folders and the ingest ledger."""

from __future__ import annotations

import datetime as dt

from archive import ledger
from archive.backends.sqlite import SqliteBackend
from archive.config import Settings
from archive.ingest import ingest
from archive.status import status

MEETING = "2022年3月1日，市城建集团召开安全生产专题会。总经理李向东主持会议。\n".encode()


def test_status_counts_what_happened(settings: Settings, backend: SqliteBackend) -> None:
    settings.inbox.mkdir(parents=True)
    for name, data in {"a.txt": MEETING, "b.txt": MEETING, "c.txt": b""}.items():
        (settings.inbox / name).write_bytes(data)
    ingest(sorted(settings.inbox.iterdir()), backend, settings, consume=True)
    (settings.inbox / "waiting.txt").write_bytes(MEETING + b"!")
    (settings.inbox / "copying.txt.part").write_bytes(b"half")  # junk: not waiting

    now = status(settings, backend)

    assert (now.stored, now.indexed, now.pending_index) == (1, 1, 0)
    assert (now.duplicates, now.quarantined, now.waiting) == (1, 1, 1)
    assert now.last_hour == {"stored": 1, "duplicate": 1, "quarantined": 1}
    assert now.files_per_minute == 0.05
    assert [(f.file, f.reason) for f in now.last_failures] == [("c.txt", "the file is empty")]

    later = status(settings, backend, dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))
    assert later.last_hour == {} and later.files_per_minute == 0
    assert later.duplicates == 1, "totals do not age"


def test_the_ledger_skips_a_damaged_line(settings: Settings) -> None:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ledger.append(settings.ledger, ledger.Event(at, "stored", "会议.txt", "ab" * 8))
    with settings.ledger.open("a", encoding="utf-8") as f:
        f.write('{"at": "not a time"\n')  # a crash mid-line, or a hand edit
    ledger.append(settings.ledger, ledger.Event(at, "quarantined", "x.pdf", None, "a PDF"))
    assert [e.file for e in ledger.events(settings.ledger)] == ["会议.txt", "x.pdf"]
    assert list(ledger.events(settings.home / "none.jsonl")) == []


def test_a_line_cut_by_a_crash_costs_only_itself(settings: Settings) -> None:
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    ledger.append(settings.ledger, ledger.Event(at, "stored", "会议.txt", "ab" * 8))
    with settings.ledger.open("a", encoding="utf-8") as f:
        f.write('{"at": "2026-01-01T00:00:00+00:00", "outco')  # killed mid-write
    ledger.append(settings.ledger, ledger.Event(at, "quarantined", "x.pdf", None, "a PDF"))
    assert [e.file for e in ledger.events(settings.ledger)] == ["会议.txt", "x.pdf"]
