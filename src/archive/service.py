"""``archive run``: the inbox watcher and the search API in one process.

The watcher runs in a thread beside uvicorn and shares the backend with the API (the
SQLite backend gives each thread its own connection); uvicorn owns the signals, and
stopping it stops the watcher.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

import uvicorn

from archive import batches, inbox, ingest
from archive.api import create_app
from archive.backends import SearchBackend, open_backend
from archive.backends.elasticsearch import ElasticsearchBackend
from archive.config import Settings
from archive.errors import ArchiveError, ConfigError
from archive.monitoring import (
    START_TIMEOUT,
    Supervised,
    SupervisedServer,
    flush_prefect_clients,
    served_deployments,
)
from archive.read.containers import might_contain
from archive.uploads import Outcomes
from archive.workers import ExtractionWorkers

log = logging.getLogger("archive")


def configure_logging(settings: Settings) -> None:
    """Log to stderr and to ``ARCHIVE_HOME/archive.log``."""
    settings.home.mkdir(parents=True, exist_ok=True)
    formatter = logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    handlers: list[logging.Handler] = [
        logging.StreamHandler(),
        logging.FileHandler(settings.home / "archive.log", encoding="utf-8"),
    ]
    root = logging.getLogger("archive")
    root.setLevel(settings.log_level.upper())
    for handler in handlers:
        handler.setFormatter(formatter)
        root.addHandler(handler)


class Intake:
    """Takes the batches the inbox finds ready, each in a thread of its own, as many at
    once as there are extraction workers: a file dropped after a slow one is taken by
    the free worker instead of waiting (measured: it waited a whole minute behind a 7 MB
    file). A file stays in the inbox until stored, so the files in flight are remembered
    and not taken twice; a batch that failed makes the next call raise, so the inbox
    backs off as it does for a failing batch."""

    def __init__(
        self, backend: SearchBackend, settings: Settings, workers: ExtractionWorkers
    ) -> None:
        self.backend, self.settings, self.workers = backend, settings, workers
        self.outcomes = Outcomes()
        """Where the results go for the API's uploads waiting on them."""
        self._taken: set[Path] = set()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(workers.count)
        self._threads: list[threading.Thread] = []
        self._failure: BaseException | None = None

    def __call__(self, paths: list[Path]) -> None:
        with self._lock:
            failure, self._failure = self._failure, None
            fresh = [p for p in paths if p not in self._taken]
            self._taken.update(fresh)
        if failure is not None:
            with self._lock:
                self._taken.difference_update(fresh)
            raise failure
        for batch in _apart_by_size(fresh):
            self._slots.acquire()
            thread = threading.Thread(target=self._take, args=(batch,), name="batch")
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
            thread.start()

    def _take(self, paths: list[Path]) -> None:
        try:
            results = batches.run_batch(
                paths,
                self.backend,
                self.settings,
                consume=True,
                origin="inbox",
                workers=self.workers,
            )
            self.outcomes.settle(results)
        except Exception as error:  # noqa: BLE001 - reported through the next call
            log.warning("inbox: a batch failed (%s); its files stay in the inbox", error)
            with self._lock:
                self._failure = error
        finally:
            with self._lock:
                self._taken.difference_update(paths)
            self._slots.release()

    def join(self, seconds: float) -> None:
        """Wait up to ``seconds`` for the batches in flight."""
        deadline = time.monotonic() + seconds
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))


LARGE_FILE_BYTES = 256 * 1024
"""A file this large takes a second or more to extract: it is a batch of its own, so the
files that arrived with it are stored without waiting for it."""


def _apart_by_size(paths: list[Path]) -> list[list[Path]]:
    """``paths`` as batches: each large file alone, and each ZIP archive or e-mail (its
    members' bytes are held until stored: one container at a time per batch), the others
    together."""
    large = {p for p in paths if _large(p)}
    small = [p for p in paths if p not in large]
    return [[p] for p in paths if p in large] + ([small] if small else [])


def _large(path: Path) -> bool:
    if (ingest.signature(path) or (0, 0))[0] >= LARGE_FILE_BYTES:
        return True
    try:
        with path.open("rb") as f:
            return might_contain(path.name, f.read(4096))
    except OSError:
        return False


def run(settings: Settings) -> None:
    """Watch the inbox and serve the API until interrupted. Refuses to start with the API
    open to other machines and no key (:meth:`Settings.exposure_problem`)."""
    if (problem := settings.exposure_problem()) is not None:
        raise ConfigError(problem)
    configure_logging(settings)
    settings.inbox.mkdir(parents=True, exist_ok=True)
    backend = open_backend(settings)
    stop = threading.Event()
    workers = ExtractionWorkers(
        settings.workers,
        budget_seconds=settings.file_timeout_seconds,
        max_bytes=settings.max_file_bytes,
    )
    intake = Intake(backend, settings, workers)

    server = None
    if settings.prefect_api_url:
        log.info("recording ingest runs in the Prefect server at %s", settings.prefect_api_url)
    elif settings.prefect_server == "local":
        server = SupervisedServer(settings).start()
        # The flow runs of this process report to the supervised server.
        os.environ["PREFECT_API_URL"] = server.url
        settings = settings.model_copy(update={"prefect_api_url": server.url})

    deployments: list[Supervised] = []

    def watch() -> None:
        ingest.warm_up()
        if server is not None and not _ready(server, stop):
            log.warning("the Prefect server is not up yet: batches run without it meanwhile")
        if stop.is_set():
            return
        if settings.prefect_api_url:
            deployments.append(served_deployments(settings, settings.prefect_api_url).start())
        inbox.watch(
            settings.inbox,
            intake,
            settle_seconds=settings.settle_seconds,
            stop=stop,
        )

    watcher = threading.Thread(target=watch, name="inbox", daemon=True)
    if isinstance(backend, ElasticsearchBackend):
        threading.Thread(
            target=catch_up, args=(backend, stop), name="index catch-up", daemon=True
        ).start()
    log.info(
        "watching %s, data in %s, search on http://%s:%d (%s backend, %d documents)",
        settings.inbox.resolve(),
        settings.home.resolve(),
        settings.api_host,
        settings.api_port,
        backend.name,
        backend.count(),
    )
    watcher.start()
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then raises the signal again for the
    # previous handler: make that a clean exit (status 0), as a supervisor expects.
    previous = {sig: signal.signal(sig, _exit_cleanly) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        uvicorn.run(
            create_app(settings, backend, intake.outcomes),
            host=settings.api_host,
            port=settings.api_port,
            log_level=settings.log_level.lower(),
        )
    finally:
        stop.set()
        # Files being extracted stay in the inbox for the next start: a stop is prompt
        # whatever the inbox holds; what is extracted is stored first.
        workers.close()
        _drain(watcher, intake)
        backend.close()
        flushed = flush_prefect_clients()  # before the server it sends to stops
        for child in deployments:
            child.stop()
        if server is not None:
            server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("stopped")
        if not flushed:
            # Prefect's exit hooks would wait forever on a queue no server will take.
            log.warning("Prefect's client did not flush its logs in time; leaving without")
            logging.shutdown()
            os._exit(0)


CATCH_UP_SECONDS = 5.0


def catch_up(backend: ElasticsearchBackend, stop: threading.Event) -> None:
    """Send documents stored while Elasticsearch was down, every few seconds, until
    ``stop``; say once when the cluster goes away and once when it is back."""
    down = False
    while not stop.wait(CATCH_UP_SECONDS):
        try:
            sent = backend.catch_up()
        except ArchiveError as error:
            if not down:
                log.warning("%s; %d documents wait", error, backend.pending_count())
            down = True
            continue
        if down or sent:
            log.info("Elasticsearch: sent %d waiting documents", sent)
        down = False


def _ready(server: SupervisedServer, stop: threading.Event) -> bool:
    """Wait for the Prefect server, but not past a request to stop."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and not stop.is_set():
        if server.wait_ready(0.5):
            return True
    return False


DRAIN_SECONDS = 5.0
"""How long a stopping service waits for extracted files to be stored."""


def _drain(watcher: threading.Thread, intake: Intake) -> None:
    """Let the batches in progress store what was extracted (their other files stay in
    the inbox whole; a kill at any moment is safe too, but a clean stop should not leave
    work undone)."""
    watcher.join(timeout=1)
    intake.join(DRAIN_SECONDS)


def _exit_cleanly(signum: int, frame: object) -> None:
    sys.exit(0)
