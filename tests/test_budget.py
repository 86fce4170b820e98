"""The in-process time budget (backfill workers, ``archive ingest``): a real slow
extraction is interrupted, the next file goes on, and the timer leaves nothing behind."""

from __future__ import annotations

import gc
import signal
import threading
import time
from pathlib import Path

import pytest

from archive import ingest
from archive.budget import _Alarm, time_budget
from archive.errors import TookTooLong

LINE = "5月9日，市青禾集团召开安全生产工作会议，集团党委书记、董事长柏松涛出席会议并讲话。\n"


# After the hypothesis tests, its gc callback may take the first alarm (Python prints and
# drops it; the budget comes again): that drop is expected here, not a failure.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_slow_file_fails_with_the_budget_and_the_next_is_extracted(tmp_path: Path) -> None:
    ingest.warm_up()
    slow, small = tmp_path / "compilation.txt", tmp_path / "small.txt"
    slow.write_text(LINE * 40_000, encoding="utf-8")  # about 3 s per MB here
    small.write_text(LINE, encoding="utf-8")

    first, second = ingest.extract_stages([slow, small], budget_seconds=1.0)

    assert isinstance(first.error, TookTooLong)
    assert first.error.reason == "took longer than 1 s" and first.error.path == slow
    assert second.error is None and second.document is not None
    assert [p.name for p in second.document.persons] == ["柏松涛"]


def test_a_block_within_its_budget_leaves_no_timer() -> None:
    before = signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL)[0] > 0
    with time_budget(Path("x.txt"), 5.0):
        pass
    assert (signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL)[0] > 0) == before
    with pytest.raises(TookTooLong), time_budget(Path("x.txt"), 0.05):
        while True:  # pure Python: the signal lands between two bytecodes
            pass


def test_outside_the_main_thread_there_is_no_budget() -> None:
    done = []

    def work() -> None:
        with time_budget(Path("x.txt"), 0.01):
            time.sleep(0.1)
        done.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert done == [True]


def test_a_timer_set_before_still_fires_at_its_time_and_is_set_again() -> None:
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(time.monotonic()))
    outer = signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        started = time.monotonic()
        with time_budget(Path("x.txt"), 5.0):
            time.sleep(0.4)  # the outer timer fires in here, and the budget goes on
        assert len(fired) == 1 and fired[0] - started < 0.4
        with time_budget(Path("x.txt"), 5.0):
            signal.setitimer(signal.ITIMER_REAL, 0)  # pretend: nothing pending any more
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        with pytest.raises(TookTooLong), time_budget(Path("x.txt"), 0.3):
            while True:  # the outer timer (0.1 s) fires first, then the budget
                pass
        assert len(fired) == 2
    finally:
        signal.setitimer(signal.ITIMER_REAL, *outer)
        signal.signal(signal.SIGALRM, previous)


def test_a_repeating_timer_set_before_keeps_repeating() -> None:
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(time.monotonic()))
    outer = signal.setitimer(signal.ITIMER_REAL, 0.05, 0.1)
    try:
        with time_budget(Path("x.txt"), 5.0):
            time.sleep(0.3)  # fires at 0.05, 0.15, 0.25
        assert len(fired) == 3
        assert signal.getitimer(signal.ITIMER_REAL)[1] == pytest.approx(0.1)
        time.sleep(0.12)
        assert len(fired) == 4, "it goes on after the block"
    finally:
        signal.setitimer(signal.ITIMER_REAL, *outer)
        signal.signal(signal.SIGALRM, previous)


def test_a_budget_running_out_as_the_block_ends_changes_nothing() -> None:
    # The signal can land after the block's last statement, before the timer is
    # disarmed: the file was extracted, and must not also come back as too slow.
    alarm = _Alarm(Path("x.txt"), 5.0)
    alarm.stop()
    alarm._fired(signal.SIGALRM, None)  # what a signal delivered at that moment runs


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_budget_holds_when_its_first_signal_lands_in_a_gc_callback() -> None:
    # Python prints and drops an exception raised in a gc callback (hypothesis installs
    # one): the budget must still end the block.
    swallowed = []

    def slow_callback(phase: str, info: dict) -> None:
        if phase == "start" and not swallowed:
            swallowed.append(True)
            time.sleep(0.2)  # the alarm lands here, in the callback

    gc.callbacks.append(slow_callback)
    try:
        with pytest.raises(TookTooLong), time_budget(Path("x.txt"), 0.1):
            gc.collect()  # the callback sleeps past the budget
            while True:
                pass
    finally:
        gc.callbacks.remove(slow_callback)
    assert swallowed == [True]
