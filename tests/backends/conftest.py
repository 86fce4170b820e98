"""The backend fixture shared by the conformance suites: both embedded engines (tantivy
and SQLite FTS5) always, Elasticsearch
only where ``ARCHIVE_ES_URL`` names a reachable cluster (skipped with the reason
otherwise), e.g. the compose cluster:

    ARCHIVE_ES_URL=http://localhost:9200 ARCHIVE_ES_USER=elastic \
    ARCHIVE_ES_PASSWORD=<ELASTIC_PASSWORD from .env> make test

Each Elasticsearch test gets an archive of its own name (``archive-test-<random>``), whose
indices and templates are deleted afterwards: the cluster's own archive is not touched.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.backends import SearchBackend
from archive.backends.sqlite import SqliteBackend
from archive.backends.tantivy import TantivyBackend
from archive.config import Settings
from archive.errors import ArchiveError

# Read at import: the autouse fixture clears ARCHIVE_* variables for every test.
ES = {
    name: os.environ[f"ARCHIVE_{name.upper()}"]
    for name in ("es_url", "es_user", "es_password", "es_api_key", "es_ca_certs")
    if os.environ.get(f"ARCHIVE_{name.upper()}")
}


@pytest.fixture(params=["tantivy", "sqlite", "elasticsearch"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    if request.param == "elasticsearch":
        yield from _elasticsearch(tmp_path)
        return
    instance: SearchBackend
    if request.param == "tantivy":
        instance = TantivyBackend(tmp_path / "archive.sqlite3", tmp_path / "index")
    else:
        instance = SqliteBackend(tmp_path / "archive.sqlite3")
    yield instance
    instance.close()


def _elasticsearch(tmp_path: Path) -> Iterator[SearchBackend]:
    if "es_url" not in ES:
        pytest.skip("ARCHIVE_ES_URL is not set: no Elasticsearch cluster to test against")
    from archive.backends.elasticsearch import ElasticsearchBackend

    name = f"archive-test-{uuid.uuid4().hex[:8]}"
    settings = Settings(home=tmp_path, es_index=name, **ES)
    # Every write waits until it is searchable, as the tests search right after.
    instance = ElasticsearchBackend(settings, refresh="wait_for", setup=False)
    try:
        instance.setup()
    except ArchiveError as error:
        instance.close()
        pytest.fail(f"ARCHIVE_ES_URL is set, but: {error}", pytrace=False)
    try:
        yield instance
    finally:
        client = instance.client
        # Clusters refuse wildcard deletes (action.destructive_requires_name): name them.
        made = client.indices.get(index=f"{name}-v*,{name}-directives-v*").body
        if made:
            client.indices.delete(index=sorted(made))
        for alias in instance.aliases:
            template = instance.names.template_name(alias)
            client.options(ignore_status=404).indices.delete_index_template(name=template)
        instance.close()
