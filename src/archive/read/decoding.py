"""Decoding a text file's bytes: BOM, then strict UTF-8, then UTF-16 when NUL bytes
suggest it, then the legacy Chinese encodings chosen by how plausible their text is
(GB18030, Big5), and charset-normalizer as the last resort. Shared by every reader that
meets encoded text (plain text, web pages, saved pages, e-mail parts)."""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache

import charset_normalizer

from archive.errors import DecodeError

UNDECODABLE = (
    "the bytes are not text in any encoding the archive reads (UTF-8, UTF-16, GB18030, Big5)"
)

# Legacy codecs to try, with the name recorded for each. GB18030 is the superset of GB2312
# and GBK; Big5-HKSCS is a superset of Big5 that also decodes the ETEN and Hong Kong
# extensions (碁, ═, ㇀), and cp950 adds what Windows writes on top (the euro sign).
_LEGACY = (("gb18030", "gb18030"), ("big5hkscs", "big5"), ("cp950", "big5"))

# Below this share of sensible letters a decoding is junk. Correct decodings of People's
# Daily slices of 15 to 1000 characters never scored under 0.83; random bytes that happen to
# decode strictly rarely do, and then mostly score under 0.6.
_PLAUSIBLE = 0.6

# Control characters a text file does not carry: all but tab, line breaks, form feed and
# the DOS end-of-file mark.
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")


def decode(data: bytes, filename: str, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to text; return it (BOM stripped) and the encoding to record:
    ``utf-8``, ``utf-16``, ``gb18030`` or ``big5``.

    ``declared`` is an encoding the file names itself (an HTML meta charset); it is tried
    first when it is one the archive reads. Raises :class:`DecodeError`."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _checked(data, codec, name, filename)
    if declared is not None and (known := _known_codec(declared)) is not None:
        try:
            return _checked(data, *known, filename)
        except DecodeError:
            pass  # a wrong declaration is common; detect instead
    try:
        return _checked(data, "utf-8", "utf-8", filename)
    except DecodeError:
        pass
    if b"\x00" in data:
        return _decode_bomless_utf16(data, filename)
    return _decode_legacy(data, filename)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first 4 KB (``<meta charset>``, the
    ``http-equiv`` form, or an XML declaration), if any."""
    match = _DECLARED_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def decode_name(raw: bytes) -> str:
    """A file name in unknown bytes (a ZIP entry without the UTF-8 mark, an attachment
    named in raw GBK): the reading that looks most like Chinese, GB18030 before UTF-8 on a
    tie (short names decode in several codecs: 知 in GBK is a Hebrew point in UTF-8)."""
    readings = [raw.decode("cp437")]
    for codec in ("utf-8", "big5", "gb18030"):
        try:
            readings.append(raw.decode(codec))
        except UnicodeDecodeError:
            continue
    return max(reversed(readings), key=lambda text: plausibility(text) or 0.0)


def plausibility(text: str) -> float | None:
    """The share of sensible letters among the non-ASCII letters of ``text``: common Han
    characters (GB2312 level 1 or Big5 level 1) and full-width Latin count as sensible;
    rare Han, kana, Greek, Cyrillic, private-use and control characters do not. None when
    the text has no non-ASCII letter to judge by."""
    good = bad = 0
    for ch in text:
        if ch < "\u0250":
            continue  # ASCII and Latin letters (pinyin) are as likely either way
        if "\uff01" <= ch <= "\uff5e" or _is_common_han(ch):
            good += 1
        elif _is_suspect(ch):
            bad += 1
    return good / (good + bad) if good + bad else None


# -- internals ------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)

_DECLARED_CHARSET = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,100}?encoding\s*=\s*["'])"""
    rb"""\s*([A-Za-z0-9_.:-]{2,40})""",
    re.IGNORECASE,
)


def _known_codec(label: str) -> tuple[str, str] | None:
    """A declared charset label as (codec to decode with, name to record), if the archive
    reads it."""
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):  # unknown, or a NUL inside the label
        return None
    if name in ("gb2312", "gbk", "gb18030"):
        return "gb18030", "gb18030"
    if name in ("big5", "big5hkscs", "cp950"):
        return "big5hkscs", "big5"
    if name == "utf-8":
        return "utf-8", "utf-8"
    return None


def _checked(data: bytes, codec: str, name: str, filename: str) -> tuple[str, str]:
    """Decode strictly and refuse text that carries binary control bytes."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise DecodeError(filename, UNDECODABLE) from exc
    if _has_binary_controls(text):
        raise DecodeError(filename, "the file holds binary data, not text")
    return text.removeprefix("\ufeff"), name


def _decode_bomless_utf16(data: bytes, filename: str) -> tuple[str, str]:
    """NUL bytes are UTF-16 code units (ASCII's high byte, or the low byte of 一, 开) when
    one byte order decodes to plausible text; otherwise they mark binary data."""
    best: tuple[float, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text, _ = _checked(data, codec, "utf-16", filename)
        except DecodeError:
            continue
        # Pure ASCII in UTF-16 is judged by _checked alone: random bytes never decode so.
        score = plausibility(text)
        score = 1.0 if score is None else score
        if best is None or score > best[0]:
            best = (score, text)
    if best is None or best[0] < _PLAUSIBLE:
        raise DecodeError(filename, "the file holds binary data, not text")
    return best[1], "utf-16"


def _decode_legacy(data: bytes, filename: str) -> tuple[str, str]:
    """Pick the legacy Chinese encoding whose decoding reads most like Chinese.

    charset-normalizer guesses wrong on short Chinese texts: on People's Daily slices of
    15-200 characters encoded in GB18030 or Big5 it was wrong on 1-2% even when restricted to
    these codecs, 15% unrestricted on 15-character slices (a 20-character Big5 sentence came
    back as Shift-JIS). Strict decoding alone proves little, since Big5 bytes are nearly
    always valid GBK. So every codec that decodes strictly is scored by the share of common
    Han characters among the letters it yields (wrong on 0 of 4,363 such slices), and
    charset-normalizer is only asked when none of them decodes plausibly."""
    best: tuple[float, str, str] | None = None
    for codec, name in _LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if score is None or _has_binary_controls(text):
            continue
        if best is None or score > best[0]:
            best = (score, text, name)
    if best is not None and best[0] >= _PLAUSIBLE:
        return best[1].removeprefix("\ufeff"), best[2]
    return _decode_by_detection(data, filename)


def _decode_by_detection(data: bytes, filename: str) -> tuple[str, str]:
    """Last resort for what the strict order misses, notably UTF-16 without BOM or NULs."""
    match = charset_normalizer.from_bytes(
        data, cp_isolation=["utf_16_le", "utf_16_be", "gb18030", "big5hkscs"]
    ).best()
    if match is None:
        raise DecodeError(filename, UNDECODABLE)
    text = str(match)
    score = plausibility(text)
    if score is None or score < _PLAUSIBLE or _has_binary_controls(text):
        raise DecodeError(filename, UNDECODABLE)
    name = "utf-16" if match.encoding.startswith("utf_16") else dict(_LEGACY)[match.encoding]
    return text.removeprefix("\ufeff"), name


def _has_binary_controls(text: str) -> bool:
    """NUL or other control characters (beyond tab, line breaks and form feed) in more
    than a trace: the mark of binary data decoded by accident."""
    if "\x00" in text:
        return True
    return len(_BINARY_CONTROLS.findall(text)) > len(text) // 1000


@cache
def _is_common_han(ch: str) -> bool:
    # GB2312 level 1 holds the 3,755 commonest simplified characters and Big5 level 1 the
    # 5,401 commonest traditional ones: between them, almost every character of news text.
    try:
        gb = ch.encode("gb2312")
        if len(gb) == 2 and 0xB0 <= gb[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        big5 = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(big5) == 2 and 0xA440 <= int.from_bytes(big5, "big") <= 0xC67E


@cache
def _is_suspect(ch: str) -> bool:
    """A letter or code point that a wrong decoding yields far more often than Chinese
    news does: rare Han, kana, Greek, Cyrillic, Hangul, private use, unassigned."""
    category = unicodedata.category(ch)
    return category[0] == "L" or category in ("Co", "Cn", "Cs") or ch == "\ufffd"
