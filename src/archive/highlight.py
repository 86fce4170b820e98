"""Highlights: where a query's terms occur in a document, shown in either script.

Matching happens on the normalized, simplified ``text`` (where the query's terms live);
an :class:`~archive.normalize.Alignment` maps each match back to ``original_text``, so a
reader of a traditional article sees ``<mark>發展</mark>`` in the script it came in.
Everything outside ``<mark>`` is HTML-escaped: the output can be shown as HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from archive.normalize import Alignment, align
from archive.records import Document

DisplayScript = Literal["original", "simplified"]
Span = tuple[int, int]

SNIPPET_CHARS = 120


def match_spans(text: str, terms: Sequence[str]) -> list[Span]:
    """Non-overlapping spans of ``text`` where a term occurs, in order; at a given place
    the longest term wins. Latin letters match in either case."""
    pattern = _pattern(tuple(sorted(set(terms), key=len, reverse=True)))
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def snippet(
    document: Document,
    terms: Sequence[str],
    script: DisplayScript = "original",
    width: int = SNIPPET_CHARS,
) -> str:
    """About ``width`` characters around the first match, matches in ``<mark>``; the start
    of the text when no term matches (a search that matched the title, or none)."""
    shown, spans = _in_script(document, terms, script)
    start = 0
    if spans:
        # Start a little before the match, but never in the middle of a previous one.
        start = max(0, spans[0][0] - width // 3)
    end = min(len(shown), start + width)
    passage = _marked(shown, [s for s in spans if s[0] >= start and s[1] <= end], start, end)
    passage = " ".join(passage.split())
    return ("…" if start > 0 else "") + passage + ("…" if end < len(shown) else "")


def highlight(document: Document, terms: Sequence[str], script: DisplayScript = "original") -> str:
    """The whole text in the chosen script, HTML-escaped, with every match in ``<mark>``."""
    shown, spans = _in_script(document, terms, script)
    return _marked(shown, spans, 0, len(shown))


def _in_script(
    document: Document, terms: Sequence[str], script: DisplayScript
) -> tuple[str, list[Span]]:
    spans = match_spans(document.text, terms)
    if script == "simplified" or document.original_text == document.text:
        return document.text, spans  # nothing to map: no alignment needed
    alignment = _alignment(document.original_text)
    if alignment.text != document.text:
        # A record from an older normalizer: its text is not what align() produces today,
        # so offsets would point at the wrong characters. Show the text we can mark.
        return document.text, spans
    return document.original_text, _merge([alignment.to_original(a, b) for a, b in spans])


def _merge(spans: list[Span]) -> list[Span]:
    """Spans sorted and joined where they touch or overlap (two matches can map onto the
    same original characters, e.g. both halves of an entity)."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: list[Span], start: int, end: int) -> str:
    pieces, last = [], start
    for a, b in spans:
        pieces.append(html.escape(text[last:a]))
        pieces.append(f"<mark>{html.escape(text[a:b])}</mark>")
        last = b
    pieces.append(html.escape(text[last:end]))
    return "".join(pieces)


@lru_cache(maxsize=512)
def _alignment(original_text: str) -> Alignment:
    # A results page aligns the same few documents again and again (paging, facets).
    return align(original_text)


@lru_cache(maxsize=256)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
