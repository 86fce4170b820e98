"""``archive backfill DIR``: a large folder into the archive, with a progress bar."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from archive.backfill import CHUNK_SIZE, Summary
from archive.cli import _fail, _settings, app, err, out
from archive.config import Settings
from archive.errors import ArchiveError


@app.command()
def backfill(
    folder: Annotated[
        Path, typer.Argument(exists=True, file_okay=False, help="The folder to ingest.")
    ],
    chunk_size: Annotated[
        int | None,
        typer.Option(
            min=1,
            help=f"Files per chunk (one Prefect task run per chunk); default {CHUNK_SIZE}, "
            "fewer for a small folder.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes without Prefect (default: one per core)."),
    ] = None,
) -> None:
    """Ingest a large folder (nested folders too) in chunks, on every core, with a
    progress bar. The folder is left as it is; the archive keeps a copy of each file.

    Recorded as a `backfill` flow run when a Prefect server answers (`archive run` serves
    the same flow as a deployment, to start from the Prefect UI). Exit 1 if any file was
    not stored; the summary names them and why."""
    from archive.batches import prefect_server
    from archive.inbox import files_in

    settings = _settings()
    files = list(files_in(folder))
    if url := prefect_server(settings):
        work = partial(_with_prefect, folder, url, len(files), chunk_size)
    else:
        work = partial(_without_prefect, files, settings, workers, chunk_size)
    try:
        summary = _with_progress(work, settings.ledger, len(files))
    except ArchiveError as error:
        _fail(error)
    for failure in summary.failures:
        err.print(f"[red]{escape(failure.line())}[/red]")
    out.print(summary.line())
    if summary.failures:
        raise typer.Exit(1)


def _with_progress(work: Callable[[], Summary], ledger_path: Path, total: int) -> Summary:
    """Run ``work`` in a thread while a progress bar follows the ingest ledger, where the
    workers record each file they finish."""
    from archive import ledger

    offset = ledger.size(ledger_path)
    with _bar() as bar, ThreadPoolExecutor(1) as pool:
        task = bar.add_task("backfill", total=total, not_stored=0)
        running = pool.submit(work)
        done = not_stored = 0
        while not running.done():
            events, offset = ledger.since(ledger_path, offset)
            done += len(events)
            not_stored += sum(e.outcome in ("quarantined", "skipped") for e in events)
            bar.update(task, completed=min(done, total), not_stored=not_stored)
            wait([running], timeout=0.25)
        summary = running.result()
        bar.update(task, completed=summary.done, not_stored=len(summary.failures))
    return summary


def _with_prefect(folder: Path, url: str, files: int, chunk_size: int | None) -> Summary:
    os.environ.setdefault("PREFECT_API_URL", url)
    from flows.backfill import backfill_flow, run_name

    flow = backfill_flow.with_options(flow_run_name=run_name(folder.resolve(), files))
    return flow(folder.resolve(), chunk_size=chunk_size)


def _without_prefect(
    files: list[Path], settings: Settings, workers: int | None, chunk_size: int | None
) -> Summary:
    from archive.backfill import backfill as run_backfill

    return run_backfill(files, settings, workers=workers, chunk_size=chunk_size)


class FilesPerSecond(ProgressColumn):
    """Files per second since the start (chunks arrive in bursts: an average says more
    than the last second's pace)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:6.1f} files/s", style="progress.data.speed")


def _bar() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        FilesPerSecond(),
        TextColumn("[red]{task.fields[not_stored]} not stored"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
    )
