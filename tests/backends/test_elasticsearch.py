"""The Elasticsearch backend without a cluster: the exact JSON it sends (golden files),
and how it behaves when the cluster is down, refusing, or comes back.

Requests go through the real ``elasticsearch`` client to a stand-in cluster on loopback
(:mod:`tests.backends.fake_elasticsearch`; no Elasticsearch can run here) or to a port
where nothing listens. Search answers are the conformance suite's business, against a
real cluster. Set ``ARCHIVE_TEST_UPDATE_GOLDEN=1`` to rewrite the golden files, then
review the diff: a change in them is a change in what every cluster receives.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.backends import DirectiveQuery, SearchQuery
from archive.backends.elasticsearch import ElasticsearchBackend
from archive.backends.elasticsearch_requests import (
    MAPPINGS,
    Names,
    directive_export_body,
    directive_search_body,
    directive_source,
    document_of,
    document_source,
    search_body,
)
from archive.config import Settings
from archive.errors import BackendError, BackendUnavailable
from archive.records import Document, Meeting, Person, Post
from archive.segment import query_terms
from archive.status import status
from tests.backends.fake_elasticsearch import FakeCluster, FakeElasticsearch
from tests.backends.test_conformance import CORPUS, make_document
from tests.backends.test_directives import DOCUMENTS
from tests.conftest import FIXTURES

GOLDEN = FIXTURES / "elasticsearch"
UPDATE = bool(os.environ.get("ARCHIVE_TEST_UPDATE_GOLDEN"))

SEARCHES = {
    "browse": SearchQuery(),
    "one_word": SearchQuery(q="务虚会"),
    "traditional_with_every_filter": SearchQuery(
        q="王立民 發展",
        year=2022,
        person="王立民",
        org="市城建集團",
        place="北京",
        meeting_type="务虚会",
        title="董事长",
        limit=5,
        offset=10,
    ),
    "single_character": SearchQuery(q="路"),
    "latin_and_han": SearchQuery(q="5G网络"),
    "search_syntax_as_text": SearchQuery(q="王*"),
    "no_facets": SearchQuery(q="会议", facet_size=0),
}
EXPORTS = {
    "first_page": (DirectiveQuery(q="疫情防控", speaker="王立民"), None),
    # what Elasticsearch gave as the last hit's sort: a date as epoch milliseconds
    "next_page": (DirectiveQuery(), [1646092800000, "0101010101010101", 3]),
}
DIRECTIVE_SEARCHES = {
    "browse": DirectiveQuery(),
    "text_with_every_filter": DirectiveQuery(
        q="疫情防控", speaker="王立民", year=2022, topic="疫情防控", limit=5
    ),
}

INGESTED = dt.datetime(2026, 5, 4, 8, 30, tzinfo=dt.UTC)


def dated(
    n: int,
    date: str | None,
    *,
    ingested: bool = True,
    address: str | None = None,
    modified: dt.datetime | None = None,
    meeting: Meeting | None = None,
    **fields: object,
) -> Document:
    """A conformance-style document with the dating fields of extractor 0.6.0."""
    document = make_document(n, f"文档{n}", f"正文{n}", date)
    source = document.source.model_copy(
        update={
            "ingested_at": INGESTED if ingested else None,
            "address": address,
            "modified": modified,
        }
    )
    update = {"source": source, "meeting": meeting or document.meeting, **fields}
    return document.model_copy(update=update)


# One document per way a document can be dated: where its timeline comes from.
DATINGS = {
    "written_year_with_posts": dated(
        21,
        "2022-03-01",
        year_source="written",
        published=dt.date(2022, 3, 2),
        address="http://www.example.org/news/2022-03/02/c_1128.htm",
        modified=dt.datetime(2022, 3, 2, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        persons=[
            Person(
                name="王立民",
                titles=["党委书记", "董事长"],
                org="市城建集团",
                posts=[
                    Post(title="党委书记", org="市城建集团"),
                    Post(title="董事长", org="市城建集团"),
                ],
            ),
            Person(
                name="李向东", titles=["县人大常委会主任"], posts=[Post(title="县人大常委会主任")]
            ),
        ],
        meeting=Meeting(
            name="工作会议",
            type="工作会议",
            start=dt.date(2022, 3, 1),
            end=dt.date(2022, 3, 2),
            start_day="--03-01",
            end_day="--03-02",
            year_source="written",
        ),
    ),
    "inferred_year": dated(
        22,
        "2021-01-08",
        year_source="filename",
        meeting=Meeting(
            start=dt.date(2021, 1, 8),
            end=dt.date(2021, 1, 8),
            start_day="--01-08",
            end_day="--01-08",
            year_source="filename",
        ),
    ),
    "year_unknown_published": dated(
        23,
        None,
        published=dt.date(2023, 6, 30),
        meeting=Meeting(start_day="--03-06", end_day="--03-06"),
    ),
    "year_alone": dated(24, None, year=2021, year_source="text"),
    "year_unknown": dated(25, None, meeting=Meeting(start_day="--03-06", end_day="--03-06")),
    "never_ingested": dated(26, None, ingested=False),
}


def golden(name: str, actual: object) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", "utf-8")
    assert actual == json.loads(path.read_text(encoding="utf-8")), f"differs from {path}"


@pytest.fixture
def cluster() -> Iterator[FakeCluster]:
    with FakeElasticsearch() as running:
        yield running


def open_backend(tmp_path: Path, url: str) -> ElasticsearchBackend:
    return ElasticsearchBackend(Settings(home=tmp_path / "var", es_url=url))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bulk_lines(cluster: FakeCluster) -> list[object]:
    return [line for request in cluster.sent("PUT", "/_bulk") for line in request.ndjson()]


# -- the JSON sent --------------------------------------------------------------------


def test_search_bodies() -> None:
    bodies = {name: search_body(q, query_terms(q.q)) for name, q in SEARCHES.items()}
    golden("search_bodies.json", bodies)


def test_directive_search_bodies() -> None:
    bodies = {
        name: directive_search_body(q, query_terms(q.q)) for name, q in DIRECTIVE_SEARCHES.items()
    }
    golden("directive_search_bodies.json", bodies)


def test_directive_export_bodies() -> None:
    bodies = {
        name: directive_export_body(q, query_terms(q.q), after)
        for name, (q, after) in EXPORTS.items()
    }
    golden("directive_export_bodies.json", bodies)


def test_setup_puts_the_mapping_files_and_creates_aliased_indices(
    tmp_path: Path, cluster: FakeCluster
) -> None:
    backend = open_backend(tmp_path, cluster.url)
    for name in ("archive-v3", "archive-directives-v3"):
        (request,) = cluster.sent("PUT", f"/_index_template/{name}")
        assert request.json() == json.loads((MAPPINGS / f"{name}.json").read_text("utf-8"))
    assert set(cluster.aliases) == {"archive", "archive-directives"}
    assert cluster.aliases["archive"].startswith("archive-v3-")
    assert backend.setup() is False, "a second start keeps the indices it finds"
    assert backend.outdated == []
    assert len(cluster.sent("PUT", "/archive-v3-")) == 1
    backend.close()


def test_another_archive_name_gets_its_own_templates_and_aliases() -> None:
    names = Names("meetings")
    assert (names.documents, names.directives) == ("meetings", "meetings-directives")
    assert names.template("meetings")["index_patterns"] == ["meetings-v3-*"]
    assert names.template("meetings-directives")["index_patterns"] == ["meetings-directives-v3-*"]


def test_searches_send_the_golden_bodies(tmp_path: Path, cluster: FakeCluster) -> None:
    backend = open_backend(tmp_path, cluster.url)
    backend.search(SEARCHES["traditional_with_every_filter"])
    backend.search_directives(DIRECTIVE_SEARCHES["text_with_every_filter"])
    (documents,) = cluster.sent("POST", "/archive/_search")
    (directives,) = cluster.sent("POST", "/archive-directives/_search")
    expected = json.loads((GOLDEN / "search_bodies.json").read_text("utf-8"))
    assert documents.json() == expected["traditional_with_every_filter"]
    expected = json.loads((GOLDEN / "directive_search_bodies.json").read_text("utf-8"))
    assert directives.json() == expected["text_with_every_filter"]
    backend.close()


def test_punctuation_only_queries_send_nothing(tmp_path: Path, cluster: FakeCluster) -> None:
    backend = open_backend(tmp_path, cluster.url)
    assert backend.search(SearchQuery(q="，。！")).total == 0
    assert backend.search_directives(DirectiveQuery(q="*")).total == 0
    assert cluster.sent("POST", "_search") == []
    backend.close()


def test_a_stored_document_is_sent_in_one_bulk_request(
    tmp_path: Path, cluster: FakeCluster
) -> None:
    backend = open_backend(tmp_path, cluster.url)
    assert backend.index(DOCUMENTS[0]) is True
    golden("bulk_one_document.json", bulk_lines(cluster))
    assert backend.pending_count() == 0
    assert set(cluster.documents_in("archive")) == {DOCUMENTS[0].id}
    assert set(cluster.documents_in("archive-directives")) == {
        f"{DOCUMENTS[0].id}-0",
        f"{DOCUMENTS[0].id}-1",
    }
    assert backend.index(DOCUMENTS[0]) is False, "the same id twice changes nothing"
    assert len(cluster.sent("PUT", "/_bulk")) == 1
    backend.close()


def test_a_reprocessed_document_drops_its_stale_directives(
    tmp_path: Path, cluster: FakeCluster
) -> None:
    backend = open_backend(tmp_path, cluster.url)
    backend.index(DOCUMENTS[0])
    assert cluster.sent("POST", "_delete_by_query") == [], "a new document has none"
    fewer = DOCUMENTS[0].model_copy(update={"directives": DOCUMENTS[0].directives[:1]})
    backend.replace(fewer)
    (request,) = cluster.sent("POST", "/archive-directives/_delete_by_query")
    golden("stale_directives.json", request.json())
    assert backend.pending_count() == 0
    backend.close()


def test_document_sources_carry_the_timeline_and_the_posts_by_person() -> None:
    # Tokens are pinned by the bulk goldens; these pin the record's fields and the index's.
    sources = {
        name: {k: v for k, v in document_source(document).items() if k != "tokens"}
        for name, document in DATINGS.items()
    }
    golden("document_sources.json", sources)
    timelines = {name: (s["timeline"], s["timeline_source"]) for name, s in sources.items()}
    assert timelines == {
        "written_year_with_posts": ("2022-03-01", "date"),
        "inferred_year": ("2021-01-08", "date"),
        "year_unknown_published": ("2023-06-30", "published"),
        "year_alone": ("2021-01-01", "year"),
        "year_unknown": ("2026-05-04", "ingested"),
        "never_ingested": (None, None),
    }
    assert sources["written_year_with_posts"]["posts"] == [
        {"person": "王立民", "title": "党委书记", "org": "市城建集团"},
        {"person": "王立民", "title": "董事长", "org": "市城建集团"},
        {"person": "李向东", "title": "县人大常委会主任", "org": None},
    ]


def test_a_hit_gives_back_the_record_without_the_index_fields() -> None:
    for document in DATINGS.values():
        source = {k: v for k, v in document_source(document).items() if k != "tokens"}
        assert document_of({"_source": source}) == document


def test_a_directive_of_an_undated_article_has_its_timeline() -> None:
    directive = DOCUMENTS[0].directives[0]
    undated = DATINGS["year_unknown"].model_copy(update={"directives": [directive]})
    source = directive_source(undated, 0)
    assert (source["date"], source["year"], source["year_source"]) == (None, None, None)
    assert (source["timeline"], source["timeline_source"]) == ("2026-05-04", "ingested")
    inferred = DATINGS["inferred_year"].model_copy(update={"directives": [directive]})
    source = directive_source(inferred, 0)
    assert (source["timeline"], source["year_source"]) == ("2021-01-08", "filename")


def mapped(name: str) -> dict[str, dict]:
    template = json.loads((MAPPINGS / f"{name}.json").read_text("utf-8"))
    return template["template"]["mappings"]["properties"]


def test_the_fields_the_index_adds_are_mapped() -> None:
    documents, directives = mapped("archive-v3"), mapped("archive-directives-v3")
    for properties in (documents, directives):
        assert properties["timeline"] == {"type": "date", "format": "strict_date"}
        assert properties["timeline_source"]["type"] == "keyword"
        assert properties["year_source"]["type"] == "keyword"
    assert documents["posts"]["type"] == "nested", "one person's title with their org"
    assert "type" not in documents["persons"], "persons stay an object: Kibana charts them"
    source = documents["source"]["properties"]
    assert source["container"]["properties"]["member"]["type"] == "keyword", "found in a zip"
    assert (source["pages"]["type"], source["ocr"]["type"]) == ("integer", "boolean")


# -- a cluster that is down, refusing, or back ----------------------------------------


def test_an_unreachable_cluster_makes_documents_wait(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "var", es_url=f"http://127.0.0.1:{free_port()}")
    backend = ElasticsearchBackend(settings)  # starts although the cluster is not there
    assert [backend.index(document) for document in CORPUS] == [True] * 4
    assert backend.count() == 4 and backend.pending_count() == 4
    with pytest.raises(BackendUnavailable, match=r"127\.0\.0\.1.*unreachable"):
        backend.search(SearchQuery(q="会议"))
    with pytest.raises(BackendUnavailable):
        backend.catch_up()
    now = status(settings, backend)
    assert (now.stored, now.pending_index, now.indexed) == (4, 4, None)
    backend.close()


def test_documents_stored_while_the_cluster_was_down_are_sent_when_it_is_back(
    tmp_path: Path, cluster: FakeCluster
) -> None:
    cluster.down = True
    backend = open_backend(tmp_path, cluster.url)
    for document in DOCUMENTS:
        assert backend.index(document) is True
    assert backend.pending_count() == 2 and bulk_lines(cluster) == []
    with pytest.raises(BackendUnavailable, match="503"):
        backend.catch_up()
    cluster.down = False
    assert backend.catch_up() == 2
    assert backend.pending_count() == 0
    golden("bulk_catch_up.json", bulk_lines(cluster))
    assert backend.index_count() == 2
    backend.close()


def test_a_refused_document_stays_pending_and_the_rest_go_on(
    tmp_path: Path, cluster: FakeCluster, caplog: pytest.LogCaptureFixture
) -> None:
    cluster.refuse_ids = {CORPUS[1].id}
    backend = open_backend(tmp_path, cluster.url)
    for document in CORPUS:
        backend.index(document)
    assert backend.pending_count() == 1, "waiting, not dropped"
    assert f"refused document {CORPUS[1].id}" in caplog.text
    assert "document_parsing_exception" in caplog.text
    bulks = len(cluster.sent("PUT", "/_bulk"))
    assert backend.catch_up() == 0
    assert len(cluster.sent("PUT", "/_bulk")) == bulks, "not sent again and again"
    backend.index(DOCUMENTS[0])
    assert DOCUMENTS[0].id in cluster.documents_in("archive"), "it holds up nothing"

    cluster.refuse_ids = set()  # the mapping was fixed
    assert backend.catch_up(refused=True) == 1 and backend.pending_count() == 0
    backend.close()


def test_a_document_rejected_for_now_stays_in_the_queue(
    tmp_path: Path, cluster: FakeCluster
) -> None:
    cluster.busy_ids = {CORPUS[0].id}
    backend = open_backend(tmp_path, cluster.url)
    backend.index(CORPUS[0])
    with pytest.raises(BackendUnavailable, match="overloaded: 1 documents"):
        backend.catch_up()
    assert backend.store.index_state.pending(10)[0][0].id == CORPUS[0].id, "pending, not refused"
    cluster.busy_ids = set()
    assert backend.catch_up() == 1 and backend.pending_count() == 0
    backend.close()


def test_an_acknowledgement_from_before_a_reindex_marks_nothing(
    tmp_path: Path, cluster: FakeCluster
) -> None:
    backend = open_backend(tmp_path, cluster.url)
    cluster.down = True
    backend.index(CORPUS[0])  # waits
    cluster.down = False
    waiting, generation = backend.store.index_state.pending(10)
    backend.reindex()  # a new generation; CORPUS[0] went into the new index with it
    backend.store.replace(CORPUS[0].model_copy(update={"title": "新标题"}))
    # Another process acknowledged the old read into the old index just now:
    backend.store.index_state.mark_indexed([(w.id, w.record) for w in waiting], generation)
    assert backend.pending_count() == 1, "the new version still waits"
    backend.close()


def test_reindex_builds_new_indices_and_swaps_the_aliases_at_once(
    tmp_path: Path, cluster: FakeCluster
) -> None:
    backend = open_backend(tmp_path, cluster.url)
    for document in CORPUS:
        backend.index(document)
    old = dict(cluster.aliases)
    assert backend.reindex() == 4
    new = cluster.aliases
    assert new["archive"] != old["archive"] and new["archive"].startswith("archive-v3-")
    swap = cluster.sent("POST", "/_aliases")[-1].json()["actions"]
    assert {"remove": {"index": old["archive"], "alias": "archive"}} in swap
    assert {"add": {"index": new["archive"], "alias": "archive"}} in swap
    assert len(swap) == 4, "both aliases move in the one request"
    assert old["archive"] not in cluster.indices, "the old index is dropped after the swap"
    assert len(cluster.documents_in("archive")) == 4 and backend.pending_count() == 0
    backend.close()


def test_indices_of_an_older_mapping_version_are_reindexed_at_the_first_catch_up(
    tmp_path: Path, cluster: FakeCluster
) -> None:
    # What the previous release left in the cluster: aliases on version 1 indices.
    old = {"archive": "archive-v1-20260101t000000000",
           "archive-directives": "archive-directives-v1-20260101t000000000"}  # fmt: skip
    cluster.aliases.update(old)
    cluster.indices.update({index: {} for index in old.values()})
    backend = open_backend(tmp_path, cluster.url)
    assert set(backend.outdated) == set(old.values())
    backend.store.index(DATINGS["year_unknown"])  # stored, not sent yet

    assert backend.catch_up() == 1
    assert cluster.aliases["archive"].startswith("archive-v3-")
    assert cluster.aliases["archive-directives"].startswith("archive-directives-v3-")
    assert not set(old.values()) & set(cluster.indices), "the old indices are dropped"
    (sent,) = cluster.documents_in("archive").values()
    assert (sent["timeline"], sent["timeline_source"]) == ("2026-05-04", "ingested")
    assert backend.outdated == [] and backend.pending_count() == 0
    backend.catch_up()
    assert len(cluster.sent("PUT", "/archive-v3-")) == 1, "reindexed once"
    backend.close()


def test_a_failed_reindex_leaves_the_aliases_and_drops_its_indices(
    tmp_path: Path, cluster: FakeCluster
) -> None:
    backend = open_backend(tmp_path, cluster.url)
    for document in CORPUS:
        backend.index(document)
    before = dict(cluster.aliases)
    cluster.refuse_ids = {CORPUS[2].id}
    with pytest.raises(BackendError, match="refused 1 documents while reindexing"):
        backend.reindex()
    assert cluster.aliases == before
    assert set(cluster.indices) == set(before.values()), "the half-built indices are gone"
    assert backend.pending_count() == 0, "what the old index holds is still indexed"
    backend.close()
