"""archive backfill without Prefect: chunks, a real process pool, a real SQLite archive."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from archive import backfill
from archive.backends.sqlite import SqliteBackend
from archive.check import check
from archive.config import Settings
from archive.errors import EmptyDocument
from archive.ingest import IngestResult, Outcome
from archive.originals import exception_text
from tests.test_cli import unboxed


def article(n: int) -> bytes:
    return (
        f"{n % 28 + 1}日，青禾集团召开第{n}次经营分析会。总经理常昭明出席会议并讲话。\n"
        f"常昭明要求，各单位要抓好第{n}项重点工作，编号bf{n:03d}x。\n"
    ).encode()


def test_chunks_cover_every_path_once() -> None:
    paths = [Path(f"{n}.txt") for n in range(7)]
    assert [len(c) for c in backfill.chunks(paths, 3)] == [3, 3, 1]
    assert [p for c in backfill.chunks(paths, 3) for p in c] == paths
    with pytest.raises(ValueError):
        list(backfill.chunks(paths, 0))


def test_a_small_folder_is_cut_finer_so_that_every_worker_gets_work() -> None:
    assert backfill.chunk_size_for(100_600, in_flight=4) == backfill.CHUNK_SIZE
    assert backfill.chunk_size_for(2_012, in_flight=4) == 252  # 8 chunks for 2 workers
    assert backfill.chunk_size_for(3, in_flight=4) == 1
    assert backfill.chunk_size_for(0, in_flight=4) == 1
    assert backfill.chunk_size_for(100_600, in_flight=4, largest=200) == 200


def test_run_chunks_keeps_a_bounded_number_in_flight_and_adds_up_in_order() -> None:
    paths = [Path(f"{n}.txt") for n in range(10)]
    handed_out, taken = [], []

    class Finished:
        def __init__(self, results: list[IngestResult]) -> None:
            self.results = results

        def result(self) -> list[IngestResult]:
            taken.append(self)
            return self.results

    def submit(chunk: list[Path]) -> Finished:
        assert len(handed_out) - len(taken) < 2, "never more than `ahead` chunks out"
        bad = chunk[0].name == "3.txt"
        outcome = Outcome.QUARANTINED if bad else Outcome.STORED
        handed_out.append(Finished([IngestResult(p, outcome) for p in chunk]))
        return handed_out[-1]

    summary = backfill.run_chunks(paths, submit=submit, chunk_size=3, ahead=2)
    assert len(handed_out) == 4
    assert summary.outcomes == {"stored": 7, "quarantined": 3}
    assert [r.path.name for r in summary.failures] == ["3.txt", "4.txt", "5.txt"]
    assert summary.line().startswith("10 files in ")


def test_backfill_stores_a_nested_folder_with_two_workers(settings: Settings) -> None:
    folder = settings.home.parent / "papers"
    (folder / "2021" / "一月").mkdir(parents=True)
    paths = []
    for n in range(23):
        path = folder / ("2021/一月" if n % 2 else "2021") / f"会议{n:02d}.txt"
        path.write_bytes(article(n))
        paths.append(path)
    (folder / "副本.txt").write_bytes(article(5))
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    files = sorted(folder.rglob("*.*"))
    before = {p: p.read_bytes() for p in files}

    summary = backfill.backfill(files, settings, workers=2, chunk_size=5)

    assert summary.outcomes == {"stored": 23, "duplicate": 1, "quarantined": 1}
    assert [r.path.name for r in summary.failures] == ["scan.pdf"]
    assert {p: p.read_bytes() for p in files} == before, "the folder is left as it was"
    archive = SqliteBackend(settings.database)
    try:
        assert archive.count() == 23
        assert check(archive, settings.originals, settings.quarantine) == []
    finally:
        archive.close()
    report = json.loads((settings.quarantine / "scan.pdf.error.json").read_text("utf-8"))
    assert report["stage"] == "read" and "PDF" in report["reason"]


def test_the_command_prints_a_summary_and_fails_when_a_file_was_not_stored(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    for n in range(4):
        (folder / f"会议{n}.txt").write_bytes(article(n))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "~$draft.docx").write_bytes(b"lock file")  # junk: never taken
    env = {**os.environ, "ARCHIVE_HOME": str(tmp_path / "var")}
    archive = Path(sys.executable).with_name("archive")
    done = subprocess.run(
        [str(archive), "backfill", str(folder), "--workers", "1", "--chunk-size", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 1, done.stderr
    assert "5 files in " in done.stdout
    assert "quarantined 1, stored 4" in done.stdout
    assert "empty.txt: the file is empty" in done.stderr
    assert not (tmp_path / "var" / "quarantine" / "~$draft.docx").exists()


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    archive = Path(sys.executable).with_name("archive")
    done = subprocess.run(
        [str(archive), "backfill", str(tmp_path / "nowhere")],
        env={**os.environ, "ARCHIVE_HOME": str(tmp_path / "var")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "nowhere'doesnotexist" in unboxed(done.stderr)
    assert "Traceback" not in done.stderr


def test_errors_cross_to_the_storing_process_with_their_cause() -> None:
    error = EmptyDocument(Path("会议.txt"), "the file is empty")
    error.__cause__ = ZeroDivisionError("division by zero")
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is EmptyDocument and again.path == Path("会议.txt")
    assert again.reason == "the file is empty" and str(again) == str(error)
    assert exception_text(again) == "ZeroDivisionError: division by zero"
    assert exception_text(pickle.loads(pickle.dumps(EmptyDocument("x", "y")))) is None


def test_a_file_over_the_time_budget_is_quarantined_and_the_chunk_goes_on(
    settings: Settings,
) -> None:
    # A real slow file: a compilation naming one chairman on every line (about 3 s per MB
    # here), against a budget of a second.
    folder = settings.home.parent / "papers"
    folder.mkdir()
    line = "5月9日，市青禾集团召开安全生产工作会议，集团党委书记、董事长柏松涛出席会议并讲话。\n"
    (folder / "a-compilation.txt").write_text(line * 40_000, encoding="utf-8")
    for n in range(3):
        (folder / f"b-{n}.txt").write_bytes(article(n))
    files = sorted(folder.iterdir())
    timed = settings.model_copy(update={"file_timeout_seconds": 1.0})

    summary = backfill.backfill(files, timed, workers=1, chunk_size=10)

    assert summary.outcomes == {"stored": 3, "quarantined": 1}
    (failure,) = summary.failures
    assert failure.path.name == "a-compilation.txt"
    assert failure.reason == "took longer than 1 s"
    report = json.loads((settings.quarantine / "a-compilation.txt.error.json").read_text("utf-8"))
    assert report["code"] == "timeout"
