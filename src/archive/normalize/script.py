"""Scripts: conversion to simplified characters with OpenCC, and which script a text uses."""

from __future__ import annotations

import difflib
import re
from functools import cache

import opencc

from archive.normalize.edits import Edit, Trace, proportional
from archive.records import Script

# OpenCC configuration, chosen on 乾淨/幹部/乾隆/後/著/於/裡/裏/髮/發 and Taiwan phrases:
# * t2s and hk2s give the same, right answers on all of them (干净 干部 乾隆 后 于 里 发),
#   and leave simplified text alone: on the 1.2M characters of People's Daily 1998 both
#   change only 乾→干 (7, in names such as 萧乾) and 藉→借 (1).
# * tw2s also rewrites 著→着 in simplified text (显著→显着: 104 changes on that corpus) and
#   么→幺; tw2sp in addition swaps vocabulary (软体→软件, 资讯→信息), which rewrites what
#   the article says. Both break the rule that simplified input passes through unchanged.
# * hk2s is t2s plus the Hong Kong variant forms (衞→卫, 敍→叙, 粧→妆, 衹→只), so it is
#   the superset of the two that are safe. Taiwan's 著 for 着 (看著) stays 著 with it.
_OPENCC_CONFIG = "hk2s"

# OpenCC converts by phrase, so simplified output is not always a fixed point (蕭乾 keeps 乾
# as a phrase, 萧乾 then turns it into 干); a few rounds settle it.
MAX_ROUNDS = 4

# Script detection (see detect_script). A quoted traditional name has at most a handful of
# distinct traditional-only characters, and characters both scripts use (里 in 公里, 干 in
# 若干, counted as simplified-only because OpenCC's first choice for them differs) stay
# well under 5% of a traditional text's evidence (0.3% on People's Daily in s2t).
_MIXED_MIN_DISTINCT = 10
_MIXED_MIN_SHARE = 0.05

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# Every Han character OpenCC has an entry for lives in these blocks: URO and extension A,
# the compatibility ideographs, extensions B to H.
_HAN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x323B0))


def to_simplified(text: str) -> str:
    """Convert to simplified characters (OpenCC ``hk2s``, see ``_OPENCC_CONFIG``); text
    already simplified passes through unchanged."""
    converter = _converter()
    for _ in range(MAX_ROUNDS):
        converted = converter.convert(text)
        if converted == text:
            break
        text = converted
    return text


def simplified_char(char: str) -> str:
    """One character converted on its own, outside any phrase."""
    return _converter().convert(char)


def traced_convert(text: str, trace: Trace) -> str:
    """One OpenCC pass over ``text``; when the output's length differs (no dictionary of
    the configuration does that today) the changed segments are aligned and their edits
    appended to ``trace``."""
    converted = _converter().convert(text)
    if len(converted) != len(text):
        trace.append(segment_edits(text, converted))
    return converted


def segment_edits(source: str, converted: str) -> list[Edit]:
    """Edits that turn ``source`` into ``converted``, for a conversion that changed length:
    unchanged characters and same-length replacements map one for one, a replaced
    segment of another length maps proportionally. Lines are matched first (a conversion
    never touches line breaks), so the diff stays line-sized."""
    source_lines = source.split("\n")
    converted_lines = converted.split("\n")
    if len(source_lines) != len(converted_lines):
        return _diff_edits(source, converted, 0)
    edits: list[Edit] = []
    offset = 0
    for source_line, converted_line in zip(source_lines, converted_lines, strict=True):
        if len(source_line) != len(converted_line):
            edits += _diff_edits(source_line, converted_line, offset)
        offset += len(source_line) + 1
    return edits


def _diff_edits(source: str, converted: str, offset: int) -> list[Edit]:
    # Compare each source character as converted on its own, so that 會 matches 会 and
    # only the segments a phrase rule rewrote differ.
    keys = _converter().convert("\n".join(source)).split("\n") if source else []
    if len(keys) != len(source):
        keys = list(source)
    matcher = difflib.SequenceMatcher(None, keys, list(converted), autojunk=False)
    # Adjacent non-equal opcodes are one changed segment.
    segments: list[list[int]] = []
    for tag, low, high, out_low, out_high in matcher.get_opcodes():
        if tag == "equal":
            continue
        if segments and segments[-1][1] == low and segments[-1][3] == out_low:
            segments[-1][1], segments[-1][3] = high, out_high
        else:
            segments.append([low, high, out_low, out_high])
    edits: list[Edit] = []
    for low, high, out_low, out_high in segments:
        if high - low == out_high - out_low:
            continue  # a substitution: one for one
        if low == high and source:
            # An insertion joins the character before it (after it at the start).
            if low:
                low, out_low = low - 1, out_low - 1
            else:
                high, out_high = high + 1, out_high + 1
        edits += proportional(offset + low, offset + high, out_high - out_low)
    return edits


def detect_script(text: str) -> Script | None:
    """The script ``text`` is written in, from the characters that differ between the two
    (:func:`script_characters`): traditional-only ones, which OpenCC's simplification
    changes and its s2t leaves alone, and simplified-only ones, which all of s2t, s2tw and
    s2hk change (台 is no evidence: Taiwan writes it) and simplification leaves alone.

    None when neither kind occurs. ``mixed`` when the less frequent kind has at least
    10 distinct characters and at least 5% of all occurrences of both kinds: a simplified
    article quoting a traditional name (or a traditional one using 里 as in 公里) keeps its
    script. Otherwise the more frequent kind; ``mixed`` again on an exact tie."""
    traditional_chars, simplified_chars = _script_chars(text, _script_patterns(astral=False))
    if _ASTRAL.search(text):
        more_traditional, more_simplified = _script_chars(text, _script_patterns(astral=True))
        traditional_chars += more_traditional
        simplified_chars += more_simplified
    total = len(traditional_chars) + len(simplified_chars)
    if not total:
        return None
    fewer = min(traditional_chars, simplified_chars, key=len)
    if len(fewer) >= _MIXED_MIN_SHARE * total and len(set(fewer)) >= _MIXED_MIN_DISTINCT:
        return "mixed"
    if len(traditional_chars) == len(simplified_chars):
        return "mixed"
    return "traditional" if len(traditional_chars) > len(simplified_chars) else "simplified"


@cache
def script_characters() -> tuple[frozenset[str], frozenset[str]]:
    """The traditional-only and the simplified-only characters (see :func:`detect_script`),
    from OpenCC's own conversions of each Han character on its own; built on first use
    (about half a second)."""
    chars = [chr(code) for low, high in _HAN_BLOCKS for code in range(low, high)]
    joined = "\n".join(chars)  # one character per line: no phrase spans two of them

    def changed(config: str) -> set[str]:
        converted = opencc.OpenCC(config).convert(joined).split("\n")
        return {char for char, out in zip(chars, converted, strict=True) if out != char}

    simplifies = changed(_OPENCC_CONFIG)
    traditionalizes = changed("s2t")
    traditional = simplifies - traditionalizes
    simplified = (traditionalizes & changed("s2tw") & changed("s2hk")) - simplifies
    return frozenset(traditional), frozenset(simplified)


def _script_chars(
    text: str, patterns: tuple[re.Pattern[str], re.Pattern[str]]
) -> tuple[list[str], list[str]]:
    traditional, simplified = patterns
    return traditional.findall(text), simplified.findall(text)


@cache
def _script_patterns(astral: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Character classes of the traditional-only and the simplified-only characters, of
    the basic plane or of the others: a class of basic-plane characters only compiles to a
    bitmap, many times faster than the range list one with astral characters becomes."""
    traditional, simplified = (
        frozenset(char for char in chars if (char > "\uffff") == astral)
        for chars in script_characters()
    )
    return _char_class(traditional), _char_class(simplified)


def _char_class(chars: frozenset[str]) -> re.Pattern[str]:
    if not chars:
        return re.compile("(?!)")  # matches nothing
    codes = sorted(map(ord, chars))
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    members = "".join(
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in ranges
    )
    return re.compile(f"[{members}]")


@cache
def _converter() -> opencc.OpenCC:
    # Built once: loading the dictionaries costs far more than a conversion.
    return opencc.OpenCC(_OPENCC_CONFIG)
