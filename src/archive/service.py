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
from pathlib import Path

import uvicorn

from archive import batches, inbox
from archive.api import create_app
from archive.backends import SearchBackend, open_backend
from archive.config import Settings
from archive.monitoring import SupervisedServer

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


def warm_up() -> None:
    """Load jieba, its tagging model and the rule lists before the first file arrives,
    so that file is not 2-3 s slower than the rest."""
    from archive.enrich import enrich
    from archive.normalize import normalize
    from archive.read import read_bytes

    sample = "1月1日，青禾集团召开工作会议。总经理常昭明说，各单位要抓好落实。"
    enrich(normalize(read_bytes(sample.encode("utf-8"), "warm-up.txt")))


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

    def watch() -> None:
        warm_up()
        if server is not None and not server.wait_ready():
            log.warning("the Prefect server is not up yet: batches run without it meanwhile")
        inbox.watch(
            settings.inbox,
            lambda paths: take_batch(paths, backend, settings),
            settle_seconds=settings.settle_seconds,
            stop=stop,
        )

    watcher = threading.Thread(target=watch, name="inbox", daemon=True)
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
        watcher.join(timeout=5)
        backend.close()
        if server is not None:
            server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("stopped")


def _exit_cleanly(signum: int, frame: object) -> None:
    sys.exit(0)
