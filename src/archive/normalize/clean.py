"""Cleaning: invisible characters out, spaces and line breaks tidied, stray HTML entities
decoded, full-width Latin letters and digits made half-width. Chinese punctuation stays.

Each step appends its :data:`~archive.normalize.edits.Edit`\\ s to a trace, so
:func:`~archive.normalize.align` can map the cleaned text back to its input.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from archive.normalize.edits import Edit, Trace

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_CRLF = re.compile(r"\r\n")
# Whitespace the cleaning rewrites, once only spaces and line breaks are left: runs at the
# ends of the text, and runs of two or more (possessive: a long run is never re-scanned).
_BLANK_RUN = re.compile(r"\A[ \n]++|[ \n]++\Z|[ \n]{2,}+")


def clean_text(text: str) -> str:
    """Drop invisible and control characters (keeping line breaks), make Unicode spaces
    plain and collapse them, strip lines and drop empty ones, decode stray HTML entities,
    and make full-width Latin letters and digits half-width."""
    return traced_clean(text, [])


def traced_clean(text: str, trace: Trace) -> str:
    """:func:`clean_text`, appending the edits of each step to ``trace``."""
    text = _translate(_unify_line_endings(text, trace), trace)
    # An entity may decode to another entity, a space or a full-width letter: to a fixed point.
    while "&" in text:
        decoded = _decode_entities(text, trace)
        if decoded is None:
            break
        text = _translate(_unify_line_endings(decoded, trace), trace)
    return _tidy_blanks(text, trace)


def _unify_line_endings(text: str, trace: Trace) -> str:
    # CRLF loses its CR here; a lone CR becomes a line break in the translation table.
    if "\r\n" not in text:
        return text
    trace.append([(match.start(), match.start() + 1, 0) for match in _CRLF.finditer(text)])
    return text.replace("\r\n", "\n")


def _translate(text: str, trace: Trace) -> str:
    # str.translate looks up every character; finding the few that change and translating
    # only those runs is twice as fast on news text.
    translated = _cleaning_pattern().sub(_translate_run, text)
    if len(translated) != len(text):
        # Only dropped characters change the length; each run of them is one edit.
        trace.append([(*match.span(), 0) for match in _dropped_pattern().finditer(text)])
    return translated


def _translate_run(match: re.Match[str]) -> str:
    return match.group().translate(_cleaning_table())


def _decode_entities(text: str, trace: Trace) -> str | None:
    """Text with its HTML entities decoded, or None when none decodes."""
    pieces: list[str] = []
    edits: list[Edit] = []
    last = 0
    for match in _ENTITY.finditer(text):
        entity = match.group()
        decoded = html.unescape(entity)
        if decoded == entity:
            continue  # not an entity html knows (a=1&para;2 is one, AT&T; is not)
        start, end = match.span()
        pieces.append(text[last:start])
        pieces.append(decoded)
        edits.append((start, end, len(decoded)))
        last = end
    if not edits:
        return None
    pieces.append(text[last:])
    trace.append(edits)
    return "".join(pieces)


def _tidy_blanks(text: str, trace: Trace) -> str:
    """Collapse runs of spaces, strip lines and drop empty ones. Only spaces and line
    breaks are left by now, so a blank run between two visible characters becomes one
    line break when it holds one, else one space; a blank run at either end goes."""
    if not text or (
        text[0] not in " \n"
        and text[-1] not in " \n"
        and "  " not in text
        and "\n\n" not in text
        and " \n" not in text
        and "\n " not in text
    ):
        return text  # the common case, found by fast substring searches
    pieces: list[str] = []
    edits: list[Edit] = []
    last = 0
    for match in _BLANK_RUN.finditer(text):
        start, end = match.span()
        pieces.append(text[last:start])
        last = end
        if start == 0 or end == len(text):
            edits.append((start, end, 0))
            continue
        # The first line break (or the first space) stays; the rest of the run goes.
        kept = text.find("\n", start, end)
        if kept < 0:
            kept = start
        if kept > start:
            edits.append((start, kept, 0))
        if end > kept + 1:
            edits.append((kept + 1, end, 0))
        pieces.append(text[kept])
    if not pieces:
        return text
    pieces.append(text[last:])
    trace.append(edits)
    return "".join(pieces)


@cache
def _cleaning_table() -> dict[int, str | None]:
    """str.translate table: controls and format characters (zero-width space, BOM,
    direction marks, soft hyphen) and lone surrogates (OpenCC cannot encode them) dropped;
    CR and the other line separators to a line break; tab and Unicode spaces (U+3000, NBSP,
    thin spaces) to a space; full-width ASCII letters and digits to half-width, the only
    full-width forms NFKC is applied to."""
    table: dict[int, str | None] = {}
    # Planes 0 and 1 and the tags of plane 14 hold every control, format and space character.
    for code in (*range(0x20000), *range(0xE0000, 0xE1000)):
        category = unicodedata.category(chr(code))
        if category in ("Cc", "Cf", "Cs"):
            table[code] = None
        elif category == "Zs":
            table[code] = " "
    for line_break in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
        table[ord(line_break)] = "\n"
    table[ord("\t")] = " "
    for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)):
        table[code] = unicodedata.normalize("NFKC", chr(code))
    # Only what changes: a line break and a plain space stay as they are.
    del table[ord("\n")], table[ord(" ")]
    return table


@cache
def _cleaning_pattern() -> re.Pattern[str]:
    """Runs of the characters :func:`_cleaning_table` changes."""
    return _runs_of(_cleaning_table())


@cache
def _dropped_pattern() -> re.Pattern[str]:
    """Runs of the characters :func:`_cleaning_table` drops."""
    return _runs_of([code for code, out in _cleaning_table().items() if out is None])


def _runs_of(codes: Iterable[int]) -> re.Pattern[str]:
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    members = "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges)
    return re.compile(f"[{members}]+")
