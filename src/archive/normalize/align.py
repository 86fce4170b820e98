"""The text pipeline, and where each character of its output came from.

:func:`normalize_text` and :func:`align` run the same steps; ``align`` also composes the
edits each step reports, so a match found in normalized text can be marked in the text
the reader sees.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.normalize.clean import traced_clean
from archive.normalize.edits import Trace, compose
from archive.normalize.pinyin import traced_strip
from archive.normalize.script import MAX_ROUNDS, traced_convert


@dataclass(frozen=True)
class Alignment:
    """``text`` (the normalized form of an original) with, for each of its characters,
    the span of the original that produced it."""

    text: str
    """``normalize_text(original)``."""
    starts: list[int]
    """``starts[j]``: index in the original of the first character that produced ``text[j]``."""
    ends: list[int]
    """``ends[j]``: index in the original after the last character that produced ``text[j]``."""

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original that produced ``text[start:end]`` (``start < end``):
        what lies between its characters in the original (a removed reading, a
        zero-width space) is inside the span."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"not a non-empty span of the text: {start}:{end} of {len(self.text)}")
        return self.starts[start], self.ends[end - 1]


def normalize_text(text: str) -> str:
    """The text pipeline for document text and search queries alike: clean, pinyin
    annotations removed, simplified characters. Idempotent."""
    return _run(text, [])


def align(original: str) -> Alignment:
    """``normalize_text(original)`` with the span of ``original`` behind each character.

    A character substituted one for one (``發`` → ``发``, ``Ａ`` → ``A``) maps to exactly
    itself; removed characters (zero-width, collapsed spaces, readings) map from nothing;
    an entity such as ``&amp;`` maps as a whole."""
    trace: Trace = []
    text = _run(original, trace)
    starts, ends = compose(len(original), trace)
    return Alignment(text, starts, ends)


def _run(text: str, trace: Trace) -> str:
    text = traced_clean(text, trace)
    # Stripping joins the characters around an annotation into new phrases for OpenCC,
    # and a character converted may confirm a reading; repeat until nothing changes.
    for _ in range(MAX_ROUNDS):
        mark = len(trace)
        settled = traced_convert(traced_strip(text, trace), trace)
        if settled == text:
            del trace[mark:]  # nothing moved in this round
            break
        text = settled
    return text
