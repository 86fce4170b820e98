"""Commands of the scaled-out archive: ``archive reindex``, ``archive es setup|catch-up``
and ``archive kibana setup``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from archive.cli import _existing_archive, _fail, _settings, app, out
from archive.errors import ArchiveError, ConfigError

if TYPE_CHECKING:
    from archive.backends.elasticsearch import ElasticsearchBackend
    from archive.config import Settings

es = typer.Typer(help="The Elasticsearch index (ARCHIVE_ES_URL).", no_args_is_help=True)
kibana = typer.Typer(help="Kibana's saved objects (ARCHIVE_KIBANA_URL).", no_args_is_help=True)
app.add_typer(es, name="es")
app.add_typer(kibana, name="kibana")


@app.command()
def reindex() -> None:
    """Rebuild the search index from the stored records. Searches keep answering from
    the old index until the new one is complete (Elasticsearch: a new versioned index,
    then the alias `archive` moves to it in one step)."""
    settings = _settings()
    try:
        backend = _existing_archive(settings)
        count = backend.reindex()
        backend.close()
    except ArchiveError as error:
        _fail(error)
    out.print(f"reindexed {count} documents ({backend.name})")


def _cluster(settings: Settings) -> ElasticsearchBackend:
    if not settings.es_url:
        _fail(ConfigError("ARCHIVE_ES_URL is not set: the archive uses its embedded engine"))
    from archive.backends.elasticsearch import ElasticsearchBackend

    settings.home.mkdir(parents=True, exist_ok=True)
    return ElasticsearchBackend(settings, setup=False)


@es.command("setup")
def es_setup() -> None:
    """Put the index templates (mappings/*.json), create the indices and aliases when
    missing (or reindex into this release's mapping version when an older release made
    them), then send every stored document the cluster does not hold yet. The service
    does the same at start."""
    settings = _settings()
    try:
        backend = _cluster(settings)
        created = backend.setup()
        outdated = list(backend.outdated)
        sent = backend.catch_up()
        backend.close()
    except ArchiveError as error:
        _fail(error)
    names = f"{backend.names.documents} and {backend.names.directives}"
    out.print(f"{'created' if created else 'found'} the aliases {names}; sent {sent} documents")
    if outdated:
        version = backend.names.template_name(backend.names.documents)
        out.print(f"reindexed {', '.join(outdated)} into {version}")


@es.command("catch-up")
def es_catch_up() -> None:
    """Send the documents stored while the cluster was down, and again those it refused
    (the service sends the first kind by itself every few seconds; a refused document
    waits for this, or a reindex, after a fix). Exit 1 when some still wait."""
    settings = _settings()
    try:
        backend = _cluster(settings)
        sent = backend.catch_up(refused=True)
        waiting = backend.pending_count()
        backend.close()
    except ArchiveError as error:
        _fail(error)
    out.print(f"sent {sent} documents; {waiting} still waiting")
    if waiting:
        raise typer.Exit(1)


@kibana.command("setup")
def kibana_setup(
    wait: Annotated[
        float, typer.Option(help="Seconds to wait for Kibana to answer (it starts slowly).")
    ] = 0.0,
) -> None:
    """Import the data views, saved search, visualizations and dashboard of
    mappings/kibana/ into Kibana (again after an upgrade: the objects are replaced)."""
    from archive import kibana as saved_objects

    settings = _settings()
    if not settings.kibana_url:
        _fail(ConfigError("ARCHIVE_KIBANA_URL is not set (e.g. http://127.0.0.1:5601)"))
    verify: bool | str = settings.es_verify_certs
    if settings.es_ca_certs and verify:
        verify = str(settings.es_ca_certs)
    try:
        report = saved_objects.setup(
            settings.kibana_url,
            username=None if settings.es_api_key else settings.es_user,
            password=None if settings.es_api_key else settings.es_password,
            api_key=settings.es_api_key,
            verify=verify,
            wait=wait,
        )
    except ArchiveError as error:
        _fail(error)
    out.print(
        f"imported {report.success_count} saved objects into {settings.kibana_url}: "
        "open Dashboards → Archive: meetings overview"
    )
