"""Scanned pages as images (PNG, JPEG, TIFF), read by OCR (:mod:`archive.read.ocr`)."""

from __future__ import annotations

import struct

from archive.errors import DecodeError, FileTooLarge
from archive.read import ocr
from archive.read.base import Decoded, Reader
from archive.read.layout import page_text

MAX_PIXELS = 60_000_000
"""The largest image OCR is given (an A3 page at 600 dpi is 70 M; 300 dpi A4 is 8.7 M):
a small file can declare a huge image that would take gigabytes to decompress."""

MEDIA_TYPES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
}
"""The images OCR reads, by their first bytes."""
_SIGNATURES = tuple(MEDIA_TYPES)


def media_type(head: bytes) -> str | None:
    """The content type of an image by its first bytes; None for none of these."""
    return next((kind for sig, kind in MEDIA_TYPES.items() if head.startswith(sig)), None)


class ImageReader(Reader):
    """A scanned page: its text by OCR."""

    format = "image"
    extensions = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
    binary = True

    def score(self, filename: str, data: bytes) -> int:
        if data.startswith(_SIGNATURES):
            return 30
        return super().score(filename, data)

    def read(self, data: bytes, filename: str) -> Decoded:
        if not data.startswith(_SIGNATURES):
            raise DecodeError(filename, "the file is named as an image but is no PNG, JPEG or TIFF")
        size = dimensions(data)
        if size is not None and size[0] * size[1] > MAX_PIXELS:
            raise FileTooLarge(
                filename,
                f"the image is {size[0]:,} x {size[1]:,} pixels, over the limit of "
                f"{MAX_PIXELS // 1_000_000} million",
            )
        if size is None and data.startswith(_SIGNATURES[:2]):
            raise DecodeError(filename, "the image is damaged (no size in its header)")
        ocr.require(filename)
        return Decoded(page_text(ocr.recognize(data, filename)), "ocr", ocr=True)


def dimensions(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's or a JPEG's header; None when not found (TIFF is
    left to the time budget)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data.startswith(b"\xff\xd8"):
        return _jpeg_dimensions(data)
    return None


def _jpeg_dimensions(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    return None
