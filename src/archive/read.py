"""Readers: a file's bytes in, its decoded text out (:class:`RawDocument`).

One reader class per format; the registry asks each for a score and the best one reads.
Decoding is shared: BOM, then strict UTF-8, then UTF-16 when NUL bytes suggest it, then the
legacy Chinese encodings chosen by how plausible their text is (see :func:`decode`).
Readers do not clean text beyond line endings and the BOM; ``archive.normalize`` does.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePath
from typing import ClassVar

import charset_normalizer
import lxml.html
import trafilatura
from lxml import etree

from archive.errors import (
    DecodeError,
    EmptyDocument,
    FileTooLarge,
    IngestError,
    UnsupportedFormat,
)
from archive.page_meta import address_in_markup, published_in_markup
from archive.records import RawDocument, SourceFormat

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


@dataclass(frozen=True)
class Decoded:
    """What a reader makes of a file's bytes."""

    text: str
    encoding: str
    title: str | None = None
    published: dt.date | None = None
    address: str | None = None


def read_file(path: Path, max_bytes: int | None = None) -> RawDocument:
    """Read the file at ``path`` into a :class:`RawDocument` (the I/O edge of
    :func:`read_bytes`); errors name the full path. A file over ``max_bytes`` is refused
    before it is read (:class:`FileTooLarge`)."""
    try:
        if max_bytes is not None and (size := Path(path).stat().st_size) > max_bytes:
            raise FileTooLarge(
                path,
                f"the file is {size / 2**20:.1f} MB, over the limit of {max_bytes / 2**20:g} MB "
                "(ARCHIVE_MAX_FILE_MB)",
            )
        data = Path(path).read_bytes()
        mtime = Path(path).stat().st_mtime
    except OSError as exc:
        raise IngestError(path, f"the file cannot be read ({exc.strerror or exc})") from exc
    modified = dt.datetime.fromtimestamp(mtime, dt.UTC)
    try:
        return read_bytes(data, Path(path).name, modified=modified)
    except IngestError as error:
        raise type(error)(path, error.reason) from None


def read_bytes(data: bytes, filename: str, modified: dt.datetime | None = None) -> RawDocument:
    """Decode ``data``, the content of a file named ``filename`` last modified at
    ``modified`` (if known), with the reader that suits it best. Raises
    :class:`UnsupportedFormat`, :class:`EmptyDocument` or :class:`DecodeError` with
    ``filename`` as the path."""
    reader = pick_reader(filename, data)
    if not data:
        raise EmptyDocument(filename, "the file is empty")
    if (kind := binary_kind(data)) is not None:
        suffix = PurePath(filename).suffix or "no extension"
        raise UnsupportedFormat(
            filename, f"the file is {kind} named {suffix}; the archive reads text and HTML"
        )
    decoded = reader.read(data, filename)
    text = _unify_line_endings(decoded.text)
    if not any(ch.isalpha() for ch in text):
        raise EmptyDocument(filename, "the file holds no text")
    return RawDocument(
        filename=PurePath(filename).name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding=decoded.encoding,
        format=reader.format,
        text=text,
        title=decoded.title,
        published=decoded.published,
        address=decoded.address,
        modified=modified,
    )


# The opening bytes of formats people mistake for text or save under the wrong name. A
# few header bytes can decode as GB18030 (\x89PNG reads 塒NG), so they are judged first.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc/.xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)


def binary_kind(data: bytes) -> str | None:
    """What a file really is when its first bytes are those of a known binary format."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF":
        return "a RIFF media file"
    return None


class Reader:
    """A file format the archive reads. Subclasses set ``format`` and ``extensions`` and
    implement :meth:`read`."""

    format: ClassVar[SourceFormat]
    extensions: ClassVar[frozenset[str]]

    def score(self, filename: str, data: bytes) -> int:
        """How well this reader suits the file: 0 means not at all."""
        return 10 if _extension(filename) in self.extensions else 0

    def read(self, data: bytes, filename: str) -> Decoded:
        """Decode non-empty ``data``; raise an :class:`IngestError` subclass if it is not
        a document of this format."""
        raise NotImplementedError


class TextReader(Reader):
    """Plain text in any encoding :func:`decode` knows."""

    format = "text"
    extensions = frozenset({".txt", ".text"})

    def read(self, data: bytes, filename: str) -> Decoded:
        text, encoding = decode(data, filename)
        return Decoded(text, encoding)


class HtmlReader(Reader):
    """A web page: its main text (by trafilatura) and its title."""

    format = "html"
    extensions = frozenset({".html", ".htm", ".xhtml"})

    def read(self, data: bytes, filename: str) -> Decoded:
        markup, encoding = decode(data, filename, declared=declared_charset(data))
        # lxml refuses a str that still declares its encoding; the bytes are decoded already.
        markup = _XML_DECLARATION.sub("", markup, count=1)
        if not markup.strip():
            raise EmptyDocument(filename, "the file holds no text")
        try:
            tree = lxml.html.document_fromstring(markup)
        except (etree.ParserError, ValueError) as exc:
            raise DecodeError(filename, "the page cannot be parsed as HTML") from exc
        drop_ruby_annotations(tree)
        title = page_title(tree)
        published, address = published_in_markup(tree), address_in_markup(tree, markup)
        drop_page_chrome(tree)
        text = trafilatura.extract(
            tree,
            output_format="txt",
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
        return Decoded(text or "", encoding, title, published, address)


READERS: tuple[Reader, ...] = (TextReader(), HtmlReader())

SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(
    sorted(ext for reader in READERS for ext in reader.extensions)
)
"""The file extensions the archive reads, lowercase with the dot."""


def pick_reader(filename: str, data: bytes) -> Reader:
    """The reader with the top score for this file, or :class:`UnsupportedFormat`."""
    best = max(READERS, key=lambda reader: reader.score(filename, data))
    if best.score(filename, data) > 0:
        return best
    extension = _extension(filename)
    supported = ", ".join(SUPPORTED_EXTENSIONS)
    if not extension:
        reason = f"the file has no extension, and the archive reads only {supported} files"
    else:
        reason = f"the archive does not read {extension} files, only {supported}"
    raise UnsupportedFormat(filename, reason)


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


def drop_ruby_annotations(tree: lxml.html.HtmlElement) -> None:
    """Remove ``<rt>`` readings and ``<rp>`` fallback parentheses, keeping the base text:
    ``<ruby>發<rt>fā</rt></ruby>`` reads ``發``."""
    for element in tree.xpath("//rt | //rp"):
        element.drop_tree()  # keeps the element's tail text
    # trafilatura breaks lines around <ruby>; the base text belongs to its sentence.
    etree.strip_tags(tree, "ruby", "rb")


def drop_page_chrome(tree: lxml.html.HtmlElement) -> None:
    """Remove the site's menus, footers and sidebars, which trafilatura sometimes keeps
    (a ``<nav>`` of 首页 | 新闻 would otherwise open every article's text). A ``<header>``
    inside the ``<article>`` holds the article's own title and stays."""
    chrome = tree.xpath(
        "//nav | //footer | //aside | //*[@role='navigation' or @role='contentinfo']"
        " | //header[not(ancestor::article)]"
    )
    for element in chrome:
        if element.getparent() is not None:
            element.drop_tree()


def page_title(tree: lxml.html.HtmlElement) -> str | None:
    """The page's title: the first ``<h1>`` when ``<title>`` is absent or carries a site
    name after a separator (``会议召开 - 某某网``), else ``<title>``."""
    title = _squeeze(tree.findtext(".//title") or "")
    heading_element = next(iter(tree.iter("h1")), None)
    heading = _squeeze(heading_element.text_content()) if heading_element is not None else ""
    if heading and (not title or _SITE_SUFFIX.search(title)):
        return heading
    return title or heading or None


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


# -- decoding ---------------------------------------------------------------------------

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
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SITE_SUFFIX = re.compile(r"\s[-|–—_]\s|_|\||——|－")
_SQUEEZE = re.compile(r"\s+")


def _known_codec(label: str) -> tuple[str, str] | None:
    """A declared charset label as (codec to decode with, name to record), if the archive
    reads it."""
    try:
        name = codecs.lookup(label).name
    except LookupError:
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


# -- small text helpers -----------------------------------------------------------------


def _extension(filename: str) -> str:
    return PurePath(filename).suffix.lower()


def _unify_line_endings(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _squeeze(text: str) -> str:
    return _SQUEEZE.sub(" ", text).strip()
