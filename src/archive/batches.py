"""Where a batch of files is processed: in a Prefect flow run when a Prefect server is
reachable (so the run is recorded and visible in the Prefect UI), otherwise by calling the
same stage functions directly.

Prefect's ephemeral mode (no server) costs 11-20 s of start-up per process here and breaks
under concurrent runs, and importing Prefect alone takes ~4 s, so without a server the
archive does not touch Prefect at all.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx

from archive import ingest
from archive.backends.base import SearchBackend
from archive.config import Settings


def prefect_server() -> str | None:
    """The API URL of a reachable Prefect server (``PREFECT_API_URL``), else None."""
    url = os.environ.get("PREFECT_API_URL")
    if not url:
        return None
    try:
        response = httpx.get(url.rstrip("/") + "/health", timeout=2.0)
    except httpx.HTTPError:
        return None
    return url if response.status_code == 200 else None


def process(
    paths: list[Path],
    backend: SearchBackend,
    settings: Settings,
    *,
    consume: bool,
    origin: str,
) -> list[ingest.IngestResult]:
    """Ingest one batch, as a recorded flow run when a Prefect server answers."""
    if not paths:
        return []
    if prefect_server():
        from flows.ingest import ingest_flow, run_name

        flow = ingest_flow.with_options(flow_run_name=run_name(origin, paths))
        return asyncio.run(flow(paths, settings, consume))
    return ingest.ingest(paths, backend, settings, consume=consume)
