"""Where a batch of files is processed: in a Prefect flow run when a Prefect server is
reachable (so the run is recorded and visible in the Prefect UI), otherwise by calling the
same stage functions directly.

Prefect's ephemeral mode (no server) costs 11-20 s of start-up per process here and breaks
under concurrent runs, and importing Prefect alone takes ~4 s, so without a server the
archive does not touch Prefect at all.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path

import httpx

from archive import ingest
from archive.backends.base import SearchBackend
from archive.config import Settings
from archive.monitoring import local_url
from archive.workers import ExtractionWorkers

log = logging.getLogger(__name__)

HEALTH_TTL_SECONDS = 30.0
"""How long an answer of the Prefect server's health check is trusted."""

_health: dict[str, tuple[float, bool]] = {}


def prefect_server(settings: Settings) -> str | None:
    """The API URL of the Prefect server in ``PREFECT_API_URL`` if it answers, else None.
    A server that is set but down is reported once per :data:`HEALTH_TTL_SECONDS`."""
    url = settings.prefect_api_url
    if not url and settings.prefect_server == "local":
        url = local_url(settings)  # `archive run`'s own server, if it is running
    if not url:
        return None
    checked_at, healthy = _health.get(url, (0.0, False))
    if time.monotonic() - checked_at > HEALTH_TTL_SECONDS:
        healthy = _answers(url)
        _health[url] = (time.monotonic(), healthy)
        if not healthy:
            log.info("Prefect server %s does not answer: running batches without it", url)
    return url if healthy else None


def _answers(url: str) -> bool:
    try:
        return httpx.get(url.rstrip("/") + "/health", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def run_batch(
    paths: list[Path],
    backend: SearchBackend,
    settings: Settings,
    *,
    consume: bool,
    origin: str,
    workers: ExtractionWorkers | None = None,
) -> list[ingest.IngestResult]:
    """Ingest one batch: as a recorded flow run when a Prefect server answers (the flow
    opens its own connection to the backend the settings name), else directly. With
    ``workers``, files are extracted there, each on its time budget."""
    if not paths:
        return []
    if url := prefect_server(settings):
        # Prefect's client reads its server from the environment.
        os.environ.setdefault("PREFECT_API_URL", url)
        from flows.ingest import ingest_flow, run_name

        flow = ingest_flow.with_options(flow_run_name=run_name(origin, paths))
        return asyncio.run(flow(paths, settings, consume, workers))
    return ingest.ingest(paths, backend, settings, consume=consume, workers=workers)
