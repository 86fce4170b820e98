"""Text helpers shared by the extractors: width folding, sentences, jieba tokens.

Extractors match on :func:`fold`-ed text (full-width digits and punctuation made ASCII)
and cut their output from the document's own text at the same offsets: folding keeps
every character in place, so a name or a meeting name stays as written.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
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


class Boundaries:
    """Token starts or token ends of a text, by character offset: ``pos in seg.starts``
    and ``seg.index_at.get(pos)`` (the token starting there), ``seg.index_ending.get(pos)``
    (the token ending there).

    One 4-byte slot per character of the text, shared by all four views, instead of sets
    and dicts of Python ints: a 10 MB compilation has two million tokens, whose sets and
    dicts took 440 MB."""

    __slots__ = ("_at", "_high", "_low", "_shift")

    def __init__(self, at: array[int], low: int, high: int, shift: int) -> None:
        self._at, self._low, self._high, self._shift = at, low, high, shift

    def __contains__(self, pos: int) -> bool:
        return self._low <= pos < self._high and self._at[pos] >= 0

    def get(self, pos: int) -> int | None:
        """The index of the token starting (or ending) at ``pos``, or None."""
        if self._low <= pos < self._high and (index := self._at[pos]) >= 0:
            return index + self._shift
        return None


@dataclass
class Segmented:
    """A text and its jieba tokens, with the token boundaries for O(1) alignment checks.

    The tokens cover the text end to end, so one array says where each token starts, and
    hence where each ends. Words are shared between the tokens that write them, and a
    token's end is the same int object as the next one's start: memory stays about 100
    bytes per token (a 10 MB text: 2 million tokens)."""

    text: str
    tokens: list[Token] = field(init=False)
    counts: dict[tuple[object, ...], int] = field(
        init=False, default_factory=dict, repr=False, compare=False
    )
    """Counts over the whole text made for this document (how often a name is written,
    and followed by what), kept so that each is made once, not once per candidate: a
    long compilation names the same person thousands of times."""
    starts: Boundaries = field(init=False, repr=False, compare=False)
    ends: Boundaries = field(init=False, repr=False, compare=False)
    index_at: Boundaries = field(init=False, repr=False, compare=False)
    """Token index by start offset."""
    index_ending: Boundaries = field(init=False, repr=False, compare=False)
    """Token index by end offset."""
    token_starts: array[int] = field(init=False, repr=False, compare=False)
    """The tokens' start offsets, in order (for bisecting)."""

    def __post_init__(self) -> None:
        size = len(self.text)
        shared: dict[str, str] = {}
        words = [shared.setdefault(w, w) for w in tokenizer().cut(self.text)]
        ends = list(accumulate(map(len, words)))
        if (ends[-1] if ends else 0) != size:
            raise AssertionError("the tokens do not cover the text")
        starts = [0, *ends[:-1]] if ends else []
        tokens = list(map(Token._make, zip(words, starts, ends, strict=True)))
        del words, ends
        self.tokens = tokens
        self.token_starts = array("i", starts)
        at = array("i", [-1]) * (size + 1)
        for index, offset in enumerate(self.token_starts):
            at[offset] = index
        at[size] = len(tokens)  # where the last token ends
        self.starts = self.index_at = Boundaries(at, 0, size, 0)
        self.ends = self.index_ending = Boundaries(at, 1, size + 1, -1)

    def tokens_from(self, index: int) -> Iterator[Token]:
        """The tokens from ``index`` on, one at a time: no copy of the rest of the list
        (``tokens[index:]`` per candidate is quadratic on a long text)."""
        tokens = self.tokens
        for i in range(index, len(tokens)):
            yield tokens[i]
