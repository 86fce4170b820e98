"""The JSON the Elasticsearch backend sends, built by pure functions (golden-tested).

Text is matched on the archive's own tokens, made by :mod:`archive.segment` exactly as the
embedded engine makes them (jieba words and character bigrams, space-separated) and
indexed under ``tokens.*`` with the ``whitespace`` analyzer: index and query split text
the same way by construction, and a query matches the same documents in both backends.
No plugin (IK, smartcn) is needed on the cluster. ``title`` and ``text`` themselves use
the built-in ``cjk`` bigram analyzer, for people searching from Kibana.

A few fields exist for the index only (made here from the record, never stored):
``timeline``, the day each document sits at on Kibana's time axis, with
``timeline_source``; and ``posts``, one nested object per person and post.

Each query term must match, as a phrase of its jieba words or of its bigrams, the way
:func:`archive.backends.sqlite._match_expression` reads it; the boosts are the SQLite
backend's bm25 column weights, and a term found in the title adds the same bonus, so
rankings agree where they are unambiguous.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from archive import segment
from archive.backends.base import (
    DirectiveHit,
    DirectiveQuery,
    FacetValue,
    SearchQuery,
    check_window,
)
from archive.normalize import normalize_text
from archive.records import Directive, Document

log = logging.getLogger(__name__)

MAPPINGS = Path(__file__).resolve().parents[3] / "mappings"

MAPPING_VERSION = 3
"""Bump with a new ``mappings/*-v<N>.json``: ``archive reindex`` moves the aliases to it
(and the backend does so by itself when it finds indices of another version). Version 2
came with extractor 0.6.0: posts, partial dates, where a year came from, the publication
date, and the ``timeline`` every document has; version 3 maps the source's page count, its
OCR mark and the container a document was found in."""

TimelineSource = Literal["date", "published", "year", "ingested"]
"""Which day a document's ``timeline`` is: its ``date``, its ``published`` day, 1 January
of its ``year`` (the year alone is known), or the day it was ``ingested``."""

INDEX_ONLY = ("tokens", "timeline", "timeline_source", "posts")
"""Fields of an Elasticsearch document that are not part of the record."""


@dataclass(frozen=True)
class Names:
    """The names in the cluster of one archive (``ARCHIVE_ES_INDEX``, default ``archive``):
    searches read the aliases, each naming one versioned index at a time."""

    base: str = "archive"

    @property
    def documents(self) -> str:
        return self.base

    @property
    def directives(self) -> str:
        return f"{self.base}-directives"

    def template_name(self, alias: str) -> str:
        """``archive-v3``: the index template of ``alias`` at this mapping version."""
        return f"{alias}-v{MAPPING_VERSION}"

    def index_name(self, alias: str, at: dt.datetime) -> str:
        """A new concrete index for ``alias`` (``archive-v3-20261201t101500123``, to the
        millisecond); the template applies to it by its name."""
        stamp = at.strftime("%Y%m%dt%H%M%S") + f"{at.microsecond // 1000:03d}"
        return f"{self.template_name(alias)}-{stamp}"

    def is_current(self, alias: str, index: str) -> bool:
        """Whether ``index`` of ``alias`` was made with this mapping version (an older
        release's ``archive-v1-…`` is not)."""
        return index.startswith(f"{self.template_name(alias)}-")

    def template(self, alias: str) -> dict[str, Any]:
        """The index template of ``alias``: ``mappings/archive-v3.json`` or
        ``mappings/archive-directives-v3.json``, for this archive's index names."""
        kind = "archive-directives" if alias == self.directives else "archive"
        body = dict(_template_file(f"{kind}-v{MAPPING_VERSION}.json"))
        return {**body, "index_patterns": [f"{self.template_name(alias)}-*"]}


@cache
def _template_file(name: str) -> dict[str, Any]:
    return json.loads((MAPPINGS / name).read_text(encoding="utf-8"))


TITLE_BONUS = 100.0
_WEIGHTS = {"title_words": 10.0, "words": 4.0, "title_grams": 2.0, "grams": 1.0, "tails": 0.5}
"""The SQLite backend's bm25 weights of the same columns."""

_FACET_FIELDS = {
    "year": "year",
    "person": "persons.name",
    "org": "orgs",
    "place": "places",
    "meeting_type": "meeting.type",
    "title": "persons.titles",
}
_DIRECTIVE_FACET_FIELDS = {"speaker": "speaker", "year": "year", "topic": "topics"}


# -- writes ---------------------------------------------------------------------------


def _tokens(title: str, text: str) -> dict[str, str]:
    return dict(zip(_WEIGHTS, segment.search_columns(title, text), strict=True))


def timeline(document: Document) -> tuple[dt.date | None, TimelineSource | None]:
    """The day ``document`` sits at on Kibana's time axis, and which day that is.

    Kibana filters a data view on one date field, and a document without it drops out of
    every time-filtered view; an article whose year is unknown must still show. So the
    timeline falls back from the date to the publication day, to the year's first day, to
    the day the archive took the file, which every stored record has."""
    if document.date is not None:
        return document.date, "date"
    if document.published is not None:
        return document.published, "published"
    if document.year is not None:
        return dt.date(document.year, 1, 1), "year"
    if document.source.ingested_at is not None:
        return document.source.ingested_at.date(), "ingested"
    return None, None  # a record never stored by the pipeline (no ingestion time)


def _timeline_fields(document: Document) -> dict[str, Any]:
    day, source = timeline(document)
    return {"timeline": day.isoformat() if day else None, "timeline_source": source}


def person_posts(document: Document) -> list[dict[str, Any]]:
    """One object per person and post, for the nested ``posts`` field: in the record a
    post does not carry its holder's name, and ``persons`` is not nested (so Kibana can
    chart it), which would let one person's title match another's organisation."""
    return [
        {"person": person.name, "title": post.title, "org": post.org}
        for person in document.persons
        for post in person.held
    ]


def document_source(document: Document) -> dict[str, Any]:
    """The Elasticsearch document of an archived article: the record, plus its timeline,
    its posts by person and its tokens."""
    return {
        **document.model_dump(mode="json"),
        **_timeline_fields(document),
        "posts": person_posts(document),
        "tokens": _tokens(document.title, document.text),
    }


def directive_source(document: Document, position: int) -> dict[str, Any]:
    """The Elasticsearch document of one directive, with where it was set."""
    directive = document.directives[position]
    return {
        "document_id": document.id,
        "position": position,
        "title": document.title,
        "date": document.date.isoformat() if document.date else None,
        "year": document.year,
        "year_source": document.year_source,
        **_timeline_fields(document),
        "meeting": document.meeting.name,
        **directive.model_dump(mode="json"),
        "tokens": _tokens(" ".join([directive.speaker, *directive.topics]), directive.text),
    }


def directive_id(document_id: str, position: int) -> str:
    return f"{document_id}-{position}"


def bulk_actions(
    documents: Sequence[Document], *, documents_index: str, directives_index: str
) -> Iterator[dict[str, Any]]:
    """The bulk actions that index ``documents`` and their directives (``_id`` = record
    id, so sending a document twice changes nothing)."""
    for document in documents:
        yield {
            "_op_type": "index",
            "_index": documents_index,
            "_id": document.id,
            "_source": document_source(document),
        }
        for position in range(len(document.directives)):
            yield {
                "_op_type": "index",
                "_index": directives_index,
                "_id": directive_id(document.id, position),
                "_source": directive_source(document, position),
            }


def stale_directives(documents: Sequence[Document]) -> dict[str, Any]:
    """A query for the directives the documents no longer have (a reprocessed document
    can have fewer): those of each document at a position past its last."""
    return {
        "bool": {
            "should": [
                {
                    "bool": {
                        "filter": [
                            {"term": {"document_id": document.id}},
                            {"range": {"position": {"gte": len(document.directives)}}},
                        ]
                    }
                }
                for document in documents
            ],
            "minimum_should_match": 1,
        }
    }


# -- searches -------------------------------------------------------------------------


def _phrase(field: str, tokens: Sequence[str]) -> dict[str, Any]:
    return {
        "match_phrase": {f"tokens.{field}": {"query": " ".join(tokens), "boost": _WEIGHTS[field]}}
    }


def term_clause(term: str) -> dict[str, Any]:
    """One query term: a phrase of its jieba words, or of its bigrams; a single character
    also as the start of a bigram or the end of a run (``tails``)."""
    words = segment.words(term)
    should = [_phrase("title_words", words), _phrase("words", words)]
    if lone := segment.lone_character(term):
        should += [
            {"prefix": {f"tokens.{field}": {"value": lone, "boost": _WEIGHTS[field]}}}
            for field in ("title_grams", "grams")
        ]
        should.append({"term": {"tokens.tails": {"value": lone, "boost": _WEIGHTS["tails"]}}})
    else:
        grams = segment.grams(term)
        should += [_phrase("title_grams", grams), _phrase("grams", grams)]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _title_bonus(term: str) -> dict[str, Any]:
    # The SQLite backend adds TITLE_BONUS per term the title holds as a substring.
    pattern = "".join("\\" + c if c in "*?\\" else c for c in term)
    return {
        "constant_score": {
            "filter": {"wildcard": {"title.keyword": {"value": f"*{pattern}*"}}},
            "boost": TITLE_BONUS,
        }
    }


def _terms_agg(field: str, size: int) -> dict[str, Any]:
    return {"terms": {"field": field, "size": size, "order": [{"_count": "desc"}, {"_key": "asc"}]}}


def _aggregations(fields: dict[str, str], size: int) -> dict[str, Any]:
    # Elasticsearch refuses a terms aggregation of size 0: no facets asked, none sent.
    return {name: _terms_agg(field, size) for name, field in fields.items()} if size else {}


def _page(limit: int, offset: int) -> dict[str, int]:
    check_window(limit, offset)
    return {"from": offset, "size": limit}


def search_body(query: SearchQuery, terms: Sequence[str]) -> dict[str, Any]:
    """The ``_search`` body of a document search whose parsed terms are ``terms``."""
    filters: list[dict[str, Any]] = []
    if query.year is not None:
        filters.append({"term": {"year": query.year}})
    for facet, value in query.filters().items():
        filters.append({"term": {_FACET_FIELDS[facet]: normalize_text(value)}})
    boolean: dict[str, Any] = {"filter": filters}
    if terms:
        boolean["must"] = [term_clause(term) for term in terms]
        boolean["should"] = [_title_bonus(term) for term in terms]
        sort: list[Any] = ["_score"]
    else:
        sort = []
    sort += [{"date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    return {
        "query": {"bool": boolean},
        "sort": sort,
        **_page(query.limit, query.offset),
        "track_total_hits": True,
        "aggs": _aggregations(_FACET_FIELDS, query.facet_size),
    }


def directive_search_body(query: DirectiveQuery, terms: Sequence[str]) -> dict[str, Any]:
    """The ``_search`` body of a directive search whose parsed terms are ``terms``."""
    filters: list[dict[str, Any]] = []
    if query.year is not None:
        filters.append({"term": {"year": query.year}})
    if query.speaker:
        filters.append({"term": {"speaker": normalize_text(query.speaker)}})
    if query.topic:
        filters.append({"term": {"topics": normalize_text(query.topic)}})
    boolean: dict[str, Any] = {"filter": filters}
    sort: list[Any] = []
    if terms:
        boolean["must"] = [term_clause(term) for term in terms]
        sort.append("_score")
    sort += [
        {"date": {"order": "desc", "missing": "_last"}},
        {"document_id": "asc"},
        {"position": "asc"},
    ]
    return {
        "query": {"bool": boolean},
        "sort": sort,
        **_page(query.limit, query.offset),
        "track_total_hits": True,
        "aggs": _aggregations(_DIRECTIVE_FACET_FIELDS, query.facet_size),
    }


EXPORT_PAGE = 500


def directive_export_body(
    query: DirectiveQuery, terms: Sequence[str], after: Sequence[Any] | None
) -> dict[str, Any]:
    """A page of every directive ``query`` matches, after the sort values ``after`` of
    the previous page's last hit (``search_after``: no depth limit, unlike ``from``). The
    sort ends on document and position, so it is total and no directive is seen twice."""
    body = directive_search_body(query.model_copy(update={"offset": 0, "limit": 0}), terms)
    del body["from"], body["aggs"], body["track_total_hits"]
    body["size"] = EXPORT_PAGE
    if after is not None:
        body["search_after"] = list(after)
    return body


# -- answers --------------------------------------------------------------------------


def facets(response: dict[str, Any], names: Sequence[str]) -> dict[str, list[FacetValue]]:
    """Facet counts from a response's terms aggregations, in the backend's shape."""
    aggregations = response.get("aggregations") or {}
    return {
        name: [
            FacetValue(value=bucket["key"], count=bucket["doc_count"])
            for bucket in aggregations.get(name, {}).get("buckets", [])
        ]
        for name in names
    }


def total(response: dict[str, Any]) -> int:
    return response["hits"]["total"]["value"]


def document_of(hit: dict[str, Any]) -> Document:
    """The archived record a hit carries (its ``_source`` without the index's own fields)."""
    source = {k: v for k, v in hit["_source"].items() if k not in INDEX_ONLY}
    return Document.model_validate(source)


def directive_hit(hit: dict[str, Any]) -> DirectiveHit:
    """A directive hit from an Elasticsearch hit of the directives index."""
    source = hit["_source"]
    return DirectiveHit(
        document_id=source["document_id"],
        position=source["position"],
        title=source["title"],
        date=source.get("date"),
        year=source.get("year"),
        year_source=source.get("year_source"),
        meeting=source.get("meeting"),
        directive=Directive.model_validate(
            {k: v for k, v in source.items() if k in Directive.model_fields}
        ),
        score=round(hit.get("_score") or 0.0, 6),
    )


@dataclass
class BulkOutcome:
    """What the cluster said of a bulk request, by document id."""

    acknowledged: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)
    """Rejected for good (a mapping error): sent again only on request."""
    busy: set[str] = field(default_factory=set)
    """Rejected for now (429 after the retries, 5xx): still pending."""

    def failed(self, result: dict[str, Any], url: str) -> None:
        document_id = str(result["_id"]).split("-")[0]  # a directive's id is <doc>-<n>
        status = int(result.get("status") or 0)
        if status == 429 or status >= 500:
            self.busy.add(document_id)
            return
        self.refused.add(document_id)
        log.error("%s: Elasticsearch refused document %s: %s", url, document_id,
                  result.get("error"))  # fmt: skip
