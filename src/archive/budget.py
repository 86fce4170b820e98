"""A time budget for one file's extraction inside the process that runs it.

The service extracts in worker processes it can kill (:mod:`archive.workers`). A backfill
worker, or ``archive ingest``, extracts in its own main thread: there an interval timer
interrupts the file instead. Extraction is Python code, which a signal interrupts between
two bytecodes; a call into a library (a regex, rjieba on one sentence) finishes first,
which takes milliseconds. The file fails with :class:`TookTooLong` and is quarantined; the
process goes on with the next file.
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
    fires at its time, and is set again afterwards for what is left of it."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    now = time.monotonic()
    deadline = now + seconds
    outer_handler = signal.getsignal(signal.SIGALRM)
    outer_delay, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    outer_deadline = now + outer_delay if outer_delay else None

    outer_due = [outer_deadline is not None and outer_deadline < deadline]

    def over(signum: int, frame: FrameType | None) -> None:
        if outer_due[0]:  # the outer timer's turn, then ours again
            outer_due[0] = False
            signal.setitimer(signal.ITIMER_REAL, max(deadline - time.monotonic(), 1e-3))
            if callable(outer_handler):
                outer_handler(signum, frame)
            return
        raise TookTooLong(path, f"took longer than {seconds:g} s")

    signal.signal(signal.SIGALRM, over)
    first = min(deadline, outer_deadline) if outer_deadline is not None else deadline
    signal.setitimer(signal.ITIMER_REAL, max(first - now, 1e-3))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, outer_handler)
        if outer_deadline is not None and (outer_due[0] or outer_deadline >= deadline):
            left = max(outer_deadline - time.monotonic(), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)
