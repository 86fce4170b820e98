"""Extraction workers: processes that read, normalize and enrich one file at a time, each
file on a time budget, so that no file can stall the inbox.

Extraction is pure Python and cannot be interrupted inside the process that runs it, so
the service hands each file to a worker process (started once, its rules loaded once) and
waits for the answer at most ``ARCHIVE_FILE_TIMEOUT_SECONDS``. A worker that runs past the
budget is killed and replaced, and its file comes back with :class:`TookTooLong` (it is
quarantined); one that dies (out of memory, a crash in a library) likewise. Files are
taken by whichever worker is free, so a small file dropped after a slow one does not wait
for it. A container (a ZIP archive, an e-mail with attachments) is opened by the calling
process (bounded: sizes are judged before anything is decompressed) and each member is
extracted by a worker on a budget of its own. Only the file's path, or the member's bytes,
go in; the :class:`Arrival` comes out.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from multiprocessing.connection import Connection

from archive import ingest
from archive.errors import IngestError, Interrupted, TookTooLong
from archive.ingest import Arrival

log = logging.getLogger(__name__)

START_SECONDS = 120.0
"""How long a new worker may take to load its rules (about 2 s here) before it counts
as broken."""


class _Worker:
    """One extraction process and the pipe to it."""

    def __init__(self, max_bytes: int | None) -> None:
        context = multiprocessing.get_context("spawn")  # a fork would copy our SQLite handles
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, max_bytes), name="archive extraction", daemon=True
        )
        self.process.start()
        child.close()
        self.started = False

    def wait_started(self) -> bool:
        """Wait for the worker's "ready" (its rules loaded); False if it never came."""
        if not self.started:
            self.started = self.conn.poll(START_SECONDS) and self.conn.recv() == "ready"
        return self.started

    def stop(self) -> None:
        """Kill the process; whoever waits on its pipe sees the end of it."""
        self.process.kill()
        self.process.join()

    def kill(self) -> None:
        """Kill the process and close the pipe: only by the thread that holds the worker
        (closing a pipe another thread polls could let it poll a reused descriptor)."""
        self.stop()
        if not self.conn.closed:
            self.conn.close()


def _serve(conn: Connection, max_bytes: int | None) -> None:
    """The worker's loop: an opened :class:`Arrival` in, the same read, normalized and
    enriched out, until the pipe closes."""
    # Ctrl-C in a terminal reaches the whole process group: the service stops its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ingest.warm_up()
    conn.send("ready")
    while True:
        try:
            opened = conn.recv()
        except (EOFError, OSError):
            return
        (arrival,) = ingest.extract_opened([opened], max_bytes)
        conn.send(replace(arrival, member=None))  # its bytes are with the caller already


class ExtractionWorkers:
    """``count`` worker processes extracting files with a time budget per file."""

    def __init__(self, count: int, *, budget_seconds: float, max_bytes: int | None) -> None:
        self.count = count
        self.budget_seconds = budget_seconds
        self.max_bytes = max_bytes
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        for _ in range(count):
            self._idle.put(self._new_worker())

    def _new_worker(self) -> _Worker:
        worker = _Worker(self.max_bytes)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        if not self._closed.is_set():
            self._idle.put(self._new_worker())

    def extract(self, opened: Arrival) -> Arrival:
        """An opened file or member (:func:`~archive.ingest.open_stage`) read, normalized
        and enriched by a free worker within the budget; one over the budget, or whose
        worker dies, comes back with its error."""
        if opened.error is not None:
            return opened  # refused when it was opened: nothing to extract
        path = opened.path
        worker = self._free_worker()
        if worker is None:
            return _failed(opened, Interrupted(path, "the service stopped before it was read"))
        try:
            if not worker.wait_started():
                raise OSError("the extraction worker did not start")
            worker.conn.send(opened)
            if worker.conn.poll(self.budget_seconds):
                arrival: Arrival = worker.conn.recv()
                self._release(worker)
                return replace(arrival, member=opened.member)
        except (EOFError, OSError) as exc:
            return self._lost(worker, opened, exc)
        log.warning("%s took longer than %g s: its worker is replaced", path, self.budget_seconds)
        self._retire(worker)
        return _failed(opened, TookTooLong(path, f"took longer than {self.budget_seconds:g} s"))

    def _release(self, worker: _Worker) -> None:
        self._idle.put(worker)
        if self._closed.is_set():  # closed meanwhile: the loop in close() may be past
            self.close()

    def _free_worker(self) -> _Worker | None:
        """The next idle worker; None once the pool is closed."""
        while not self._closed.is_set():
            try:
                return self._idle.get(timeout=0.1)
            except queue.Empty:
                continue
        return None

    def _lost(self, worker: _Worker, opened: Arrival, exc: BaseException) -> Arrival:
        self._retire(worker)
        path = opened.path
        if self._closed.is_set():
            return _failed(opened, Interrupted(path, "the service stopped while it was read"))
        code = worker.process.exitcode
        log.error("%s: the extraction worker died (exit code %s, %r)", path, code, exc)
        return _failed(opened, IngestError(path, f"the extraction worker died (exit code {code})"))

    def extract_all(self, opened: Sequence[Arrival]) -> list[Arrival]:
        """Each of ``opened`` through :meth:`extract`, as many at once as there are
        workers; in the order given."""
        if not opened:
            return []
        with ThreadPoolExecutor(min(self.count, len(opened))) as pool:
            return list(pool.map(self.extract, opened))

    def close(self) -> None:
        """Stop every worker now; files being extracted come back :class:`Interrupted`
        (they stay where they are, to be taken again)."""
        self._closed.set()
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            worker.stop()  # a thread extracting with it sees the pipe end and retires it
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                break

    def __enter__(self) -> ExtractionWorkers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _failed(opened: Arrival, error: IngestError) -> Arrival:
    return replace(opened, error=error, failed_stage="extract")
