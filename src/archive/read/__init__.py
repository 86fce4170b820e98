"""Readers: a file's bytes in, its decoded text out (:class:`RawDocument`).

One module per format, each a :class:`Reader`; :func:`pick_reader` asks each how well it
suits a file (by its content first, then its name) and the best one reads:

==========  ===================================================  ======================
format      files                                                module
==========  ===================================================  ======================
text        ``.txt`` in UTF-8, UTF-16, GB18030 or Big5            :mod:`.text`
html        ``.html``, and any file whose bytes are a web page    :mod:`.html`
mht         saved pages, ``.mht``/``.mhtml`` (MIME)               :mod:`.mht`
eml         e-mails ``.eml``: the message's text                  :mod:`.eml`
docx        Word 2007+ ``.docx``: paragraphs and tables in order  :mod:`.docx`
doc         Word 97-2003 ``.doc``, by Debian's ``catdoc``         :mod:`.doc`
pdf         PDF: its text layer, or OCR of a scan                 :mod:`.pdf`
image       scanned pages ``.png``/``.jpg``/``.tif``, by OCR      :mod:`.image`
(none)      ``.zip``: holds documents, is none                    :mod:`.zip`
==========  ===================================================  ======================

A ZIP archive's files and an e-mail's attachments are documents of their own: the read
stage opens such containers first (:mod:`.containers`) and reads each member here.

OCR (:mod:`.ocr`, Tesseract) and ``catdoc`` are optional system packages: without them
such a file is quarantined with the packages to install, and ``archive retry`` reads it.

Decoding of encoded text is shared (:mod:`.decoding`). Readers do not clean text beyond
line endings and the BOM; ``archive.normalize`` does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path, PurePath

from archive.errors import EmptyDocument, FileTooLarge, IngestError, UnsupportedFormat
from archive.read.base import Decoded, Reader, extension
from archive.read.decoding import UNDECODABLE, declared_charset, decode, plausibility
from archive.read.doc import DocReader
from archive.read.docx import DocxReader
from archive.read.eml import EmlReader
from archive.read.html import HtmlReader
from archive.read.image import ImageReader
from archive.read.mht import MhtReader
from archive.read.pdf import PdfReader
from archive.read.text import TextReader
from archive.read.zip import ZipReader
from archive.records import RawDocument

__all__ = [
    "READERS",
    "SUPPORTED_EXTENSIONS",
    "UNDECODABLE",
    "Decoded",
    "Reader",
    "binary_kind",
    "declared_charset",
    "decode",
    "load",
    "pick_reader",
    "plausibility",
    "read_bytes",
    "read_file",
]

READERS: tuple[Reader, ...] = (
    TextReader(),
    HtmlReader(),
    MhtReader(),
    EmlReader(),
    DocxReader(),
    DocReader(),
    PdfReader(),
    ImageReader(),
    ZipReader(),
)

SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(
    sorted(ext for reader in READERS for ext in reader.extensions)
)
"""The file extensions the archive reads, lowercase with the dot."""


def read_file(path: Path, max_bytes: int | None = None) -> RawDocument:
    """Read the file at ``path`` into a :class:`RawDocument` (the I/O edge of
    :func:`read_bytes`); errors name the full path. A file over ``max_bytes`` is refused
    before it is read (:class:`FileTooLarge`)."""
    data, modified = load(path, max_bytes)
    try:
        return read_bytes(data, Path(path).name, modified=modified)
    except IngestError as error:
        raise type(error)(path, error.reason) from None


def load(path: Path, max_bytes: int | None = None) -> tuple[bytes, dt.datetime]:
    """The bytes of the file at ``path`` and its modification time; a file over
    ``max_bytes`` is refused unread (:class:`FileTooLarge`)."""
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
    return data, dt.datetime.fromtimestamp(mtime, dt.UTC)


def read_bytes(data: bytes, filename: str, modified: dt.datetime | None = None) -> RawDocument:
    """Decode ``data``, the content of a file named ``filename`` last modified at
    ``modified`` (if known), with the reader that suits it best. Raises
    :class:`UnsupportedFormat`, :class:`EmptyDocument` or :class:`DecodeError` with
    ``filename`` as the path."""
    reader = pick_reader(filename, data)  # an empty .exe is unsupported before it is empty
    if not data:
        raise EmptyDocument(filename, "the file is empty")
    if not reader.binary and (kind := binary_kind(data)) is not None:
        suffix = PurePath(filename).suffix or "no extension"
        raise UnsupportedFormat(
            filename, f"the file is {kind} named {suffix}; the archive reads {_READ_FORMATS}"
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
        pages=decoded.pages,
        ocr=decoded.ocr,
    )


# The opening bytes of formats people mistake for text or save under the wrong name. A
# few header bytes can decode as GB18030 (\x89PNG reads 塒NG), so they are judged first.
# (A PDF, a JPEG and a whole PNG signature are claimed by their readers before this.)
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
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


def pick_reader(filename: str, data: bytes) -> Reader:
    """The reader with the top score for this file, or :class:`UnsupportedFormat`."""
    score, best = max(((r.score(filename, data), r) for r in READERS), key=lambda x: x[0])
    if score > 0:
        return best
    suffix = extension(filename)
    supported = ", ".join(SUPPORTED_EXTENSIONS)
    if not suffix:
        reason = f"the file has no extension, and the archive reads only {supported} files"
    else:
        reason = f"the archive does not read {suffix} files, only {supported}"
    raise UnsupportedFormat(filename, reason)


_READ_FORMATS = (
    "text, web pages (also saved as .mht), e-mails, Word, PDF, scanned images and ZIP archives"
)


def _unify_line_endings(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
