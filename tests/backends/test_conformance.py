"""One suite, every available backend: the same documents give the same answers.

SQLite always runs. Elasticsearch runs only where a cluster is reachable: set
``ARCHIVE_ES_URL``; without it those cases skip with the reason.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from archive.backends import FacetValue, SearchBackend, SearchQuery
from archive.backends.base import every_found
from archive.backends.sqlite import SCHEMA_VERSION, SqliteBackend
from archive.errors import DocumentNotFound, QueryError
from archive.records import Document, Meeting, Person, Source
from archive.segment import dictionary_fingerprint


def make_document(
    n: int,
    title: str,
    text: str,
    date: str | None,
    persons: tuple[str, ...] = (),
    orgs: tuple[str, ...] = (),
) -> Document:
    sha = f"{n:02x}" * 32
    day = dt.date.fromisoformat(date) if date else None
    return Document(
        id=sha[:16],
        title=title,
        text=text,
        original_text=text,
        date=day,
        year=day.year if day else None,
        source=Source(
            filename=f"doc{n}.txt",
            sha256=sha,
            bytes=len(text.encode()),
            encoding="utf-8",
            format="text",
        ),
        persons=[Person(name=name, titles=["董事长"]) for name in persons],
        orgs=list(orgs),
        meeting=Meeting(name="工作会议", type="工作会议"),
        extractor_version="test",
    )


# Invented articles in the style of the archive's inputs.
CORPUS = [
    make_document(
        1,
        "市城建集团召开2022年度工作会议",
        "市城建集团召开2022年度工作会议，党委书记、董事长王立民出席会议并讲话。"
        "会议要求推动高质量发展，做好十四五规划编制。",
        "2022-01-12",
        persons=("王立民",),
        orgs=("市城建集团",),
    ),
    make_document(
        2,
        "市交投集团召开党委会",
        "市交投集团召开党委会，研究疫情防控工作。总经理李向东主持会议。",
        "2022-03-05",
        persons=("李向东",),
        orgs=("市交投集团",),
    ),
    make_document(
        3,
        "市城建集团召开务虚会",
        "市城建集团召开务虚会，谋划十四五发展思路。王立民强调，要抢抓机遇。",
        "2021-01-08",
        persons=("王立民", "赵海峰"),
        orgs=("市城建集团",),
    ),
    make_document(
        4, "上海南路改造工程推进会", "上海南路改造工程推进会召开，会议部署5G网络建设。", None
    ),
]


@pytest.fixture
def filled(backend: SearchBackend) -> SearchBackend:
    for document in CORPUS:
        assert backend.index(document) is True
    return backend


def ids(result) -> list[str]:
    return [hit.id for hit in result.hits]


def test_store_get_and_duplicates(backend: SearchBackend) -> None:
    document = CORPUS[0]
    assert backend.count() == 0
    assert backend.index(document) is True
    assert backend.index(document) is False, "the same id twice must change nothing"
    assert backend.count() == 1
    assert backend.contains(document.id)
    assert backend.get(document.id) == document


def test_missing_document(backend: SearchBackend) -> None:
    with pytest.raises(DocumentNotFound):
        backend.get("0" * 16)
    assert backend.delete("0" * 16) is False


def test_delete_removes_from_store_index_and_facets(filled: SearchBackend) -> None:
    assert filled.delete(CORPUS[1].id) is True
    assert not filled.contains(CORPUS[1].id)
    assert filled.search(SearchQuery(q="党委会")).total == 0
    persons = filled.search(SearchQuery()).facets["person"]
    assert "李向东" not in [f.value for f in persons]


def test_empty_query_lists_everything_newest_first(filled: SearchBackend) -> None:
    result = filled.search(SearchQuery(q=""))
    assert result.total == 4
    assert ids(result) == [CORPUS[1].id, CORPUS[0].id, CORPUS[2].id, CORPUS[3].id]


def test_word_search_ranks_title_matches_first(filled: SearchBackend) -> None:
    result = filled.search(SearchQuery(q="务虚会"))
    assert ids(result) == [CORPUS[2].id]
    result = filled.search(SearchQuery(q="十四五"))
    assert set(ids(result)) == {CORPUS[0].id, CORPUS[2].id}


@pytest.mark.parametrize("query", ["发展", "發展", "發(fā)展"])
def test_any_script_finds_the_same_documents(filled: SearchBackend, query: str) -> None:
    simplified = filled.search(SearchQuery(q="发展"))
    result = filled.search(SearchQuery(q=query))
    assert ids(result) == ids(simplified)
    assert [h.score for h in result.hits] == [h.score for h in simplified.hits]
    assert set(ids(result)) == {CORPUS[0].id, CORPUS[2].id}


def test_substring_inside_a_longer_word_is_found(filled: SearchBackend) -> None:
    # 城建 is inside 市城建集团, however jieba split it.
    assert set(ids(filled.search(SearchQuery(q="城建")))) == {CORPUS[0].id, CORPUS[2].id}


def test_several_terms_must_all_match(filled: SearchBackend) -> None:
    assert ids(filled.search(SearchQuery(q="王立民 务虚会"))) == [CORPUS[2].id]
    assert filled.search(SearchQuery(q="王立民 党委会")).total == 0


def test_latin_and_digits(filled: SearchBackend) -> None:
    assert ids(filled.search(SearchQuery(q="5G"))) == [CORPUS[3].id]
    assert ids(filled.search(SearchQuery(q="5g网络"))) == [CORPUS[3].id]


def test_single_character_query(filled: SearchBackend) -> None:
    assert CORPUS[3].id in ids(filled.search(SearchQuery(q="路")))


def test_facets_count_all_matches(filled: SearchBackend) -> None:
    result = filled.search(SearchQuery(q="", limit=1))
    assert len(result.hits) == 1
    facets = {k: [(f.value, f.count) for f in v] for k, v in result.facets.items()}
    assert facets["year"] == [(2022, 2), (2021, 1)]
    assert facets["person"] == [("王立民", 2), ("李向东", 1), ("赵海峰", 1)]
    assert facets["org"] == [("市城建集团", 2), ("市交投集团", 1)]


def test_filters(filled: SearchBackend) -> None:
    assert ids(filled.search(SearchQuery(year=2021))) == [CORPUS[2].id]
    assert ids(filled.search(SearchQuery(person="王立民", year=2022))) == [CORPUS[0].id]
    assert filled.search(SearchQuery(org="市城建集团")).total == 2
    assert filled.search(SearchQuery(q="集团", org="市交投集团")).total == 1
    # A traditional-script filter value means the same person.
    assert filled.search(SearchQuery(person="王立民")).total == 2
    assert filled.search(SearchQuery(person="nobody")).total == 0


def test_pagination(filled: SearchBackend) -> None:
    everything = ids(filled.search(SearchQuery(limit=10)))
    pages = ids(filled.search(SearchQuery(limit=2))) + ids(
        filled.search(SearchQuery(limit=2, offset=2))
    )
    assert pages == everything


@pytest.mark.parametrize("q", ["", "发展", "城建集团"])
def test_found_gives_the_records_of_the_hits(filled: SearchBackend, q: str) -> None:
    query = SearchQuery(q=q, limit=2, offset=1, facet_size=0)
    result, found = filled.search(query), filled.found(query)
    assert [d.id for d in found.documents] == [h.id for h in result.hits]
    assert found.total == result.total
    assert all(d == filled.get(d.id) for d in found.documents), "the whole records"
    every = every_found(filled, SearchQuery(q=q, facet_size=0))
    assert len(every.documents) == every.total == result.total


def test_found_of_a_query_with_nothing_to_look_for(filled: SearchBackend) -> None:
    assert filled.found(SearchQuery(q="，。！")).model_dump() == {"total": 0, "documents": []}


def test_snippet_marks_the_match(filled: SearchBackend) -> None:
    (hit,) = filled.search(SearchQuery(q="疫情防控")).hits
    assert "<mark>疫情防控</mark>" in hit.snippet
    assert hit.title == "市交投集团召开党委会"
    assert hit.date == dt.date(2022, 3, 5)
    assert hit.year == 2022
    assert hit.score > 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"', []),
        ("，。！", []),
        ("AND", []),
        ("*", []),
        ("(", []),
        ("王*", [2, 0]),
        ('"务虚会"', [2]),
        ("title_words:务虚会", []),
        ("NEAR(集团 会议)", []),
        ("集团 AND 党委会", [1]),
    ],
)
def test_query_syntax_is_text_never_an_error(
    filled: SearchBackend, query: str, expected: list[int]
) -> None:
    """FTS syntax typed by a user is searched as text; punctuation alone matches nothing."""
    assert ids(filled.search(SearchQuery(q=query))) == [CORPUS[i].id for i in expected]


def test_blank_query_browses_everything(filled: SearchBackend) -> None:
    assert filled.search(SearchQuery(q="  ")).total == 4


def test_a_character_at_the_end_of_a_run_is_found(filled: SearchBackend) -> None:
    # 遇 ends 抢抓机遇 (the last sentence of document 3) and begins no bigram.
    assert ids(filled.search(SearchQuery(q="遇"))) == [CORPUS[2].id]


def test_too_many_terms_is_a_query_error(filled: SearchBackend) -> None:
    with pytest.raises(QueryError, match="at most 32"):
        filled.search(SearchQuery(q=" ".join(["会议"] * 33)))


def test_terms_in_the_title_rank_above_repetition_in_the_body(backend: SearchBackend) -> None:
    wordy = make_document(
        10, "菜篮子工程大事记", "国务院会议。" * 30 + "国务院部署会议工作。", "2022-01-01"
    )
    titled = make_document(11, "国务院召开常务会议", "会议研究了有关工作。", "2021-01-01")
    backend.index(wordy)
    backend.index(titled)
    assert ids(backend.search(SearchQuery(q="国务院 会议"))) == [titled.id, wordy.id]


def test_snippets_in_the_original_script_or_simplified(backend: SearchBackend) -> None:
    from archive.enrich import enrich
    from archive.normalize import normalize
    from archive.read import read_bytes

    text = "3月5日，市交投集團召開黨委會，研究疫情防控工作。"
    document = enrich(normalize(read_bytes(text.encode(), "a.txt")))
    backend.index(document)
    (original,) = backend.search(SearchQuery(q="党委会")).hits
    (simplified,) = backend.search(SearchQuery(q="党委会", script="simplified")).hits
    assert "召開<mark>黨委會</mark>" in original.snippet
    assert "召开<mark>党委会</mark>" in simplified.snippet


def test_an_index_of_another_schema_is_rebuilt_from_the_records(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "archive.sqlite3"
    first = SqliteBackend(path)
    first.index(CORPUS[0])
    first.close()
    with sqlite3.connect(path) as conn:  # as an older release would have left it
        conn.execute("UPDATE meta SET value = 'old' WHERE key = 'schema_version'")
        conn.execute("DELETE FROM search")
    again = SqliteBackend(path)
    assert ids(again.search(SearchQuery(q="工作会议"))) == [CORPUS[0].id]
    again.close()
    with sqlite3.connect(path) as conn:
        (version,) = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    # the schema and the user dictionary both decide the indexed words
    assert version == f"{SCHEMA_VERSION}-{dictionary_fingerprint()}"


def test_place_meeting_type_and_title_facets(backend: SearchBackend) -> None:
    first = CORPUS[0].model_copy(
        update={"places": ["北京", "上海"], "meeting": Meeting(name="工作会议", type="工作会议")}
    )
    second = CORPUS[2].model_copy(
        update={
            "places": ["北京"],
            "meeting": Meeting(name="务虚会", type="务虚会"),
            "persons": [Person(name="王立民", titles=["党委书记", "董事长"])],
        }
    )
    backend.index(first)
    backend.index(second)
    facets = {
        k: [(f.value, f.count) for f in v] for k, v in backend.search(SearchQuery()).facets.items()
    }
    assert facets["place"] == [("北京", 2), ("上海", 1)]
    assert facets["meeting_type"] == [("务虚会", 1), ("工作会议", 1)]
    assert facets["title"] == [("董事长", 2), ("党委书记", 1)]
    assert list(facets) == ["year", "person", "org", "place", "meeting_type", "title"]
    assert ids(backend.search(SearchQuery(place="上海"))) == [first.id]
    assert ids(backend.search(SearchQuery(meeting_type="务虚会"))) == [second.id]
    assert ids(backend.search(SearchQuery(title="党委书记"))) == [second.id]
    assert backend.search(SearchQuery(place="北京", title="董事长")).total == 2


def test_facet_size_limits_each_facet(filled: SearchBackend) -> None:
    facets = filled.search(SearchQuery(facet_size=1)).facets
    assert facets["person"] == [FacetValue(value="王立民", count=2)]
    assert facets["year"] == [FacetValue(value=2022, count=2)]


@pytest.mark.parametrize("query", ["covid", "19", "covid-19", "COVID 19", "5.0", "b2b"])
def test_latin_words_are_split_at_punctuation_alike(backend: SearchBackend, query: str) -> None:
    latin = make_document(
        12, "卫生工作会议", "会议部署covid-19防控，推进b2b平台5.0版本建设。", None
    )
    backend.index(latin)
    assert ids(backend.search(SearchQuery(q=query))) == [latin.id]


def test_paging_stops_at_ten_thousand_matches(filled: SearchBackend) -> None:
    assert filled.search(SearchQuery(limit=200, offset=9_800)).hits == []
    with pytest.raises(QueryError, match="first 10,000"):
        filled.search(SearchQuery(limit=10, offset=9_995))
