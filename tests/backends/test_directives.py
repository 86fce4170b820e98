"""Directive search, for every available backend: hits, order, filters, facets, deletes,
and the exports built on it."""

from __future__ import annotations

import csv
import io
import json

import pytest

from archive.backends import DirectiveQuery, SearchBackend
from archive.errors import QueryError
from archive.export import COLUMNS, every_match, export_lines
from archive.records import Directive
from tests.backends.test_conformance import make_document


def directive(speaker: str, text: str, topics: list[str], items: list[str] = ()) -> Directive:
    return Directive(
        speaker=speaker,
        speaker_titles=["董事长"] if speaker != "会议" else [],
        cue="强调",
        text=text,
        items=list(items),
        topics=topics,
    )


def _documents() -> list:
    first = make_document(11, "市城建集团召开安全生产会议", "正文一", "2022-03-01")
    first.directives = [
        directive("王立民", "要抓好疫情防控,守住安全底线", ["疫情防控"]),
        directive(
            "王立民",
            "要做好三项工作:一是抓项目;二是抓改革;三是抓党建",
            ["改革", "党建"],
            ["抓项目", "抓改革", "抓党建"],
        ),
    ]
    first.meeting.name = "安全生产会议"
    second = make_document(12, "市交投集团召开工作会议", "正文二", "2021-06-01")
    second.directives = [
        directive("李向东", "各单位要落实疫情防控措施", ["疫情防控"]),
        directive("会议", "全体干部要以昂扬斗志投入工作", []),
    ]
    return [first, second]


DOCUMENTS = _documents()


@pytest.fixture
def filled(backend: SearchBackend) -> SearchBackend:
    for document in DOCUMENTS:
        backend.index(document)
    return backend


def texts(result) -> list[str]:
    return [hit.directive.text for hit in result.hits]


def test_empty_query_lists_every_directive_newest_first_in_document_order(
    filled: SearchBackend,
) -> None:
    result = filled.search_directives(DirectiveQuery())
    assert result.total == 4
    assert [(h.document_id, h.position) for h in result.hits] == [
        (DOCUMENTS[0].id, 0),
        (DOCUMENTS[0].id, 1),
        (DOCUMENTS[1].id, 0),
        (DOCUMENTS[1].id, 1),
    ]
    hit = result.hits[0]
    assert (hit.title, hit.meeting, str(hit.date), hit.year) == (
        "市城建集团召开安全生产会议",
        "安全生产会议",
        "2022-03-01",
        2022,
    )
    assert hit.directive == DOCUMENTS[0].directives[0]


def test_text_search_in_any_script(filled: SearchBackend) -> None:
    for q in ("疫情防控", "疫(yì)情", "防控"):  # pinyin residue is normalized away
        result = filled.search_directives(DirectiveQuery(q=q))
        assert set(texts(result)) == {"要抓好疫情防控,守住安全底线", "各单位要落实疫情防控措施"}
    assert texts(filled.search_directives(DirectiveQuery(q="抓改革"))) == [
        "要做好三项工作:一是抓项目;二是抓改革;三是抓党建"
    ]


def test_filters_and_facets(filled: SearchBackend) -> None:
    result = filled.search_directives(DirectiveQuery(q="疫情", speaker="王立民"))
    assert texts(result) == ["要抓好疫情防控,守住安全底线"]
    assert filled.search_directives(DirectiveQuery(year=2021)).total == 2
    assert filled.search_directives(DirectiveQuery(topic="党建")).total == 1
    assert filled.search_directives(DirectiveQuery(speaker="会议")).total == 1
    facets = filled.search_directives(DirectiveQuery(q="疫情")).facets
    assert [(f.value, f.count) for f in facets["speaker"]] == [("李向东", 1), ("王立民", 1)]
    assert [(f.value, f.count) for f in facets["year"]] == [(2021, 1), (2022, 1)]
    assert [(f.value, f.count) for f in facets["topic"]] == [("疫情防控", 2)]


def test_paging(filled: SearchBackend) -> None:
    page = filled.search_directives(DirectiveQuery(limit=1, offset=1))
    assert page.total == 4 and len(page.hits) == 1 and page.hits[0].position == 1


def test_punctuation_only_matches_nothing_and_too_many_terms_is_an_error(
    filled: SearchBackend,
) -> None:
    assert filled.search_directives(DirectiveQuery(q="，。")).total == 0
    with pytest.raises(QueryError):
        filled.search_directives(DirectiveQuery(q=" ".join(f"词{i}" for i in range(40))))


def test_deleting_a_document_removes_its_directives(filled: SearchBackend) -> None:
    filled.delete(DOCUMENTS[0].id)
    result = filled.search_directives(DirectiveQuery())
    assert {h.document_id for h in result.hits} == {DOCUMENTS[1].id}
    assert "王立民" not in [f.value for f in result.facets["speaker"]]


def test_exports_hold_every_match(filled: SearchBackend) -> None:
    query = DirectiveQuery(limit=1)  # a page size does not cut an export
    lines = "".join(export_lines(every_match(filled, query), "jsonl")).splitlines()
    assert [json.loads(line)["directive"]["speaker"] for line in lines] == [
        "王立民", "王立民", "李向东", "会议"
    ]  # fmt: skip
    table = "".join(export_lines(every_match(filled, query), "csv"))
    rows = list(csv.DictReader(io.StringIO(table)))
    assert tuple(rows[0]) == COLUMNS and len(rows) == 4
    assert rows[1]["items"] == "1. 抓项目\n2. 抓改革\n3. 抓党建"
    assert rows[1]["topics"] == "改革、党建" and rows[1]["speaker_titles"] == "董事长"


def test_an_empty_export_is_the_header(backend: SearchBackend) -> None:
    table = "".join(export_lines(every_match(backend, DirectiveQuery()), "csv"))
    assert table == ",".join(COLUMNS) + "\r\n"
