"""The backfill flow: a large folder into the archive, one task run per chunk of files.

``archive backfill DIR`` calls it in-process when a Prefect server answers (its progress
bar follows the ingest ledger the workers append to). ``archive run`` serves it as the
``backfill`` deployment, so it can also be started from the Prefect UI (Deployments →
backfill → Run, with the folder as parameter). Each chunk goes through the whole pipeline
in Prefect's process pool, one worker per core. See :mod:`archive.backfill` for why
chunks and not files, and why workers store.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner

from archive import backfill, ingest
from archive.config import Settings, load_settings
from archive.inbox import files_in


@task(cache_policy=NO_CACHE, task_run_name="{paths[0].name} and {others} more")
def ingest_chunk(paths: list[Path], others: int, settings: Settings) -> list[ingest.IngestResult]:
    """One chunk through the whole pipeline, in a worker process. Every file not stored
    gets its own log line, with the reason."""
    logger = get_run_logger()
    results = backfill.ingest_chunk(paths, settings)
    for result in results:
        if result.outcome not in (ingest.Outcome.STORED, ingest.Outcome.DUPLICATE):
            logger.warning("%s", result.line())
    stored = sum(r.outcome is ingest.Outcome.STORED for r in results)
    logger.info("%d files: %d stored", len(results), stored)
    return results


@flow(name="backfill", task_runner=ProcessPoolTaskRunner(initializer=ingest.warm_up))
def backfill_flow(
    folder: Path,
    chunk_size: int | None = None,
) -> backfill.Summary:
    """Ingest every file under ``folder`` (nested folders too; hidden and temporary files
    skipped), leaving the folder as it is. The archive is the one the ``ARCHIVE_*``
    settings name."""
    settings = load_settings()
    paths = list(files_in(Path(folder)))
    get_run_logger().info("backfill of %s: %d files", folder, len(paths))
    with backfill.indexing(settings):
        summary = backfill.run_chunks(
            paths,
            submit=lambda chunk: ingest_chunk.submit(chunk, len(chunk) - 1, settings),
            chunk_size=chunk_size,
            ahead=2 * backfill.workers_default(),
        )
    get_run_logger().info("%s", summary.line())
    _record(summary)
    return summary


def _record(summary: backfill.Summary) -> None:
    create_markdown_artifact(
        key="backfill-summary", markdown=f"**{summary.line()}**", description="backfill"
    )
    if summary.failures:
        create_table_artifact(
            key="backfill-failures",
            table=[
                {"file": str(r.path), "outcome": r.outcome.value, "reason": r.reason or ""}
                for r in summary.failures
            ],
            description=f"{len(summary.failures)} files not stored",
        )


def run_name(folder: Path, files: int) -> str:
    """``backfill: 10000 files — /data/2019``: what the Prefect UI lists."""
    return f"backfill: {files} files — {folder}"


if __name__ == "__main__":
    # `python -m flows.backfill`: serve the `backfill` deployment until stopped (what
    # `archive run` starts beside its Prefect server).
    backfill_flow.serve(name="backfill")
