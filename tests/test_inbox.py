import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from archive.inbox import Completions, Settling, files_in, is_junk, watch


@pytest.mark.parametrize(
    "name",
    [
        "a.txt.part",
        "b.crdownload",
        "c.tmp",
        "~$会议.docx",
        ".DS_Store",
        "Thumbs.db",
        ".hidden.txt",
        ".git/config",
        "x.swp",
    ],
)
def test_junk_is_never_taken(name: str) -> None:
    assert is_junk(Path(name))


@pytest.mark.parametrize("name", ["会议.txt", "sub/news.html", "2021 (1).txt", "a.b.txt"])
def test_ordinary_files_are_taken(name: str) -> None:
    assert not is_junk(Path(name))


def test_files_in_walks_nested_folders(tmp_path: Path) -> None:
    for name in ["b.txt", "sub/deeper/a.txt", "sub/.DS_Store", "c.part"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in files_in(tmp_path)] == [
        "b.txt",
        "sub/deeper/a.txt",
    ]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_file_is_ready_only_once_it_stops_changing(tmp_path: Path) -> None:
    clock = Clock()
    settling = Settling(1.0, clock=clock)
    path = tmp_path / "a.txt"
    path.write_text("part")
    assert settling.ready([path]) == []
    clock.now = 0.5
    path.write_text("part two, still being written")
    assert settling.ready([path]) == []
    clock.now = 1.2
    assert settling.ready([path]) == [], "changed at 0.5, so not settled until 1.5"
    clock.now = 1.6
    assert settling.ready([path]) == [path]


def test_vanished_files_are_forgotten(tmp_path: Path) -> None:
    clock = Clock()
    settling = Settling(1.0, clock=clock)
    path = tmp_path / "a.txt"
    path.write_text("x")
    assert settling.ready([path]) == []
    path.unlink()
    clock.now = 5.0
    assert settling.ready([path]) == []
    path.write_text("x")  # the same name again is a new file: it must settle anew
    assert settling.ready([path]) == []
    clock.now = 6.5
    assert settling.ready([path]) == [path]


@contextmanager
def watching(inbox: Path, handle, settle_seconds: float) -> Iterator[None]:
    """``watch`` running in a thread for the duration of the block."""
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(inbox, handle), kwargs={"settle_seconds": settle_seconds, "stop": stop}
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(10)


def wait_until(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_watch_takes_waiting_and_arriving_files(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "waiting.txt").write_text("already here")
    taken: list[str] = []

    def handle(paths: list[Path]) -> None:
        for path in paths:
            taken.append(path.name)
            path.unlink()

    with watching(inbox, handle, settle_seconds=0.1):
        (inbox / "nested").mkdir()
        (inbox / "nested" / "new.txt").write_text("dropped later")
        (inbox / "ignored.part").write_text("partial download")
        wait_until(lambda: len(taken) >= 2)
    assert sorted(taken) == ["new.txt", "waiting.txt"]
    assert (inbox / "ignored.part").exists()


def test_a_failing_batch_does_not_stop_the_watcher(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("x")
    calls: list[int] = []

    def handle(paths: list[Path]) -> None:
        calls.append(len(paths))
        if len(calls) == 1:
            raise RuntimeError("backend exploded")
        for path in paths:
            path.unlink()

    with watching(inbox, handle, settle_seconds=0.0):
        wait_until(lambda: len(calls) >= 2 and not (inbox / "a.txt").exists())
    assert len(calls) >= 2 and not (inbox / "a.txt").exists()


def test_a_finished_file_is_ready_at_once_and_a_file_being_written_is_not(
    tmp_path: Path,
) -> None:
    completions = Completions()
    completions.watch([tmp_path])
    settling = Settling(3600.0)  # settling alone would take an hour
    open_file = (tmp_path / "copying.txt").open("w")
    open_file.write("half of it")
    open_file.flush()
    closed = tmp_path / "closed.txt"
    closed.write_text("written and closed")
    (tmp_path / "moved.txt.part").write_text("a careful copier's file")
    (tmp_path / "moved.txt.part").rename(tmp_path / "moved.txt")
    present = sorted(tmp_path.iterdir())
    ready = settling.ready(present, completions.finished(present))
    assert sorted(p.name for p in ready) == ["closed.txt", "moved.txt"]
    open_file.write(", then the rest")
    open_file.close()
    present = sorted(tmp_path.iterdir())
    assert (tmp_path / "copying.txt") in settling.ready(present, completions.finished(present))
    completions.close()


def test_a_finished_file_written_to_again_waits_for_the_next_close(tmp_path: Path) -> None:
    completions = Completions()
    completions.watch([tmp_path])
    path = tmp_path / "a.txt"
    path.write_text("first version")
    with path.open("a") as again:
        present = [path]
        finished = completions.finished(present)  # read while it is open again
        again.write(" and more")
        again.flush()
        assert Settling(3600.0).ready(present, finished) == [], "changed since that close"
    completions.close()


def test_watch_takes_a_finished_file_without_waiting_for_it_to_settle(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    taken: list[float] = []

    def handle(paths: list[Path]) -> None:
        for path in paths:
            taken.append(time.monotonic())
            path.unlink()

    with watching(inbox, handle, settle_seconds=3600):
        time.sleep(0.5)  # the watcher is up
        (inbox / "会议.txt").write_text("dropped")
        wait_until(lambda: bool(taken), 10)
    assert len(taken) == 1, "taken on its close, not after the hour of settling"
