"""How text becomes search terms: the same code indexes documents and parses queries.

Two views of the same text are indexed:

* **words**: jieba's precise segmentation. A query word that is a word of the
  document ranks highest.
* **grams**: overlapping character bigrams of every Han run, plus lowercased Latin/digit
  runs. A query is a phrase of its bigrams, so any substring of two or more characters
  is found whatever jieba made of its context (``十四五规划`` inside ``集团十四五规划编制``).

Both views use only ASCII spaces as separators, so SQLite's ``unicode61`` tokenizer and
Elasticsearch's whitespace analyzer see exactly these tokens.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from functools import cache

from archive.dictionary import Dictionary
from archive.errors import QueryError
from archive.normalize import normalize_text

# Han ideographs (basic block + extension A + compatibility) as one class; a run of them
# is a unit for bigrams. Latin letters and digits form words of their own, split at any
# other character (covid-19 is covid, 19) as SQLite's unicode61 tokenizer splits them, so
# Elasticsearch's whitespace analyzer sees the very tokens SQLite indexes.
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{HAN_CLASS}]+|[0-9A-Za-z]+")
_HAN_CHAR = re.compile(rf"[{HAN_CLASS}]")


@cache
def tokenizer() -> Dictionary:
    """The archive's one word segmenter, shared by indexing, queries and extraction.

    jieba's tokens (cut by rjieba: :mod:`archive.dictionary`) with jieba's dictionary
    plus the user dictionary built from the extraction rules
    (:func:`archive.enrich.rules.user_dictionary`), so that index and query segment the
    same way in every process. Loading takes ~0.7 s."""
    # Imported here: the enrich package imports this module.
    from archive.enrich.rules import user_dictionary

    return Dictionary(user_dictionary())


@cache
def dictionary_fingerprint() -> str:
    """A short hash of the user dictionary: word tokens change when it does."""
    from archive.enrich.rules import user_dictionary

    entries = "\n".join(f"{word} {tag}" for word, tag in user_dictionary())
    return hashlib.sha256(entries.encode()).hexdigest()[:12]


def is_han(char: str) -> bool:
    return bool(_HAN_CHAR.match(char))


def lone_character(term: str) -> str | None:
    """The character of a one-Han-character term (``路``), else None. Such a term is
    looked for as the start of a bigram, a one-character run, or the end of a run
    (:func:`tails`): no bigram holds it alone."""
    found = grams(term)
    if len(found) == 1 and len(found[0]) == 1 and is_han(found[0]):
        return found[0]
    return None


def runs(text: str) -> Iterator[str]:
    """Han runs and Latin/digit runs of ``text``, in order; punctuation and spaces drop."""
    for match in _RUN.finditer(text):
        yield match.group().lower()


def words(text: str) -> list[str]:
    """jieba's precise segmentation of each run (Latin runs stay whole)."""
    out: list[str] = []
    cut = tokenizer().cut
    for run in runs(text):
        if is_han(run[0]):
            out.extend(cut(run))
        else:
            out.append(run)
    return out


def tails(text: str) -> list[str]:
    """The last character of each Han run longer than one: the one character that is not
    the start of any bigram, so a one-character query can find it (``讯`` in ``本报讯``)."""
    return [run[-1] for run in runs(text) if len(run) > 1 and is_han(run[0])]


def grams(text: str) -> list[str]:
    """Overlapping bigrams of each Han run (a one-character run stays a unigram), and
    Latin/digit runs whole."""
    out: list[str] = []
    for run in runs(text):
        if is_han(run[0]) and len(run) > 1:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


SearchColumns = tuple[str, str, str, str, str]
"""``title_words, words, title_grams, grams, tails``: what a row of a full-text table holds."""


def search_columns(title: str, text: str) -> SearchColumns:
    """The full-text columns for a title (or heading) and a body: jieba words and
    bigrams of each, and the tails of both."""
    return (
        " ".join(words(title)),
        " ".join(words(text)),
        " ".join(grams(title)),
        " ".join(grams(text)),
        " ".join(tails(title) + tails(text)),
    )


MAX_TERMS = 32
"""More terms than this is not a search a person types; refuse it instead of building a
query too large for the engine."""

_OPERATORS = {"and", "&&", "&", "+"}
"""Words people type between terms; every term must match anyway, so they are dropped."""


def query_terms(q: str) -> list[str]:
    """The terms of a user query: normalized exactly like document text (so traditional,
    simplified and pinyin-damaged queries are one query), split on spaces, ``AND`` dropped,
    and kept only when they hold something searchable. Every backend parses queries with
    this; raises :class:`QueryError` for more than :data:`MAX_TERMS` terms."""
    terms = [
        term
        for term in normalize_text(q).split()
        if term.lower() not in _OPERATORS and list(runs(term))
    ]
    if len(terms) > MAX_TERMS:
        raise QueryError(f"the query has {len(terms)} terms; at most {MAX_TERMS} are allowed")
    return terms
