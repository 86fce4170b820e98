"""Plain text in any encoding the archive decodes."""

from __future__ import annotations

from archive.read.base import Decoded, Reader
from archive.read.decoding import decode


class TextReader(Reader):
    """Plain text in any encoding :func:`decode` knows."""

    format = "text"
    extensions = frozenset({".txt", ".text"})

    def read(self, data: bytes, filename: str) -> Decoded:
        text, encoding = decode(data, filename)
        return Decoded(text, encoding)
