"""Reading the tantivy index: pages of matches in the archive's order, and exact facet
counts. Each function takes a searcher (one view of the index) and a query made by
:mod:`archive.backends.tantivy_index`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import tantivy
from pydantic import BaseModel

from archive import segment
from archive.backends import tantivy_folder as folders
from archive.backends import tantivy_index as ix
from archive.backends.base import (
    DIRECTIVE_FACETS,
    FACETS,
    DirectiveHit,
    DirectiveQuery,
    DirectiveResult,
    FacetValue,
    Found,
    SearchQuery,
    SearchResult,
    check_window,
    hit,
)
from archive.backends.sqlite import SqliteBackend


def ranked(
    searcher: tantivy.Searcher, query: tantivy.Query, scored: bool, limit: int, offset: int
) -> tuple[list[tuple[tantivy.DocAddress, float]], int]:
    """The page ``offset .. offset + limit`` of the matches and their total: by score,
    ties newest first then by id (as the other engines order them); without terms, by
    that order alone."""
    if not scored:
        found = searcher.search(
            query, max(limit, 1), count=True, order_by_field="order", offset=offset
        )
        return [(address, 0.0) for _, address in found.hits[:limit]], found.count or 0
    wanted = offset + limit
    fetch = wanted + 1
    while True:
        found = searcher.search(query, max(fetch, 1), count=True)
        hits = found.hits
        # tantivy breaks ties of score by its own doc order: take every hit that ties
        # with the last one wanted, then order the ties by date and id.
        if len(hits) < fetch or not wanted or hits[-1][0] < hits[wanted - 1][0]:
            break
        fetch *= 2
    orders = searcher.fast_field_values("order", [address for _, address in hits])
    ordered = sorted(
        zip(hits, orders, strict=True), key=lambda each: (-each[0][0], -(each[1] or 0))
    )
    page = [(address, score) for (score, address), _ in ordered[offset:wanted]]
    return page, found.count or 0


MANY_VALUES = frozenset({"person", "speaker"})
"""Facet fields with very many values (every person ever named): counted in two steps
(:func:`facets`), the others in one."""

ALL_TERMS = 2**31 - 1
"""Terms a segment hands to the merge of a count when it must hand them all, so the
counts are exact (slow to gather for a facet of very many values: each one is looked up
in the segment's dictionary)."""


def facets(
    searcher: tantivy.Searcher, query: tantivy.Query, fields: dict[str, str], size: int
) -> dict[str, list[FacetValue]]:
    """The ``size`` most frequent values of each facet over every match, with exact
    counts, ties by value (as the other engines order them).

    Counting every value of every index segment is exact, and cheap for a facet of a few
    thousand values, but slow for one of very many (people). Those (:data:`MANY_VALUES`)
    are counted in two steps: in the same pass as the others, each segment's most frequent
    values, which names the candidates and bounds the error; then the candidates exactly.
    If the candidates still cannot settle the top values (rare), the facet is counted in
    full."""
    if not size:
        return {name: [] for name in fields}
    wide = 2 * size + 10
    many = {name: field for name, field in fields.items() if field in MANY_VALUES}
    few = {name: field for name, field in fields.items() if name not in many}
    first = _counted(
        searcher,
        query,
        aggregations(few, wide, ALL_TERMS) | aggregations(many, wide, max(1000, 10 * size)),
    )
    out = {name: first[name].top(size) for name in few if first[name].settles(size, wide)}
    out |= {name: first[name].top(size) for name in many if not first[name].error}
    unsure = {name: field for name, field in many.items() if name not in out}
    if unsure:
        include = {name: [v.value for v in first[name].values] for name in unsure}
        biggest = max(len(values) for values in include.values())
        second = _counted(searcher, query, aggregations(unsure, biggest, biggest, include))
        for name in unsure:
            exact = second[name].top(size)
            if settled(first[name], wide, exact, size):
                out[name] = exact
    # Rare: ties past the first count's cut, or candidates that could not settle.
    for name in [name for name in fields if name not in out]:
        out[name] = _in_full(searcher, query, name, fields[name], size, 4 * wide)
    return {name: out[name] for name in fields}


def _in_full(
    searcher: tantivy.Searcher, query: tantivy.Query, name: str, field: str, size: int, wide: int
) -> list[FacetValue]:
    """One facet counted from every value of every segment, with more buckets each time
    until the ties at the cut are all in."""
    while True:
        counted = _counted(searcher, query, aggregations({name: field}, wide, ALL_TERMS))[name]
        if counted.settles(size, wide):
            return counted.top(size)
        wide *= 4


def aggregations(
    fields: dict[str, str],
    size: int,
    segment_size: int,
    include: dict[str, list[Any]] | None = None,
) -> dict[str, Any]:
    """Terms aggregations of ``fields`` (facet -> field), ``size`` buckets each, from the
    ``segment_size`` most frequent values of each segment (``include``: of these values
    only)."""
    made: dict[str, Any] = {}
    for name, field in fields.items():
        terms: dict[str, Any] = {"field": field, "size": size, "segment_size": segment_size}
        if include is not None:
            terms["include"] = include[name]
        made[name] = {"terms": terms}
    return made


@dataclass(frozen=True)
class Counted:
    """One facet's answer to a terms aggregation: its buckets, most frequent first then by
    value, how far any count may be off (0: exact), and how many matches' values it left
    out."""

    values: list[FacetValue]
    error: int
    others: int

    @classmethod
    def of(cls, answer: dict[str, Any]) -> Counted:
        values = [FacetValue(value=b["key"], count=b["doc_count"]) for b in answer["buckets"]]
        values.sort(key=lambda v: (-v.count, v.value))
        error = answer.get("doc_count_error_upper_bound") or 0
        return cls(values, error, answer.get("sum_other_doc_count") or 0)

    def top(self, size: int) -> list[FacetValue]:
        return self.values[:size]

    def settles(self, size: int, wide: int) -> bool:
        """Whether these exact counts (no error) hold the true top ``size``: tantivy cut
        them at ``wide`` in its own order of ties, so the last one kept must count more
        than the one at ``size``, or nothing was left out."""
        if self.error:
            return False
        if not self.others or len(self.values) <= size:
            return True
        return len(self.values) == wide and self.values[-1].count < self.values[size - 1].count


def settled(first: Counted, wide: int, exact: list[FacetValue], size: int) -> bool:
    """Whether ``exact`` (the true counts of ``first``'s values, most frequent first) are
    the true top ``size``: any value ``first`` left out has a count of at most the least
    count ``first`` kept (0 when it kept fewer than ``wide``) plus its error bound, and the
    last one kept must beat that."""
    if len(exact) < size:
        return False
    least = first.values[-1].count if len(first.values) == wide else 0
    return exact[size - 1].count > least + first.error


def _counted(
    searcher: tantivy.Searcher, query: tantivy.Query, aggregations: dict[str, Any]
) -> dict[str, Counted]:
    """One pass over the matches, counting each facet as ``aggregations`` ask."""
    answer = searcher.aggregate(query, aggregations)
    return {name: Counted.of(answer.get(name) or {"buckets": []}) for name in aggregations}


class FacetCache:
    """Facet counts of queries, kept while the index does not change (Elasticsearch's
    request cache does the same until a refresh): counting over a whole archive takes
    tens to hundreds of milliseconds, and the same few queries (the first page, a year, a
    person) come again and again. Thread-safe."""

    SIZE = 256

    def __init__(self) -> None:
        self._answers: dict[Any, dict[str, list[FacetValue]]] = {}
        self._lock = threading.Lock()

    def get(
        self,
        query: BaseModel,
        version: tuple[object, ...],
        count: Callable[[], dict[str, list[FacetValue]]],
    ) -> dict[str, list[FacetValue]]:
        """The facets of ``query`` over the index at ``version``: cached, or ``count()``."""
        shape = query.model_dump(exclude={"limit", "offset", "script"})
        key = (type(query).__name__, tuple(sorted(shape.items())), version)
        with self._lock:
            if (cached := self._answers.get(key)) is not None:
                return cached
        counted = count()
        with self._lock:
            if len(self._answers) >= self.SIZE:
                self._answers.clear()
            self._answers[key] = counted
        return counted

    def __len__(self) -> int:
        return len(self._answers)


def directive_hit(
    searcher: tantivy.Searcher, address: tantivy.DocAddress, score: float
) -> DirectiveHit:
    stored = searcher.doc(address)["hit"][0]
    return DirectiveHit.model_validate_json(stored).model_copy(update={"score": round(score, 6)})


class _Page(NamedTuple):
    version: tuple[object, ...]
    """Of the index the searcher reads (read before it was taken), for the facet cache."""
    searcher: tantivy.Searcher
    terms: list[str]
    query: tantivy.Query
    hits: list[tuple[str, float]]
    """(record id, score) in rank order."""
    total: int


class Searching:
    """The searches of :class:`archive.backends.tantivy.TantivyBackend`: over the searcher
    it gives (every write of its process committed first), hits made from the records of
    its store, facets counted by :func:`facets` and kept in its :class:`FacetCache`."""

    store: SqliteBackend
    folder: Path
    _current: str
    _facets: FacetCache

    def _searcher(self) -> tantivy.Searcher:
        raise NotImplementedError

    def search(self, query: SearchQuery) -> SearchResult:
        page = self._page(query)
        if page is None:
            return SearchResult(total=0, hits=[], facets={name: [] for name in FACETS})
        records = self.store.records([doc_id for doc_id, _ in page.hits])
        hits = [hit(records[i], page.terms, query, s) for i, s in page.hits if i in records]
        facets = self._facets_of(query, page, ix.DOCUMENT_FACET_FIELDS)
        return SearchResult(total=page.total, hits=hits, facets=facets)

    def found(self, query: SearchQuery) -> Found:
        page = self._page(query)
        if page is None:
            return Found(total=0, documents=[])
        records = self.store.records([doc_id for doc_id, _ in page.hits])
        documents = [records[i] for i, _ in page.hits if i in records]
        return Found(total=page.total, documents=documents)

    def _page(self, query: SearchQuery) -> _Page | None:
        check_window(query.limit, query.offset)
        terms = segment.query_terms(query.q)
        if query.q.strip() and not terms:
            # Only punctuation or operators: nothing to look for, so nothing matches (an
            # empty query, by contrast, browses everything).
            return None
        version, searcher = self._versioned_searcher()
        tq = ix.document_query(query, terms)
        page, total = ranked(searcher, tq, bool(terms), query.limit, query.offset)
        hits = [(searcher.doc(address)["document_id"][0], score) for address, score in page]
        return _Page(version, searcher, terms, tq, hits, total)

    def search_directives(self, query: DirectiveQuery) -> DirectiveResult:
        check_window(query.limit, query.offset)
        terms = segment.query_terms(query.q)
        if query.q.strip() and not terms:
            return DirectiveResult(total=0, hits=[], facets={n: [] for n in DIRECTIVE_FACETS})
        version, searcher = self._versioned_searcher()
        tq = ix.directive_query(query, terms)
        page, total = ranked(searcher, tq, bool(terms), query.limit, query.offset)
        hits = [directive_hit(searcher, address, score) for address, score in page]
        facets = self._facets_of(
            query, _Page(version, searcher, terms, tq, [], total), ix.DIRECTIVE_FACET_FIELDS
        )
        return DirectiveResult(total=total, hits=hits, facets=facets)

    def every_directive(self, query: DirectiveQuery) -> Iterator[DirectiveHit]:
        terms = segment.query_terms(query.q)
        if query.q.strip() and not terms:
            return
        searcher = self._searcher()
        tq = ix.directive_query(query, terms)
        total = searcher.search(tq, 1, count=True).count or 0
        if total <= query.offset:
            return
        page, _ = ranked(searcher, tq, bool(terms), total - query.offset, query.offset)
        for address, score in page:
            yield directive_hit(searcher, address, score)

    def _versioned_searcher(self) -> tuple[tuple[object, ...], tantivy.Searcher]:
        """A searcher, and a version of the index that changes with every commit by any
        process: the last commit's stamp, read before the searcher is taken (a commit in
        between then keys newer counts under an older version, never the reverse), and
        the searcher's own counts (two commits within one tick of the file clock)."""
        stamp = (self._current, *folders.commit_stamp(self.folder, self._current))
        searcher = self._searcher()
        return (*stamp, searcher.num_docs, searcher.num_segments), searcher

    def _facets_of(
        self, query: SearchQuery | DirectiveQuery, page: _Page, fields: dict[str, str]
    ) -> dict[str, list[FacetValue]]:
        def count() -> dict[str, list[FacetValue]]:
            return facets(page.searcher, page.query, fields, query.facet_size)

        return self._facets.get(query, page.version, count)
