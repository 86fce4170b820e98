"""PDF files: printed here from HTML by a real headless Chromium, as offices
print their reports, and made blank or huge with pypdfium2. A sentence that wraps across
lines of the page is one sentence again; a scan is refused with the reason."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.errors import DecodeError, EmptyDocument, FileTooLarge, UnsupportedFormat
from archive.ingest import extract_stages
from archive.read import read_bytes
from archive.read.layout import unwrap
from archive.read.pdf import MAX_PAGES
from tests.chromium import render

REPORT = """<!doctype html><html><head><meta charset="utf-8"><title>防汛工作会议</title>
<style>body {{ font-family: "Noto Sans CJK SC"; font-size: 16px; width: 30em; }}
p {{ text-indent: 2em; }} .next {{ break-before: page; }}</style></head><body>
<p>6月3日，市青禾水务集团召开2024年度防汛工作会议，全面部署今年汛期各项防汛备汛工作，
集团党委书记、董事长常昭明出席会议并讲话，集团总经理林海主持会议。</p>
<p class="next">常昭明强调，各单位要压实防汛责任，加强隐患排查，确保安全度汛。</p>
</body></html>"""


@pytest.fixture(scope="module")
def printed() -> bytes:
    return render(REPORT.format(), as_pdf=True)


def test_a_printed_report_reads_page_by_page(printed: bytes) -> None:
    raw = read_bytes(printed, "防汛.pdf")
    assert raw.format == "pdf" and raw.pages == 2
    assert raw.title == "防汛工作会议"
    paragraphs = raw.text.split("\n")
    assert paragraphs[0].startswith("6月3日，市青禾水务集团召开")
    assert paragraphs[0].endswith("集团总经理林海主持会议。"), "the wrapped lines are one"
    assert paragraphs[1] == "常昭明强调，各单位要压实防汛责任，加强隐患排查，确保安全度汛。"


def test_a_printed_report_becomes_a_record(printed: bytes, tmp_path: Path) -> None:
    path = tmp_path / "防汛.pdf"
    path.write_bytes(printed)
    (arrival,) = extract_stages([path])
    document = arrival.document
    assert document is not None, arrival.error
    assert (document.source.format, document.source.pages) == ("pdf", 2)
    assert document.meeting.name == "2024年度防汛工作会议"
    people = {p.name: p for p in document.persons}
    assert people["常昭明"].titles == ["党委书记", "董事长"]
    assert "chair" in people["林海"].roles


def test_a_pdf_named_otherwise_is_a_pdf(printed: bytes) -> None:
    assert read_bytes(printed, "防汛.txt").format == "pdf"


def blank_pdf(pages: int) -> bytes:
    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(420, 595)
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()


def test_a_blank_scan_holds_no_text() -> None:
    with pytest.raises((EmptyDocument, UnsupportedFormat)) as caught:
        read_bytes(blank_pdf(1), "扫描件.pdf")
    # With OCR installed the blank page is read and found empty; without, it needs OCR.
    assert caught.value.reason in ("the file holds no text",) or "tesseract-ocr" in str(
        caught.value.reason
    )


def test_too_many_pages_are_refused() -> None:
    with pytest.raises(FileTooLarge, match=f"over the limit of {MAX_PAGES:,}"):
        read_bytes(blank_pdf(MAX_PAGES + 1), "汇编.pdf")


def test_unwrap_joins_full_lines_that_do_not_end_a_sentence() -> None:
    lines = ["一二三四五六七八九十", "一二三四五六七八。", "短行", "", "一二三四五六七八九十", "完"]
    assert list(unwrap(lines)) == [
        "一二三四五六七八九十一二三四五六七八。",
        "短行",
        "一二三四五六七八九十完",
    ]
    assert list(unwrap(["covid nineteen", "cases"])) == ["covid nineteen cases"]


@given(st.lists(st.text(alphabet="会议。，ab \u3000", max_size=12), max_size=12))
def test_unwrap_keeps_every_character(lines: list[str]) -> None:
    stripped = [line.strip() for line in lines]
    joined = list(unwrap(stripped))
    assert "".join(joined).replace(" ", "") == "".join(stripped).replace(" ", "")
    assert all(joined)


def test_a_pdf_that_lists_more_pages_than_it_has_is_damaged() -> None:
    data = blank_pdf(1).replace(b"/Count 1", b"/Count 5")
    assert b"/Count 5" in data
    with pytest.raises(DecodeError, match="damaged|cannot be opened"):
        read_bytes(data, "缺页.pdf")
