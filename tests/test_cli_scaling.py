"""The scale-out commands as a user runs them (the real console script in a subprocess):
ingestion goes on while Elasticsearch is down, `archive status` shows the backlog, and
`archive es catch-up` sends it once the cluster is back.

The cluster is the loopback stand-in of :mod:`tests.backends.fake_elasticsearch` (no
Elasticsearch can run here); Kibana's import is tested in ``tests/test_kibana.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends.fake_elasticsearch import FakeCluster, FakeElasticsearch
from tests.test_cli import ARCHIVE, MEETING, SECOND


def archive(home: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARCHIVE_", "PREFECT_API"))}
    env |= {"ARCHIVE_HOME": str(home), "ARCHIVE_PREFECT_SERVER": "off", **settings}
    return subprocess.run(
        [str(ARCHIVE), *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def cluster() -> Iterator[FakeCluster]:
    with FakeElasticsearch() as running:
        yield running


def test_documents_wait_while_the_cluster_is_down_and_are_sent_when_it_is_back(
    tmp_path: Path, cluster: FakeCluster
) -> None:
    home, article = tmp_path / "var", tmp_path / "廉政会议.txt"
    article.write_text(MEETING, encoding="utf-8")
    cluster.down = True

    stored = archive(home, "ingest", str(article), ARCHIVE_ES_URL=cluster.url)
    assert stored.returncode == 0 and stored.stdout.startswith("stored"), stored.stderr
    assert "Traceback" not in stored.stderr

    now = archive(home, "status", ARCHIVE_ES_URL=cluster.url)
    assert "pending index 1 (the search index is unreachable)" in now.stdout
    as_json = json.loads(archive(home, "status", "--json", ARCHIVE_ES_URL=cluster.url).stdout)
    assert (as_json["backend"], as_json["pending_index"], as_json["indexed"]) == (
        "elasticsearch",
        1,
        None,
    )
    refused = archive(home, "search", "廉政", ARCHIVE_ES_URL=cluster.url)
    assert refused.returncode == 1 and "answered 503" in refused.stderr
    assert "Traceback" not in refused.stderr

    waiting = archive(home, "es", "catch-up", ARCHIVE_ES_URL=cluster.url)
    assert waiting.returncode == 1 and "503" in waiting.stderr

    cluster.down = False
    sent = archive(home, "es", "catch-up", ARCHIVE_ES_URL=cluster.url)
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.strip() == "sent 1 documents; 0 still waiting"
    assert len(cluster.documents_in("archive")) == 1
    checked = archive(home, "check", ARCHIVE_ES_URL=cluster.url)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_es_setup_creates_the_indices_and_sends_what_the_store_holds(
    tmp_path: Path, cluster: FakeCluster
) -> None:
    home = tmp_path / "var"
    (tmp_path / "a.txt").write_text(MEETING, encoding="utf-8")
    (tmp_path / "b.txt").write_text(SECOND, encoding="utf-8")
    assert archive(home, "ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")).returncode == 0

    done = archive(home, "es", "setup", ARCHIVE_ES_URL=cluster.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "created the aliases archive and archive-directives; sent 2 documents"
    )
    again = archive(home, "es", "setup", ARCHIVE_ES_URL=cluster.url)
    assert again.stdout.strip() == (
        "found the aliases archive and archive-directives; sent 0 documents"
    )
    reindexed = archive(home, "reindex", ARCHIVE_ES_URL=cluster.url)
    assert reindexed.stdout.strip() == "reindexed 2 documents (elasticsearch)"


def test_reindex_of_the_embedded_archive(tmp_path: Path) -> None:
    home = tmp_path / "var"
    (tmp_path / "a.txt").write_text(MEETING, encoding="utf-8")
    assert archive(home, "ingest", str(tmp_path / "a.txt")).returncode == 0
    done = archive(home, "reindex")
    assert done.returncode == 0 and done.stdout.strip() == "reindexed 1 documents (tantivy)"
    assert json.loads(archive(home, "search", "廉政", "--json").stdout)["total"] == 1


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (("es", "setup"), "ARCHIVE_ES_URL is not set"),
        (("es", "catch-up"), "ARCHIVE_ES_URL is not set"),
        (("kibana", "setup"), "ARCHIVE_KIBANA_URL is not set"),
    ],
)
def test_a_missing_url_is_a_clear_error(
    tmp_path: Path, command: tuple[str, ...], message: str
) -> None:
    done = archive(tmp_path / "var", *command)
    assert done.returncode == 1 and message in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unreachable_kibana_is_a_clear_error(tmp_path: Path) -> None:
    done = archive(tmp_path / "var", "kibana", "setup", ARCHIVE_KIBANA_URL="http://127.0.0.1:9")
    assert done.returncode == 1 and "127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr
