"""ZIP archives (``.zip``): each file inside is a document of its own, its path inside
recorded (expanded by :mod:`archive.read.containers`). The archive itself has no text.

Every size is judged from the archive's directory before anything is decompressed, and
decompression never goes past the size declared, so a zip bomb is refused in
milliseconds. Names are read as Windows' Chinese zip tools write them: GBK, unless the
archive marks them UTF-8."""

from __future__ import annotations

import datetime as dt
import io
import lzma
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from archive.errors import DecodeError, UnsupportedFormat
from archive.inbox import is_junk
from archive.read.base import Decoded, Reader
from archive.read.decoding import decode_name

_UTF8_NAMES = 0x800
_ENCRYPTED = 0x1
# What zipfile raises on a damaged, encrypted or oddly compressed member.
DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError,
           RuntimeError, NotImplementedError)  # fmt: skip


def is_zip(data: bytes) -> bool:
    """True for the bytes of a ZIP archive (an empty one included)."""
    return data.startswith((b"PK\x03\x04", b"PK\x05\x06"))


def directory(data: bytes) -> list[str] | None:
    """The names a ZIP archive lists; None when it cannot be opened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except DAMAGED:
        return None


# Office documents, OpenDocument files, e-books and Java archives are ZIP archives too,
# but one document each: they list one of these.
_PACKAGE_MARKS = ("[Content_Types].xml", "mimetype", "META-INF/MANIFEST.MF")


def is_package(data: bytes) -> bool:
    """True for a ZIP that is one document: an Office or OpenDocument file, an e-book."""
    return _lists_package(directory(data) or [])


def _lists_package(names: list[str]) -> bool:
    return any(mark in names for mark in _PACKAGE_MARKS)


class ZipReader(Reader):
    """A ZIP archive: the archive holds documents but is none."""

    format = "text"  # never recorded: no record is made of the archive itself
    extensions = frozenset({".zip"})
    binary = True

    def score(self, filename: str, data: bytes) -> int:
        names = directory(data) if is_zip(data) else None
        if names is not None and not _lists_package(names):
            return 20  # above a name's 10: a ZIP named .txt is still a ZIP
        return super().score(filename, data)

    def read(self, data: bytes, filename: str) -> Decoded:
        entries(data, filename)[0].close()  # a damaged archive says so
        if is_package(data):
            raise UnsupportedFormat(
                filename,
                "the file is an Office document, OpenDocument file or e-book (a ZIP package) "
                "named .zip; the archive reads Word files named .docx",
            )
        raise UnsupportedFormat(
            filename, "a ZIP archive holds documents but is none: each of its files is read"
        )


@dataclass(frozen=True)
class Entry:
    """A file inside a ZIP archive, judged by the archive's directory."""

    info: zipfile.ZipInfo
    path: str
    """Its path inside, decoded."""

    @property
    def size(self) -> int:
        return self.info.file_size

    @property
    def compressed(self) -> int:
        return self.info.compress_size

    @property
    def modified(self) -> dt.datetime | None:
        try:
            return dt.datetime(*self.info.date_time, tzinfo=dt.UTC)
        except ValueError:
            return None


def entries(data: bytes, filename: str) -> tuple[zipfile.ZipFile, list[Entry]]:
    """The archive opened, and its files (not folders, not the junk of the system that
    made it: ``__MACOSX/``, ``Thumbs.db``, hidden files). Refuses a damaged archive and
    one with a password."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except DAMAGED as exc:
        raise DecodeError(filename, f"the ZIP archive is damaged ({exc})") from exc
    found = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        if info.flag_bits & _ENCRYPTED:
            archive.close()
            raise DecodeError(filename, "the ZIP archive is protected by a password")
        path = _name(info)
        if not is_junk(Path(path)) and not path.startswith("__MACOSX/"):
            found.append(Entry(info, path))
    return archive, found


def extract(archive: zipfile.ZipFile, entry: Entry, filename: str) -> bytes:
    """One file's bytes, never more than the directory declared."""
    try:
        with archive.open(entry.info) as stream:
            data = stream.read(entry.size + 1)
    except DAMAGED as exc:
        raise DecodeError(filename, f"the ZIP archive's {entry.path} is damaged ({exc})") from exc
    if len(data) != entry.size:
        raise DecodeError(filename, f"the ZIP archive's {entry.path} is not the size it declares")
    return data


def _name(info: zipfile.ZipInfo) -> str:
    """The entry's path: zipfile reads names without the UTF-8 flag as code page 437,
    which turns the GBK names of Chinese Windows into nonsense."""
    name = info.filename
    if not info.flag_bits & _UTF8_NAMES and not name.isascii():
        name = decode_name(name.encode("cp437"))
    parts = re.sub(r"[\x00-\x1f\x7f]", "_", name).replace("\\", "/").split("/")
    return "/".join(part for part in parts if part not in ("", ".", ".."))
