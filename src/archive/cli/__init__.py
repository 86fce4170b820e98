"""The ``archive`` command: ingest, search, directives, show, extract, and run the service.

Heavy modules are imported inside the commands: ``archive --help`` and a one-file
``archive ingest`` should not pay for the API server or Prefect.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from archive.config import Settings, load_settings
from archive.errors import ArchiveError, ConfigError

if TYPE_CHECKING:
    from archive.backends import SearchBackend

app = typer.Typer(
    help="Turn a folder of Chinese meeting news into a searchable archive.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

BATCH_SIZE = 50
"""Files per batch for ``archive ingest``: each batch is stored before the next is read."""

Paths = Annotated[
    list[Path], typer.Argument(exists=True, help="Files or folders (folders are read recursively).")
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
COLOURS = {"stored": "green", "duplicate": "cyan", "quarantined": "red", "skipped": "yellow"}


def _files(paths: list[Path]) -> Iterator[Path]:
    from archive.inbox import files_in

    for path in paths:
        yield from (files_in(path) if path.is_dir() else [path])


def _fail(error: ArchiveError) -> NoReturn:
    err.print(f"[red]error:[/red] {escape(str(error))}")
    raise typer.Exit(1)


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        _fail(error)


def _existing_archive(settings: Settings) -> SearchBackend:
    """The backend of an archive that exists: reading commands never create an empty one
    (a wrong ARCHIVE_HOME would otherwise answer "0 documents")."""
    from archive.backends import open_backend

    if not settings.database.exists():  # the store, with Elasticsearch too
        _fail(
            ConfigError(
                f"no archive at {settings.home.resolve()} (set ARCHIVE_HOME, "
                "or store files first with `archive ingest`)"
            )
        )
    return open_backend(settings)


@app.command()
def ingest(paths: Paths) -> None:
    """Store files in the archive, one line per file. Exit 1 if any was not stored.

    The files are left where they are; the archive keeps a copy of each (quarantined ones
    in ARCHIVE_HOME/quarantine with the reason). Hidden and temporary files are skipped."""
    from archive.backends import open_backend
    from archive.batches import run_batch
    from archive.ingest import Outcome

    settings = _settings()
    files = list(_files(paths))
    all_stored = True
    try:
        backend = open_backend(settings)
        for start in range(0, len(files), BATCH_SIZE):
            batch = files[start : start + BATCH_SIZE]
            for result in run_batch(batch, backend, settings, consume=False, origin="cli"):
                colour = COLOURS[result.outcome]
                out.print(f"[{colour}]{escape(result.line())}[/{colour}]")
                all_stored &= result.outcome in (Outcome.STORED, Outcome.DUPLICATE)
        backend.close()
    except ArchiveError as error:
        _fail(error)
    if not all_stored:
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words in any script; "" matches everything.')],
    year: Annotated[
        int | None, typer.Option(min=1, max=9999, help="Only documents of this year.")
    ] = None,
    person: Annotated[str | None, typer.Option(help="Only documents naming this person.")] = None,
    org: Annotated[
        str | None, typer.Option(help="Only documents naming this organization.")
    ] = None,
    place: Annotated[str | None, typer.Option(help="Only documents naming this place.")] = None,
    meeting_type: Annotated[
        str | None, typer.Option(help="Only reports of this type of meeting (务虚会, 党委会…).")
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="Only documents naming someone with this title (董事长…).")
    ] = None,
    limit: Annotated[int, typer.Option(min=0, max=200, help="How many hits to show.")] = 10,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many hits.")] = 0,
    script: Annotated[
        str, typer.Option(help="Snippets in the 'original' script or 'simplified'.")
    ] = "original",
    as_json: Json = False,
) -> None:
    """Full-text search with facets on year, person, organization, place, meeting type and
    the titles of the people named."""
    from archive.backends import SearchQuery

    if script not in ("original", "simplified"):
        raise typer.BadParameter("must be 'original' or 'simplified'", param_hint="--script")
    try:
        backend = _existing_archive(_settings())
        result = backend.search(
            SearchQuery(
                q=query,
                year=year,
                person=person,
                org=org,
                place=place,
                meeting_type=meeting_type,
                title=title,
                limit=limit,
                offset=offset,
                script=script,
            )
        )
    except ArchiveError as error:
        _fail(error)
    if as_json:
        _print_json(result.model_dump_json(indent=2))
        return
    out.print(f"{result.total} documents")
    for hit in result.hits:
        out.print(f"\n[bold]{escape(hit.title)}[/bold]  {hit.date or '—'}  [dim]{hit.id}[/dim]")
        out.print(Text("  ").append_text(_snippet_text(hit.snippet)))
    _print_facets(result.facets)


@app.command()
def directives(
    query: Annotated[
        str, typer.Argument(help='Words in the requirement, any script; "" matches all.')
    ] = "",
    speaker: Annotated[
        str | None, typer.Option(help="Only what this person (or 会议) required.")
    ] = None,
    year: Annotated[
        int | None, typer.Option(min=1, max=9999, help="Only directives of this year.")
    ] = None,
    topic: Annotated[str | None, typer.Option(help="Only directives on this topic.")] = None,
    limit: Annotated[int, typer.Option(min=0, max=200, help="How many to show.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many.")] = 0,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="Export every match as 'csv' or 'jsonl' to stdout."),
    ] = None,
    as_json: Json = False,
) -> None:
    """What the leaders required: directives with their speaker, date, meeting and items,
    and facets on speaker, year and topic."""
    from archive.backends import DirectiveQuery
    from archive.export import EXPORT_FORMATS, every_match, export_lines

    if fmt is not None and fmt not in EXPORT_FORMATS:
        raise typer.BadParameter("must be 'csv' or 'jsonl'", param_hint="--format")
    request = DirectiveQuery(
        q=query, speaker=speaker, year=year, topic=topic, limit=limit, offset=offset
    )
    try:
        backend = _existing_archive(_settings())
        if fmt is not None:
            for line in export_lines(every_match(backend, request), fmt):  # type: ignore[arg-type]
                sys.stdout.write(line)
            return
        result = backend.search_directives(request)
    except ArchiveError as error:
        _fail(error)
    if as_json:
        _print_json(result.model_dump_json(indent=2))
        return
    out.print(f"{result.total} directives")
    for hit in result.hits:
        d = hit.directive
        who = d.speaker + (f"（{'、'.join(d.speaker_titles)}）" if d.speaker_titles else "")
        out.print(f"\n[bold]{escape(who)}[/bold] {escape(d.cue)}  {hit.date or '—'}")
        out.print(f"  {escape(d.text)}")
        for n, item in enumerate(d.items, 1):
            out.print(f"    {n}. {escape(item)}")
        out.print(f"  [dim]{escape(hit.meeting or hit.title)}  {hit.document_id}[/dim]")
    _print_facets(result.facets)


def _print_facets(facets: dict) -> None:
    """The first values of each facet, one line per facet."""
    for name, values in facets.items():
        if values:
            shown = ", ".join(f"{v.value} ({v.count})" for v in values[:10])
            out.print(f"\n[dim]{name}:[/dim] {escape(shown)}")


def _snippet_text(snippet: str) -> Text:
    """The API's HTML snippet (escaped text, matches in <mark>) as rich text."""
    text = Text()
    for i, piece in enumerate(re.split(r"</?mark>", snippet)):
        text.append(html.unescape(piece), style="bold yellow" if i % 2 else "")
    return text


def _print_json(data: str) -> None:
    sys.stdout.write(data + "\n")


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="The document id.")], as_json: Json = False
) -> None:
    """The full record of one document."""
    try:
        document = _existing_archive(_settings()).get(doc_id)
    except ArchiveError as error:
        _fail(error)
    if as_json:
        _print_json(document.model_dump_json(indent=2))
        return
    out.print(f"[bold]{escape(document.original_title or document.title)}[/bold]")
    out.print(f"id {document.id} · date {document.date or '—'} · {document.source.filename}")
    if document.meeting.name:
        out.print(f"meeting: {escape(document.meeting.name)} ({document.meeting.type})")
    for person in document.persons:
        out.print(
            f"person: {escape(person.name)} {escape('、'.join(person.titles))}"
            f" {', '.join(person.roles)}"
        )
    if document.orgs:
        out.print(f"orgs: {escape('、'.join(document.orgs))}")
    out.print()
    out.print(escape(document.original_text))


@app.command()
def extract(paths: Paths, as_json: Json = False) -> None:
    """Read, normalize and enrich files without storing them; one record per line.

    A file that cannot be read gives a line with "error" instead of stopping the batch;
    the exit status is then 1."""
    from archive.ingest import extract_stages

    files = list(_files(paths))
    failed = False
    for start in range(0, len(files), BATCH_SIZE):
        for arrival in extract_stages(files[start : start + BATCH_SIZE]):
            failed |= arrival.error is not None
            _print_extracted(arrival, as_json)
    if failed:
        raise typer.Exit(1)


def _print_extracted(arrival, as_json: bool) -> None:
    if arrival.error is not None:
        if as_json:
            member = arrival.member
            line = {
                "source": {"filename": member.filename if member else arrival.path.name},
                "path": arrival.where,
                "error": arrival.error.reason,
                "code": arrival.error.code,
            }
            _print_json(json.dumps(line, ensure_ascii=False))
        else:
            out.print(f"[red]{escape(arrival.where)}: {escape(arrival.error.reason)}[/red]")
        return
    document = arrival.document
    if as_json:
        _print_json(document.model_dump_json())
    else:
        names = "、".join(p.name for p in document.persons)
        out.print(
            f"{escape(arrival.where)}  {document.date or '—'}  "
            f"{escape(document.title)}  {escape(names)}"
        )


@app.command()
def run() -> None:
    """Watch the inbox and serve the search API and web page (what `make run` starts)."""
    from archive.service import run as run_service

    try:
        run_service(_settings())
    except ArchiveError as error:
        _fail(error)


eval_app = typer.Typer(help="Measure the extraction against a gold set.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("entities")
def eval_entities(
    gold: Annotated[
        Path,
        typer.Option(
            help="Folder with gold.jsonl and the articles as docs/<id>.txt (or <id>.txt)."
        ),
    ],
    limit: Annotated[
        int | None, typer.Option(min=1, help="Only the first N (selected) articles.")
    ] = None,
    only_meetings: Annotated[
        bool, typer.Option("--only-meetings", help='Only articles with "meeting": true.')
    ] = False,
    as_json: Json = False,
) -> None:
    """Score extracted persons, places and orgs against a gold set (nothing is stored).

    Exact match of distinct normalized strings per document, micro-averaged; prints
    TP/FP/FN, P/R/F1 per type, the most frequent misses and false alarms, and documents/s."""
    from archive.evaluate.entities import errors_table, evaluate_folder, report_lines, summary_table

    try:
        result = evaluate_folder(gold, only_meetings=only_meetings, limit=limit)
    except ArchiveError as error:
        _fail(error)
    if as_json:
        _print_json(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    for line in report_lines(result):
        out.print(escape(line))
    out.print(summary_table(result))
    for type_score in result.evaluation.types:
        out.print(errors_table(type_score))


@eval_app.command("meetings")
def eval_meetings(
    gold: Annotated[
        Path,
        typer.Option(help="Folder with gold.jsonl and the pages as docs/<id>.txt (or <id>.txt)."),
    ],
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N pages.")] = None,
    as_json: Json = False,
) -> None:
    """Score extracted meeting facts against a meeting-pages gold set (nothing is stored).

    Persons, titles, speakers and directives as sets (P/R/F1), meeting day, end, name,
    organizer and chair exact, micro-averaged over pages; prints each field against its
    goal, the worst pages, the most frequent misses and false alarms, and documents/s."""
    from archive.evaluate.meeting_report import report
    from archive.evaluate.meetings import evaluate_folder as evaluate_meetings

    try:
        result = evaluate_meetings(gold, limit=limit)
    except ArchiveError as error:
        _fail(error)
    if as_json:
        _print_json(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    for part in report(result):
        out.print(part)


# Commands that look after the archive itself; registered on `app` when imported.
from archive.cli import backfill, custody, persons, scaling  # noqa: E402,F401
