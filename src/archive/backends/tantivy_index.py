"""What the embedded engine's tantivy index holds and how it is queried, as pure functions.

One index holds two kinds of entries: a *document* per stored record and a *directive*
per requirement of it, told apart by ``kind``. Both carry ``document_id``, so one delete
by that term removes a record and its directives in the same commit.

Text is matched on the archive's own tokens (:func:`archive.segment.search_columns`:
jieba words and character bigrams, space-separated), split by tantivy's ``whitespace``
tokenizer: index and query read text exactly as the SQLite and Elasticsearch backends
do, so a query matches the same entries in every engine. Facets are fast fields, counted
by tantivy's terms aggregation over every match. The sort key ``order`` packs the date
and the id into one integer, so browsing (newest first, then by id) is one fast-field
sort.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import tantivy

from archive import segment
from archive.backends.base import (
    DirectiveHit,
    DirectiveQuery,
    SearchQuery,
)
from archive.normalize import normalize_text
from archive.records import Document

SCHEMA_VERSION = "1"
"""Bump when the fields or the way text becomes tokens change: the index is rebuilt."""

TITLE_BONUS = 100.0
"""Added per query term the title holds, as the other engines do: it dominates bm25."""

WEIGHTS = {"title_words": 10.0, "words": 4.0, "title_grams": 2.0, "grams": 1.0}
"""Boosts of the token fields: the other engines' bm25 column weights."""

HAN_CHARACTERS = "han_characters"
"""The tokenizer of ``chars``: every Han character of title and text, a token of its own.
A one-character query is a term of it, ranked by bm25 (the other engines look for the
start of a bigram or the end of a run instead: the same documents)."""


def register_tokenizers(index: tantivy.Index) -> None:
    """tantivy keeps custom tokenizers out of the index files: every opened index needs
    this before it reads or writes ``chars``."""
    pattern = f"[{segment.HAN_CLASS}]"
    index.register_tokenizer(
        HAN_CHARACTERS, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(pattern)).build()
    )


DOCUMENT_FACET_FIELDS = {
    "year": "year",
    "person": "person",
    "org": "org",
    "place": "place",
    "meeting_type": "meeting_type",
    "title": "title",
}
"""Each facet of a document search (:data:`archive.backends.base.FACETS`), and its field."""
DIRECTIVE_FACET_FIELDS = {"speaker": "speaker", "year": "year", "topic": "topic"}
"""Each facet of a directive search, and its field."""

_KEYWORDS = ("person", "org", "place", "meeting_type", "title", "speaker", "topic")


@cache
def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("kind", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("document_id", stored=True, tokenizer_name="raw", index_option="basic")
    for field in ("title_words", "words", "title_grams", "grams"):
        builder.add_text_field(field, tokenizer_name="whitespace", index_option="position")
    builder.add_text_field("chars", tokenizer_name=HAN_CHARACTERS, index_option="freq")
    for field in _KEYWORDS:
        builder.add_text_field(field, tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("order", fast=True)
    builder.add_text_field("hit", stored=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


# -- entries --------------------------------------------------------------------------


Columns = tuple[str, ...]
"""``title_words, words, title_grams, grams`` (:data:`WEIGHTS`): a search row's columns
without the tails, which ``chars`` makes unnecessary."""


def _columns(title: str, text: str) -> Columns:
    return segment.search_columns(title, text)[:4]


@dataclass(frozen=True)
class Tokens:
    """A record's full-text columns and those of each directive: the slow part of indexing
    it (segmentation), kept apart so that it can be made once and sent later."""

    document: Columns
    directives: list[Columns]

    @classmethod
    def of(cls, doc: Document) -> Tokens:
        return cls(
            _columns(doc.title, doc.text),
            [_columns(" ".join([d.speaker, *d.topics]), d.text) for d in doc.directives],
        )

    def to_json(self) -> str:
        return json.dumps([self.document, self.directives], ensure_ascii=False)

    @classmethod
    def from_json(cls, payload: str) -> Tokens:
        document, directives = json.loads(payload)
        return cls(tuple(document), [tuple(columns) for columns in directives])


def entries(doc: Document, tokens: Tokens) -> list[tantivy.Document]:
    """The index entries of a record: itself, then each of its directives."""
    made = [_document_entry(doc, tokens.document)]
    for position, (directive, columns) in enumerate(
        zip(doc.directives, tokens.directives, strict=True)
    ):
        heading = " ".join([directive.speaker, *directive.topics])
        order = order_key(doc.date, doc.id, position)
        entry = _entry(
            "directive", doc.id, columns, f"{heading}\n{directive.text}", doc.year, order
        )
        entry.add_text("speaker", directive.speaker)
        for topic in directive.topics:
            entry.add_text("topic", topic)
        found = DirectiveHit(
            document_id=doc.id,
            position=position,
            title=doc.title,
            date=doc.date,
            year=doc.year,
            year_source=doc.year_source,
            meeting=doc.meeting.name,
            directive=directive,
            score=0.0,
        )
        entry.add_text("hit", found.model_dump_json())
        made.append(entry)
    return made


def _document_entry(doc: Document, columns: Columns) -> tantivy.Document:
    order = order_key(doc.date, doc.id)
    entry = _entry("document", doc.id, columns, f"{doc.title}\n{doc.text}", doc.year, order)
    for facet, value in facet_values(doc):
        entry.add_text(facet, value)
    return entry


def facet_values(doc: Document) -> list[tuple[str, str]]:
    """The keyword (facet, value) pairs a record is counted and filtered under (``year``
    is a number field of its own). Distinct: a value counts a record once."""
    pairs = [("person", person.name) for person in doc.persons]
    pairs += [("title", title) for person in doc.persons for title in person.titles]
    pairs += [("org", org) for org in doc.orgs]
    pairs += [("place", place) for place in doc.places]
    if doc.meeting.type:
        pairs.append(("meeting_type", doc.meeting.type))
    return list(dict.fromkeys(pairs))


def _entry(
    kind: str, doc_id: str, columns: Columns, characters: str, year: int | None, order: int
) -> tantivy.Document:
    entry = tantivy.Document()
    entry.add_text("kind", kind)
    entry.add_text("document_id", doc_id)
    for field, text in zip(WEIGHTS, columns, strict=True):
        if text:
            entry.add_text(field, text)
    entry.add_text("chars", characters)
    if year is not None:
        entry.add_integer("year", year)
    entry.add_integer("order", order)
    return entry


_EPOCH = dt.date(1800, 1, 1)
_ID_BITS = 36
_POSITION_BITS = 8


def order_key(date: dt.date | None, doc_id: str, position: int = 0) -> int:
    """One integer that sorts entries, descending, newest first, then by id and position
    ascending; undated entries last (the other engines' order)."""
    days = (date - _EPOCH).days + 1 if date and date >= _EPOCH else 0
    try:
        rank = int(doc_id[: _ID_BITS // 4], 16)
    except ValueError:  # ids are hex digests; any other sorts by its bytes' start
        rank = int.from_bytes(doc_id.encode()[: _ID_BITS // 8].ljust(_ID_BITS // 8, b"\0"))
    rank = (1 << _ID_BITS) - 1 - rank
    place = (1 << _POSITION_BITS) - 1 - min(position, (1 << _POSITION_BITS) - 1)
    return (days << (_ID_BITS + _POSITION_BITS)) | (rank << _POSITION_BITS) | place


# -- queries --------------------------------------------------------------------------


def document_query(query: SearchQuery, terms: Sequence[str]) -> tantivy.Query:
    """Every term must match; facet filters narrow; a term in the title adds the bonus."""
    filters = [("year", query.year)] if query.year is not None else []
    filters += [(facet, normalize_text(value)) for facet, value in query.filters().items()]
    return _query("document", terms, filters, title_bonus=True)


def directive_query(query: DirectiveQuery, terms: Sequence[str]) -> tantivy.Query:
    filters: list[tuple[str, Any]] = [("year", query.year)] if query.year is not None else []
    filters += [
        (facet, normalize_text(getattr(query, facet)))
        for facet in ("speaker", "topic")
        if getattr(query, facet)
    ]
    return _query("directive", terms, filters, title_bonus=False)


Occur = tantivy.Occur


def _query(
    kind: str, terms: Sequence[str], filters: Sequence[tuple[str, Any]], *, title_bonus: bool
) -> tantivy.Query:
    s = schema()
    must = Occur.Must
    clauses = [(must, _unscored(tantivy.Query.term_query(s, "kind", kind)))]
    clauses += [(must, _unscored(tantivy.Query.term_query(s, f, v))) for f, v in filters]
    clauses += [(must, term_clause(term)) for term in terms]
    if title_bonus:
        clauses += [
            (Occur.Should, tantivy.Query.const_score_query(_in_title(term), TITLE_BONUS))
            for term in terms
        ]
    return tantivy.Query.boolean_query(clauses)


def _unscored(query: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.const_score_query(query, 0.0)


def term_clause(term: str) -> tantivy.Query:
    """One query term: a phrase of its jieba words, or of its bigrams; a single character
    as a character of ``chars``."""
    words = segment.words(term)
    should = [_phrase("title_words", words), _phrase("words", words)]
    if lone := segment.lone_character(term):
        should.append(tantivy.Query.term_query(schema(), "chars", lone))
    else:
        grams = segment.grams(term)
        should += [_phrase("title_grams", grams), _phrase("grams", grams)]
    return tantivy.Query.boolean_query([(Occur.Should, clause) for clause in should])


def _in_title(term: str) -> tantivy.Query:
    if lone := segment.lone_character(term):
        return tantivy.Query.regex_query(schema(), "title_grams", _prefix_pattern(lone))
    return _phrase("title_grams", segment.grams(term))


def _phrase(field: str, tokens: Sequence[str]) -> tantivy.Query:
    if len(tokens) == 1:  # tantivy refuses a phrase of one token
        query = tantivy.Query.term_query(schema(), field, tokens[0])
    else:
        query = tantivy.Query.phrase_query(schema(), field, list(tokens))
    return _boosted(field, query)


def _prefix_pattern(char: str) -> str:
    # Only Han characters reach here (segment.lone_character), none a regex operator.
    return f"{char}.*"


def _boosted(field: str, query: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.boost_query(query, WEIGHTS[field])
