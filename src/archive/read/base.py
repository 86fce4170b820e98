"""What every reader shares: the decoded result and the reader contract."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePath
from typing import ClassVar

from archive.records import SourceFormat


@dataclass(frozen=True)
class Decoded:
    """What a reader makes of a file's bytes."""

    text: str
    encoding: str
    title: str | None = None
    published: dt.date | None = None
    address: str | None = None
    pages: int | None = None
    """How many pages the file has, for formats that have pages (PDF)."""
    ocr: bool = False
    """True when the text was read from images by OCR (a scan)."""


class Reader:
    """A file format the archive reads. Subclasses set ``format`` and ``extensions`` and
    implement :meth:`read`; a reader that knows its format by its bytes (a PDF named
    ``.txt``) says so in :meth:`score`."""

    format: ClassVar[SourceFormat]
    extensions: ClassVar[frozenset[str]]
    binary: ClassVar[bool] = False
    """True for a format whose files are not text (PDF, Word): the guard against binary
    files saved under a text name does not apply to it."""

    def score(self, filename: str, data: bytes) -> int:
        """How well this reader suits the file: 0 means not at all; 10 is a matching
        extension, more is a match by content."""
        return 10 if extension(filename) in self.extensions else 0

    def read(self, data: bytes, filename: str) -> Decoded:
        """Decode non-empty ``data``; raise an :class:`IngestError` subclass if it is not
        a document of this format."""
        raise NotImplementedError


def extension(filename: str) -> str:
    """The file name's extension, lowercase with the dot (``.docx``), or ``""``."""
    return PurePath(filename).suffix.lower()
