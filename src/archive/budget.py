"""A time budget for one file's extraction inside the process that runs it.

The service extracts in worker processes it can kill (:mod:`archive.workers`). A backfill
worker, or ``archive ingest``, extracts in its own main thread: there an interval timer
interrupts the file instead. Extraction is Python code, which a signal interrupts between
two bytecodes; a call into a library (a regex, rjieba on one run of text, OpenCC) finishes
first: milliseconds on news, possibly seconds on a long text without punctuation. The
file fails with :class:`TookTooLong` and is quarantined; the process goes on with the
next file.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from archive.errors import TookTooLong


@contextmanager
def time_budget(path: Path, seconds: float | None) -> Iterator[None]:
    """Raise :class:`TookTooLong` for ``path`` in the block if it runs past ``seconds``.

    Only the main thread receives signals: elsewhere (or with ``seconds`` None) the block
    runs without a budget. A timer already set (a test runner's own time limit) still
    fires at its times, and is set again afterwards."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    alarm = _Alarm(path, seconds)
    try:
        yield
    finally:
        alarm.stop()


class _Alarm:
    """The process's one real-time timer, shared by a budget and a timer set before it:
    armed for whichever is due first."""

    def __init__(self, path: Path, seconds: float) -> None:
        self.path, self.seconds = path, seconds
        now = time.monotonic()
        self.deadline = now + seconds
        self.outer_handler = signal.getsignal(signal.SIGALRM)
        delay, self.outer_interval = signal.getitimer(signal.ITIMER_REAL)
        self.outer_next = now + delay if delay else None
        """When the timer set before fires next (None: not set, or fired for good)."""
        self.stopped = False
        signal.signal(signal.SIGALRM, self._fired)
        self._arm()

    def _arm(self) -> None:
        due = self.deadline if self.outer_next is None else min(self.deadline, self.outer_next)
        signal.setitimer(signal.ITIMER_REAL, max(due - time.monotonic(), 1e-3))

    def _fired(self, signum: int, frame: FrameType | None) -> None:
        if self.stopped:  # the block is over: a budget that ran out just now is moot
            return
        if self.outer_next is not None and self.outer_next < self.deadline:
            # The outer timer's turn: it fires, and its next time (if it repeats) and
            # ours are armed again.
            interval = self.outer_interval
            self.outer_next = self.outer_next + interval if interval else None
            self._arm()
            if callable(self.outer_handler):
                self.outer_handler(signum, frame)
            return
        # Raised inside a garbage collector's callback or a __del__, the exception would
        # be printed and dropped: the alarm comes again until the block is left.
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        raise TookTooLong(self.path, f"took longer than {self.seconds:g} s")

    def stop(self) -> None:
        """Disarm, and give the timer back to the one set before, if any."""
        self.stopped = True
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.outer_handler)
        if self.outer_next is not None:
            left = max(self.outer_next - time.monotonic(), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, self.outer_interval)
