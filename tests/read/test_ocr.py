"""Scans, by Tesseract: a page rendered by a real Chromium stands in for the scanner, as an
image and as a PDF without a text layer. OCR is optional: without it the reason names the
packages to install."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest

from archive.errors import FileTooLarge
from archive.ingest import extract_stages
from archive.read import read_bytes
from tests.chromium import render
from tests.read.system import read_without_converters, require

PAGE = """<html><body style="font-family:'Noto Serif CJK SC';font-size:28px;width:900px;
padding:40px;background:#fff"><p>6月3日，市青禾水务集团召开2024年度防汛工作会议。
集团党委书记、董事长常昭明出席会议并讲话，集团总经理林海主持会议。</p>
<p>常昭明强调，各单位要压实防汛责任，确保安全度汛。</p></body></html>"""


@pytest.fixture(scope="module")
def scanned_page() -> bytes:
    return render(PAGE, as_pdf=False)


def test_a_scanned_page_is_read_by_ocr(scanned_page: bytes, tmp_path: Path) -> None:
    require("tesseract", "tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra")
    path = tmp_path / "扫描件.png"
    path.write_bytes(scanned_page)
    (arrival,) = extract_stages([path])
    document = arrival.document
    assert document is not None, arrival.error
    assert (document.source.format, document.source.ocr) == ("image", True)
    assert "董事长常昭明出席会议并讲话" in document.text, "no spaces between characters"
    assert document.meeting.name == "2024年度防汛工作会议"
    people = {p.name: p for p in document.persons}
    assert people["常昭明"].titles == ["党委书记", "董事长"]


def test_a_pdf_without_a_text_layer_is_read_by_ocr(scanned_page: bytes) -> None:
    require("tesseract", "tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra")
    image = base64.b64encode(scanned_page).decode()
    scan = render(f'<img style="width:100%" src="data:image/png;base64,{image}">', as_pdf=True)
    raw = read_bytes(scan, "扫描件.pdf")
    assert (raw.format, raw.ocr, raw.pages) == ("pdf", True, 1)
    assert "各单位要压实防汛责任，确保安全度汛" in raw.text  # OCR may misread a name
    assert raw.title is None, "Chromium's about:blank is no title"


def test_without_ocr_the_reason_names_the_packages(scanned_page: bytes, tmp_path: Path) -> None:
    path = tmp_path / "扫描件.png"
    path.write_bytes(scanned_page)
    said = read_without_converters(path)
    assert said.startswith("UnsupportedFormat")
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra" in said
    assert "archive retry" in said


def test_an_image_too_large_to_decompress_is_refused_unread() -> None:
    # A valid PNG of 100,000 x 100,000 white pixels is a few MB; its header says so.
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + header
    png = (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    )
    with pytest.raises(FileTooLarge, match="100,000 x 100,000 pixels"):
        read_bytes(png + bytes(64), "巨图.png")
