"""PDF files (PDFium, through pypdfium2: BSD/Apache), page by page: the text layer when
there is one; a scan without one is read by OCR where it is installed
(:mod:`archive.read.ocr`), and refused with the packages to install where not. A page's
lines are joined back into paragraphs (:mod:`archive.read.layout`)."""

from __future__ import annotations

import math

import pypdfium2 as pdfium

from archive.errors import DecodeError, FileTooLarge, UnsupportedFormat
from archive.read import ocr
from archive.read.base import Decoded, Reader
from archive.read.layout import page_text

MAX_PAGES = 2000
"""The most pages a PDF may have (a year of a gazette is a few hundred)."""
SCAN_DPI = 300
MAX_PIXELS = 60_000_000
"""The largest page image OCR is given (a 300 dpi A4 page is 8.7 million pixels)."""
"""The resolution scans are rendered at for OCR (what Tesseract is trained for)."""


class PdfReader(Reader):
    """A PDF's text, its pages joined in order."""

    format = "pdf"
    extensions = frozenset({".pdf"})
    binary = True

    def score(self, filename: str, data: bytes) -> int:
        # At the start: a text that mentions %PDF- near its top is no PDF.
        return 30 if data.lstrip()[:5] == b"%PDF-" else super().score(filename, data)

    def read(self, data: bytes, filename: str) -> Decoded:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise DecodeError(filename, f"the PDF cannot be opened ({exc})") from exc
        try:
            pages = len(document)
            if pages > MAX_PAGES:
                raise FileTooLarge(
                    filename, f"the PDF has {pages:,} pages, over the limit of {MAX_PAGES:,}"
                )
            title = _title(document.get_metadata_value("Title"))
            text = "\n".join(page_text(_text_layer(document, n)) for n in range(pages))
            scanned = not any(ch.isalpha() for ch in text)
            if scanned:
                if (reason := ocr.missing()) is not None:
                    raise UnsupportedFormat(
                        filename,
                        f"the PDF has no text layer (a scan); {reason}; "
                        "then `archive retry` reads it",
                    )
                text = "\n".join(_recognized(document, n, filename) for n in range(pages))
        except pdfium.PdfiumError as exc:
            raise DecodeError(filename, f"the PDF is damaged ({exc})") from exc
        finally:
            document.close()
        return Decoded(text, "ocr" if scanned else "pdf", title=title, pages=pages, ocr=scanned)


def _title(given: str) -> str | None:
    """The title the PDF's metadata gives, unless it is what printing software writes
    when there is none (``about:blank``, ``Microsoft Word - 通知.doc``)."""
    title = given.strip().removeprefix("Microsoft Word - ")
    if not title or title.startswith("about:") or title.lower().endswith((".doc", ".docx")):
        return None
    return title


def _text_layer(document: pdfium.PdfDocument, number: int) -> str:
    page = document[number]
    try:
        textpage = page.get_textpage()
        try:
            return textpage.get_text_range()
        finally:
            textpage.close()
    finally:
        page.close()


def _recognized(document: pdfium.PdfDocument, number: int, filename: str) -> str:
    """One page of a scan, rendered in grey and read by OCR; a huge page (a poster, a
    hostile MediaBox) at a lower resolution, within :data:`MAX_PIXELS`."""
    page = document[number]
    try:
        width_pt, height_pt = page.get_size()
        scale = min(SCAN_DPI / 72, math.sqrt(MAX_PIXELS / max(width_pt * height_pt, 1.0)))
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            width, height, stride = bitmap.width, bitmap.height, bitmap.stride
            buffer = memoryview(bitmap.buffer).cast("B")
            # A PGM (one byte a pixel) is what Tesseract reads without another library.
            image = bytearray(b"P5\n%d %d\n255\n" % (width, height))
            for y in range(height):
                image += buffer[y * stride : y * stride + width]
        finally:
            bitmap.close()
    finally:
        page.close()
    return page_text(ocr.recognize(bytes(image), filename))
