"""Inline pinyin: the readings a web converter leaves after Han characters (``發(fā)展``)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from pypinyin import Style, pinyin

from archive.normalize.edits import Trace
from archive.normalize.script import simplified_char

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_CHAR = re.compile(f"[{_HAN}]")

# A parenthesized run that may be a reading: ASCII or full-width parentheses, no nested
# parenthesis or line break inside, closed, or cut off by the end of the line or the text.
_CANDIDATE = re.compile(r"[(（]([^()（）\n]{1,60}+)(?:[)）]|(?=\n)|\Z)")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_SEPARATORS = re.compile(r"[\s'’·]")
# Letters, each syllable optionally closed by a tone number (fa1, zhan3; 5 or 0: neutral).
_TONED_SYLLABLES = re.compile(r"(?:[a-z]++[0-5]?)+")
_TONE_DIGITS = re.compile(r"[0-5]")
_UPPER = re.compile(r"[A-Z]")

# A reading covers at most this many characters before it (a word or an idiom).
_MAX_ANNOTATED = 4


def strip_pinyin(text: str) -> tuple[str, int]:
    """Remove inline pinyin a web converter put after Han characters (``發(fā)展``,
    ``會(huì )``, ``發（fā）``, ``fa1``, ``lü``/``lv``, a reading of the 2-4 characters before it,
    one cut off at the end). A parenthesis is removed only when its content is a reading
    of the characters right before it; return the text and the number removed."""
    spans = pinyin_spans(text)
    return _without(text, spans), len(spans)


def traced_strip(text: str, trace: Trace) -> str:
    """:func:`strip_pinyin`'s text, appending the removed spans to ``trace``."""
    spans = pinyin_spans(text)
    if spans:
        trace.append([(start, end, 0) for start, end in spans])
    return _without(text, spans)


def pinyin_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of ``text`` that :func:`strip_pinyin` removes, in order:
    each a parenthesized reading (parentheses included) of the Han characters that end
    the text before it once the earlier readings are gone."""
    if "(" not in text and "（" not in text:
        return []
    spans: list[tuple[int, int]] = []
    last = 0  # where the last removed span ended
    # Locals: this loop runs once per parenthesis, a third of a million times on 1 MB of
    # annotated text, and global look-ups are a good part of its cost.
    key_of, readings_of = _reading_key, _readings
    for match in _CANDIDATE.finditer(text):
        key = key_of(match[1])
        if key is None:
            continue
        start, end = match.span()
        # Most readings read the one or two characters right before them, which no
        # earlier removal touched: settled with cached look-ups, no context built.
        if start > last:
            readings = readings_of(text[start - 1])
            if key in readings or (
                start - 1 > last and _reads_pair(readings_of(text[start - 2]), readings, key)
            ):
                spans.append((start, end))
                last = end
                continue
        if _annotates(_context(text, spans, start), key):
            spans.append((start, end))
            last = end
    return spans


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _reads_pair(first: frozenset[str], second: frozenset[str], key: str) -> bool:
    """Whether ``key`` is a reading from ``first`` followed by one from ``second``."""
    return any(key.startswith(reading) and key[len(reading) :] in second for reading in first)


def _context(text: str, spans: list[tuple[int, int]], start: int) -> str:
    """The last characters before ``start`` as they stand once ``spans`` are removed."""
    chars: list[str] = []
    index = len(spans) - 1
    while len(chars) < _MAX_ANNOTATED and start > 0:
        if index >= 0 and spans[index][1] == start:
            start = spans[index][0]
            index -= 1
        else:
            start -= 1
            chars.append(text[start])
    return "".join(reversed(chars))


def _trailing_han(context: str) -> str:
    """The run of Han characters that ends ``context``."""
    start = len(context)
    while start and _HAN_CHAR.match(context[start - 1]):
        start -= 1
    return context[start:]


@lru_cache(maxsize=65536)
def _reading_key(content: str) -> str | None:
    """The content of a parenthesis as toneless pinyin letters (``fā zhǎn`` → ``fazhan``,
    ``lǜ`` → ``lv``, ``fa1`` → ``fa``), or None when it is not pinyin-shaped. A capitalized
    word without any tone (``Beijing``, ``WTO``) is a name or an abbreviation, not a
    converter's reading: converters always mark the tone."""
    decomposed = unicodedata.normalize("NFD", content)
    marked = any(mark != "\u0308" for mark in _COMBINING.findall(decomposed))  # ü is no tone
    if not marked and _UPPER.search(decomposed) and not _TONE_DIGITS.search(decomposed):
        return None
    key = decomposed.lower().replace("u\u0308", "v")
    key = _SEPARATORS.sub("", _COMBINING.sub("", key))
    if not _TONED_SYLLABLES.fullmatch(key):
        return None
    return _TONE_DIGITS.sub("", key)


def _annotates(context: str, key: str) -> bool:
    """Whether ``key`` reads the last 1..4 Han characters that end ``context``."""
    if not context or not _HAN_CHAR.match(context[-1]):
        return False
    if key in _readings(context[-1]):
        return True  # the common case: one character, one reading
    han = _trailing_han(context)
    return any(_reads(han[-count:], key) for count in range(2, len(han) + 1))


def _reads(chars: str, key: str, position: int = 0) -> bool:
    """Whether ``key[position:]`` splits into one reading of each of ``chars``."""
    if not chars:
        return position == len(key)
    return any(
        key.startswith(reading, position) and _reads(chars[1:], key, position + len(reading))
        for reading in _readings(chars[0])
    )


@cache
def _readings(char: str) -> frozenset[str]:
    """Every toneless reading of a Han character and of its simplified form, with ü as v
    (pypinyin's spelling) and as u (what converters that drop the umlaut write); none for
    any other character."""
    if not _HAN_CHAR.match(char):
        return frozenset()
    readings: set[str] = set()
    for form in {char, simplified_char(char)}:
        for syllables in pinyin(form, style=Style.NORMAL, heteronym=True, errors="ignore"):
            readings.update(syllables)
    return frozenset(readings | {reading.replace("v", "u") for reading in readings})
