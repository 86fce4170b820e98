"""Normalize v0: one script and clean text for search and extraction.

:func:`normalize_text` is the single text pipeline for documents AND search queries, so
``發展``, ``发展`` and ``發(fā)展`` all become ``发展`` on both sides:

1. clean: invisible and control characters dropped, Unicode spaces made plain and
   collapsed, lines stripped and empty ones dropped, stray HTML entities decoded,
   full-width Latin letters and digits made half-width (Chinese punctuation kept);
2. strip the inline pinyin a web converter leaves after Han characters (``發(fā)``);
3. convert to simplified characters with OpenCC.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache, lru_cache

import opencc
from pypinyin import Style, pinyin

from archive.records import NormalizedDocument, RawDocument

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
# as a phrase, 萧乾 then turns it into 干); a few rounds settle it, which keeps
# normalize_text idempotent.
_MAX_ROUNDS = 4

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

# A reading covers at most this many characters before it (a word or an idiom).
_MAX_ANNOTATED = 4

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPACE_RUN = re.compile(r" {2,}")


def normalize(raw: RawDocument) -> NormalizedDocument:
    """Normalize a read document: ``text`` and ``title`` for search and extraction,
    ``original_text`` and ``original_title`` for display (script kept, pinyin removed)."""
    original_text, removed = strip_pinyin(raw.text)
    original_title: str | None = None
    title: str | None = None
    if raw.title is not None:
        original_title, removed_in_title = strip_pinyin(raw.title)
        removed += removed_in_title
        title = normalize_text(raw.title) or None
    return NormalizedDocument(
        raw=raw,
        text=normalize_text(raw.text),
        original_text=original_text,
        title=title,
        original_title=original_title,
        pinyin_removed=removed,
    )


def normalize_text(text: str) -> str:
    """The text pipeline for document text and search queries alike: clean, pinyin
    annotations removed, simplified characters. Idempotent."""
    text = clean_text(text)
    converter = _converter()
    # Stripping joins the characters around an annotation into new phrases for OpenCC,
    # and a character converted may confirm a reading; repeat until nothing changes.
    for _ in range(_MAX_ROUNDS):
        settled = converter.convert(strip_pinyin(text)[0])
        if settled == text:
            break
        text = settled
    return text


def clean_text(text: str) -> str:
    """Drop invisible and control characters (keeping line breaks), make Unicode spaces
    plain and collapse them, strip lines and drop empty ones, decode stray HTML entities,
    and make full-width Latin letters and digits half-width."""
    text = _translate(_unify_line_endings(text))
    # An entity may decode to another entity, a space or a full-width letter: to a fixed point.
    while "&" in text:
        decoded = _ENTITY.sub(_decode_entity, text)
        if decoded == text:
            break
        text = _translate(_unify_line_endings(decoded))
    text = _SPACE_RUN.sub(" ", text)
    return "\n".join(line for line in (raw.strip(" ") for raw in text.split("\n")) if line)


def strip_pinyin(text: str) -> tuple[str, int]:
    """Remove inline pinyin a web converter put after Han characters (``發(fā)展``,
    ``會(huì )``, ``發（fā）``, ``fa1``, ``lü``/``lv``, a reading of the 2-4 characters before it,
    one cut off at the end). A parenthesis is removed only when its content is a reading
    of the characters right before it; return the text and the number removed."""
    if "(" not in text and "（" not in text:
        return text, 0
    pieces: list[str] = []
    tail = ""  # the last characters of the output so far
    last = 0
    removed = 0
    for match in _CANDIDATE.finditer(text):
        start = match.start()
        # The characters before, as they stand once earlier annotations are gone.
        if start - last >= _MAX_ANNOTATED:
            context = text[start - _MAX_ANNOTATED : start]
        else:
            context = (tail + text[last:start])[-_MAX_ANNOTATED:]
        key = _reading_key(match.group(1))
        if key is None or not _annotates(context, key):
            continue
        pieces.append(text[last:start])
        tail = context
        last = match.end()
        removed += 1
    if not removed:
        return text, 0
    pieces.append(text[last:])
    return "".join(pieces), removed


def to_simplified(text: str) -> str:
    """Convert to simplified characters (OpenCC ``hk2s``, see ``_OPENCC_CONFIG``); text
    already simplified passes through unchanged."""
    converter = _converter()
    for _ in range(_MAX_ROUNDS):
        converted = converter.convert(text)
        if converted == text:
            break
        text = converted
    return text


# -- pinyin -----------------------------------------------------------------------------


def _trailing_han(context: str) -> str:
    """The run of Han characters that ends ``context``."""
    start = len(context)
    while start and _HAN_CHAR.match(context[start - 1]):
        start -= 1
    return context[start:]


@lru_cache(maxsize=4096)
def _reading_key(content: str) -> str | None:
    """The content of a parenthesis as toneless pinyin letters (``fā zhǎn`` → ``fazhan``,
    ``lǜ`` → ``lv``, ``fa1`` → ``fa``), or None when it is not pinyin-shaped."""
    key = unicodedata.normalize("NFD", content).lower().replace("u\u0308", "v")
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
    (pypinyin's spelling) and as u (what converters that drop the umlaut write)."""
    readings: set[str] = set()
    for form in {char, _converter().convert(char)}:
        for syllables in pinyin(form, style=Style.NORMAL, heteronym=True, errors="ignore"):
            readings.update(syllables)
    return frozenset(readings | {reading.replace("v", "u") for reading in readings})


# -- cleaning ---------------------------------------------------------------------------


@cache
def _converter() -> opencc.OpenCC:
    # Built once: loading the dictionaries costs far more than a conversion.
    return opencc.OpenCC(_OPENCC_CONFIG)


@cache
def _cleaning_table() -> dict[int, str | None]:
    """str.translate table: controls and format characters (zero-width space, BOM,
    direction marks, soft hyphen) dropped; line separators to a line break; tab and
    Unicode spaces (U+3000, NBSP, thin spaces) to a space; full-width ASCII letters and
    digits to half-width, the only full-width forms NFKC is applied to."""
    table: dict[int, str | None] = {}
    # Planes 0 and 1 and the tags of plane 14 hold every control, format and space character.
    for code in (*range(0x20000), *range(0xE0000, 0xE1000)):
        category = unicodedata.category(chr(code))
        if category in ("Cc", "Cf"):
            table[code] = None
        elif category == "Zs":
            table[code] = " "
    for line_break in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
        table[ord(line_break)] = "\n"
    table[ord("\t")] = " "
    for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)):
        table[code] = unicodedata.normalize("NFKC", chr(code))
    # Only what changes: a line break and a plain space stay as they are.
    del table[ord("\n")], table[ord(" ")]
    return table


def _translate(text: str) -> str:
    # str.translate looks up every character; finding the few that change and translating
    # only those runs is twice as fast on news text.
    return _cleaning_pattern().sub(_translate_run, text)


def _translate_run(match: re.Match[str]) -> str:
    return match.group().translate(_cleaning_table())


@cache
def _cleaning_pattern() -> re.Pattern[str]:
    """Runs of the characters :func:`_cleaning_table` changes."""
    ranges: list[list[int]] = []
    for code in sorted(_cleaning_table()):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    members = "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges)
    return re.compile(f"[{members}]+")


def _decode_entity(match: re.Match[str]) -> str:
    return html.unescape(match.group(0))


def _unify_line_endings(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
