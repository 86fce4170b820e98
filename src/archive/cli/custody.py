"""Commands that look after the archive: status, reprocess, retry, check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from archive.cli import COLOURS, Json, _existing_archive, _fail, _settings, app, err, out
from archive.errors import ArchiveError
from archive.originals import quarantined_files


@app.command()
def status(as_json: Json = False) -> None:
    """What the archive holds and has been doing: stored, duplicates, quarantined,
    waiting in the inbox, pending index, the last failures, and the last hour's pace."""
    from archive.status import status as snapshot

    settings = _settings()
    try:
        now = snapshot(settings, _existing_archive(settings))
    except ArchiveError as error:
        _fail(error)
    if as_json:
        out.print(now.model_dump_json(indent=2))
        return
    out.print(
        f"stored {now.stored} ({now.backend}), duplicates {now.duplicates}, "
        f"quarantined {now.quarantined}, waiting in the inbox {now.waiting}, "
        f"pending index {now.pending_index}"
        + (" (the search index is unreachable)" if now.indexed is None else "")
    )
    hour = ", ".join(f"{k} {v}" for k, v in sorted(now.last_hour.items())) or "nothing"
    out.print(f"last hour: {hour} ({now.files_per_minute} files/min)")
    for failure in now.last_failures:
        when = failure.at.astimezone().strftime("%Y-%m-%d %H:%M")
        out.print(
            f"[red]quarantined[/red] {when} {escape(failure.file)}: {escape(failure.reason or '')}"
        )


@app.command()
def reprocess(
    everything: Annotated[
        bool, typer.Option("--all", help="Every record, whatever its extractor version.")
    ] = False,
    query: Annotated[
        str | None, typer.Option("--query", help="Only the documents this search finds.")
    ] = None,
    before_version: Annotated[
        str | None,
        typer.Option(help="Only records extracted before this version (default: the current)."),
    ] = None,
) -> None:
    """Extract stored documents again from their originals after the extractor improved;
    the originals are not touched. By default, every record an older version extracted."""
    from archive.enrich import EXTRACTOR_VERSION
    from archive.reprocess import matching, older_than, reprocess

    settings = _settings()
    try:
        backend = _existing_archive(settings)
        chosen = matching(backend, query) if query is not None else None
        newer = older_than(before_version or EXTRACTOR_VERSION)
        records = [
            record
            for record in backend.documents()
            if (chosen is None or record.id in chosen) and (everything or newer(record))
        ]
        updated = kept = 0
        with _progress() as progress:
            task = progress.add_task("reprocessing", total=len(records))
            for result in reprocess(backend, records, settings.originals):
                progress.advance(task)
                if result.updated:
                    updated += 1
                else:
                    kept += 1
                    why = escape(result.reason or "")
                    err.print(f"[yellow]kept[/yellow] {escape(result.filename)}: {why}")
    except ArchiveError as error:
        _fail(error)
    out.print(f"{updated} reprocessed to extractor {EXTRACTOR_VERSION}, {kept} kept as they were")
    if kept:
        raise typer.Exit(1)


@app.command()
def retry(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Quarantined files (default: see --all).")
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Every quarantined file.")] = False,
) -> None:
    """Put quarantined files through the pipeline again (after a fix or a new release).
    A file that now makes a document leaves the quarantine with its report; one that
    still fails stays, with a fresh report."""
    from archive.ingest import retry_quarantined

    settings = _settings()
    if everything == bool(files):
        raise typer.BadParameter("name quarantined files or pass --all, not both")
    chosen = (
        quarantined_files(settings.quarantine) if everything else [Path(f) for f in files or []]
    )
    outside = [f for f in chosen if f.resolve().parent != settings.quarantine.resolve()]
    if outside:
        _fail(ArchiveError(f"{outside[0]}: not a file in the quarantine ({settings.quarantine})"))
    try:
        results = retry_quarantined(chosen, _existing_archive(settings), settings)
    except ArchiveError as error:
        _fail(error)
    for result in results:
        out.print(f"[{COLOURS[result.outcome.value]}]{escape(result.line())}[/]")
    if any(r.outcome.value == "quarantined" for r in results):
        raise typer.Exit(1)


@app.command()
def check(as_json: Json = False) -> None:
    """Check that the archive holds together: every record has its original, every
    original a record, the index as many documents as the store, every quarantined file
    its report. Exit 1 when something is out of place."""
    from archive.check import check as run_check

    settings = _settings()
    try:
        problems = run_check(_existing_archive(settings), settings.originals, settings.quarantine)
    except ArchiveError as error:
        _fail(error)
    if as_json:
        out.print(json.dumps([p.__dict__ for p in problems], ensure_ascii=False, indent=2))
    elif not problems:
        out.print("the archive is sound")
    for problem in [] if as_json else problems:
        out.print(f"[red]{problem.kind}[/red] {escape(problem.where)}: {escape(problem.detail)}")
    if problems:
        raise typer.Exit(1)


def _progress() -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
