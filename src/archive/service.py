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
from archive.errors import ArchiveError
from archive.monitoring import (
    START_TIMEOUT,
    Supervised,
    SupervisedServer,
    served_deployments,
)

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


def take_batch(paths: list[Path], backend: SearchBackend, settings: Settings) -> None:
    """Ingest files the inbox found ready; each file's outcome is logged by the pipeline."""
    batches.run_batch(paths, backend, settings, consume=True, origin="inbox")


def run(settings: Settings) -> None:
    """Watch the inbox and serve the API until interrupted."""
    configure_logging(settings)
    settings.inbox.mkdir(parents=True, exist_ok=True)
    backend = open_backend(settings)
    stop = threading.Event()

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
            lambda paths: take_batch(paths, backend, settings),
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
            create_app(settings, backend),
            host=settings.api_host,
            port=settings.api_port,
            log_level=settings.log_level.lower(),
        )
    finally:
        stop.set()
        _drain(watcher)
        backend.close()
        for child in deployments:
            child.stop()
        if server is not None:
            server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("stopped")


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


DRAIN_SECONDS = 120.0
"""How long a stopping service waits for the batch in progress to be stored."""


def _drain(watcher: threading.Thread) -> None:
    """Let the batch in progress finish (its files are stored or stay in the inbox whole;
    a kill at any moment is safe too, but a clean stop should not leave work undone)."""
    watcher.join(timeout=1)
    if watcher.is_alive():
        log.info("stopping: finishing the batch in progress")
        watcher.join(timeout=DRAIN_SECONDS)


def _exit_cleanly(signum: int, frame: object) -> None:
    sys.exit(0)
