"""Extraction workers: real worker processes, a real slow file, a real kill."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.errors import FileTooLarge, Interrupted, TookTooLong
from archive.ingest import Arrival, open_stage
from archive.workers import ExtractionWorkers

SMALL = "5月9日，市青禾集团召开安全生产工作会议，集团董事长柏松涛出席会议并讲话。\n"
# Each line names the same chairman: about 4 s of extraction per MB here, so about 15 s in
# all, far over the budget below (which a small file meets even on a busy machine).
SLOW = SMALL * 35_000
BUDGET = 3.0


def opened(path: Path) -> Arrival:
    (arrival,) = open_stage([path])
    return arrival


@pytest.fixture
def workers() -> Iterator[ExtractionWorkers]:
    with ExtractionWorkers(2, budget_seconds=BUDGET, max_bytes=2**20 * 8) as pool:
        yield pool


def test_files_are_extracted_in_the_order_given(workers: ExtractionWorkers, tmp_path: Path) -> None:
    paths = []
    for n, name in enumerate(["柏松涛", "谭鸿飞", "郑启明"]):
        path = tmp_path / f"{n}.txt"
        path.write_text(SMALL.replace("柏松涛", name), encoding="utf-8")
        paths.append(path)
    arrivals = workers.extract_all(open_stage(paths))
    assert [a.path for a in arrivals] == paths
    assert [a.document.persons[0].name for a in arrivals] == ["柏松涛", "谭鸿飞", "郑启明"]


def test_a_file_over_the_budget_comes_back_timed_out_and_its_worker_is_replaced(
    workers: ExtractionWorkers, tmp_path: Path
) -> None:
    slow, small = tmp_path / "汇编.txt", tmp_path / "会议.txt"
    slow.write_text(SLOW, encoding="utf-8")
    small.write_text(SMALL, encoding="utf-8")
    first = {p.process.pid for p in workers._all}
    timed_out, fine = workers.extract_all(open_stage([slow, small]))
    assert isinstance(timed_out.error, TookTooLong)
    assert timed_out.error.path == slow and timed_out.error.reason == "took longer than 3 s"
    assert timed_out.failed_stage == "extract" and timed_out.document is None
    assert fine.document is not None and fine.error is None, "the rest of the batch is unharmed"
    now = {p.process.pid for p in workers._all}
    assert len(now) == 2 and len(now - first) == 1, "one worker was replaced"
    assert workers.extract(opened(small)).document is not None, "and the new one works"


def test_a_file_over_the_size_limit_is_refused_by_the_worker(tmp_path: Path) -> None:
    big = tmp_path / "大文件.txt"
    big.write_text(SMALL * 30_000, encoding="utf-8")  # ~3.5 MB
    with ExtractionWorkers(1, budget_seconds=60, max_bytes=2**20) as pool:
        arrival = pool.extract(opened(big))
    assert isinstance(arrival.error, FileTooLarge) and arrival.error.path == big


def test_closing_interrupts_the_files_in_flight(tmp_path: Path) -> None:
    slow, small = tmp_path / "汇编.txt", tmp_path / "会议.txt"
    slow.write_text(SLOW, encoding="utf-8")
    small.write_text(SMALL, encoding="utf-8")
    pool = ExtractionWorkers(1, budget_seconds=600, max_bytes=None)
    assert pool.extract(opened(small)).document is not None  # the worker is up
    result: list[Arrival] = []
    thread = threading.Thread(target=lambda: result.append(pool.extract(opened(slow))))
    thread.start()
    time.sleep(0.3)  # whether it is mid-file or not yet sent, the answer is the same
    pool.close()
    thread.join(10)
    assert not thread.is_alive(), "close does not wait for the file"
    (arrival,) = result
    assert isinstance(arrival.error, Interrupted) and arrival.error.transient
    assert isinstance(pool.extract(opened(small)).error, Interrupted), "a closed pool takes nothing"
