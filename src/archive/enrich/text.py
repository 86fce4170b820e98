"""Text helpers shared by the extractors: width folding, sentences, jieba tokens.

Extractors match on :func:`fold`-ed text (full-width digits and punctuation made ASCII)
and cut their output from the document's own text at the same offsets: folding keeps
every character in place, so a name or a meeting name stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from archive.segment import tokenizer

# Full-width ASCII variants (！..～) and the ideographic space map one to one onto ASCII.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

SENTENCE_END = "。！？!?\n"
CLAUSE_END = SENTENCE_END + ",;:，；："
_SENTENCE = re.compile(f"[^{SENTENCE_END}]+[{SENTENCE_END}]?")
_CLAUSE = re.compile(f"[^{CLAUSE_END}]+")


def fold(text: str) -> str:
    """``text`` with full-width ASCII variants replaced by ASCII; same length."""
    return text.translate(_FOLD)


def is_han(ch: str) -> bool:
    """True for a CJK unified ideograph (the characters names are written in)."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Spans of the sentences of ``text[start:end]``, end punctuation included."""
    for m in _SENTENCE.finditer(text, start, len(text) if end is None else end):
        if m.group().strip():
            yield m.start(), m.end()


def clauses(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Spans of the comma-separated clauses of ``text[start:end]``, punctuation excluded."""
    for m in _CLAUSE.finditer(text, start, len(text) if end is None else end):
        if m.group().strip():
            yield m.start(), m.end()


def word_tags() -> dict[str, str]:
    """jieba's dictionary part-of-speech tag of each word (``宪章`` → ``n``).

    A dictionary lookup, not ``jieba.posseg``: it costs nothing per document. The tags
    are rough (``高建国`` is ``ns``, ``宣言`` is ``nr``): use them as hints only."""
    return tokenizer().tags()


def word_freq(word: str) -> int:
    """jieba's dictionary frequency of ``word``; 0 for a word it does not know."""
    return tokenizer().freq(word)


class Token(NamedTuple):
    word: str
    start: int
    end: int


@dataclass
class Segmented:
    """A text and its jieba tokens, with the token boundaries for O(1) alignment checks."""

    text: str
    tokens: list[Token] = field(init=False)
    counts: dict[tuple[object, ...], int] = field(
        init=False, default_factory=dict, repr=False, compare=False
    )
    """Counts over the whole text made for this document (how often a name is written,
    and followed by what), kept so that each is made once, not once per candidate: a
    long compilation names the same person thousands of times."""

    def __post_init__(self) -> None:
        self.tokens = list(map(Token._make, tokenizer().tokenize(self.text)))

    @cached_property
    def starts(self) -> set[int]:
        return {t.start for t in self.tokens}

    @cached_property
    def ends(self) -> set[int]:
        return {t.end for t in self.tokens}

    @cached_property
    def token_starts(self) -> list[int]:
        """The tokens' start offsets, in order (for bisecting)."""
        return [t.start for t in self.tokens]

    @cached_property
    def index_at(self) -> dict[int, int]:
        """Token index by start offset."""
        return {t.start: i for i, t in enumerate(self.tokens)}

    @cached_property
    def index_ending(self) -> dict[int, int]:
        """Token index by end offset."""
        return {t.end: i for i, t in enumerate(self.tokens)}
