"""The backend fixture shared by the conformance suites: SQLite always, Elasticsearch
only where ``ARCHIVE_ES_URL`` names a reachable cluster (skipped with the reason
otherwise)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.backends import SearchBackend
from archive.backends.sqlite import SqliteBackend

ES_URL = os.environ.get("ARCHIVE_ES_URL")


@pytest.fixture(params=["sqlite", "elasticsearch"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    if request.param == "elasticsearch":
        if not ES_URL:
            pytest.skip("ARCHIVE_ES_URL is not set: no Elasticsearch cluster to test against")
        pytest.skip("the Elasticsearch backend is not built yet (issue 7)")
    instance = SqliteBackend(tmp_path / "archive.sqlite3")
    yield instance
    instance.close()
