"""The ingest flow: the pipeline's stages as Prefect tasks over one batch of files.

Two tasks per batch, not per file or per stage: ``extract`` (read → normalize → enrich,
each file in one go, in the service's extraction workers with a time budget per file:
:mod:`archive.workers`) and ``store``. A task run costs about 56 ms against a local
Prefect server and an async flow run about 0.25 s (measured here), so per-file tasks
would dominate the time of small articles. Every file still gets its own log line and a
row in the run's table artifact.

A backend that is busy or unreachable is retried inside the store task, for the one file
it refused (:data:`archive.ingest.STORE_RETRY_DELAYS`), not by a Prefect task retry: that
would run the whole batch's store again, visiting files already stored and moved out.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import acreate_table_artifact
from prefect.cache_policies import NO_CACHE

from archive import ingest
from archive.backends import open_backend
from archive.config import Settings
from archive.workers import ExtractionWorkers


@task(cache_policy=NO_CACHE, name="extract")
def extract_files(
    paths: list[Path], settings: Settings, workers: ExtractionWorkers | None
) -> list[ingest.Arrival]:
    return ingest.extract_batch(paths, settings, workers)


@task(cache_policy=NO_CACHE, name="store")
def store_documents(
    arrivals: list[ingest.Arrival], settings: Settings, consume: bool
) -> list[ingest.IngestResult]:
    logger = get_run_logger()
    backend = open_backend(settings)
    try:
        results = ingest.store_stage(arrivals, backend, settings, consume=consume)
    finally:
        backend.close()
    for result in results:
        logger.info("%s", result.line())
    return results


# The workers are a live object of the calling process: not validated, recorded as a name.
@flow(name="ingest", log_prints=False, validate_parameters=False)
async def ingest_flow(
    paths: list[Path],
    settings: Settings,
    consume: bool = True,
    workers: ExtractionWorkers | None = None,
) -> list[ingest.IngestResult]:
    """Read, normalize, enrich and store one batch of files; quarantine the bad ones."""
    arrivals = extract_files(paths, settings, workers)
    results = store_documents(arrivals, settings, consume)
    await _record_outcomes(results)
    return results


async def _record_outcomes(results: list[ingest.IngestResult]) -> None:
    await acreate_table_artifact(
        key="ingest-outcomes",
        table=[
            {
                "file": r.where,
                "outcome": r.outcome.value,
                "id": r.doc_id or "",
                "title": r.title or "",
                "reason": r.reason or "",
            }
            for r in results
        ],
        description=f"{len(results)} documents",
    )


def run_name(origin: str, paths: list[Path]) -> str:
    """``inbox: 3 files — 会议纪要.txt, 通知.html, …``: what the Prefect UI lists."""
    names = ", ".join(p.name for p in paths[:3]) + (", …" if len(paths) > 3 else "")
    count = f"{len(paths)} file" + ("s" if len(paths) != 1 else "")
    return f"{origin}: {count} — {names}"
