"""Word files, written here with python-docx: body paragraphs and tables in reading order,
page headers and footers left out, and the bounds that refuse a zip bomb or an entity
bomb quickly."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument

from archive.errors import DecodeError, FileTooLarge, UnsupportedFormat
from archive.ingest import extract_stages
from archive.read import read_bytes
from archive.read.docx import MAX_PART_BYTES

OPENING = "3月18日，市青禾集团召开2024年度安全生产工作会议。"
SPEECH = "集团党委书记、董事长郑启明出席会议并讲话。"
TABLE = [["单位", "负责人"], ["青禾物流公司", "谭鸿飞"]]
CLOSING = "会议要求，各单位要压实安全生产责任。"


def word_file(*, title: str | None = "安全生产工作会议") -> bytes:
    document = WordDocument()
    document.sections[0].header.paragraphs[0].text = "青禾集团文件"
    document.sections[0].footer.paragraphs[0].text = "第 1 页"
    document.add_paragraph(OPENING)
    document.add_paragraph(SPEECH)
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph(CLOSING)
    if title:
        document.core_properties.title = title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_paragraphs_and_tables_in_reading_order() -> None:
    raw = read_bytes(word_file(), "会议.docx")
    assert raw.format == "docx" and raw.title == "安全生产工作会议"
    lines = raw.text.split("\n")
    assert lines == [OPENING, SPEECH, *(cell for row in TABLE for cell in row), CLOSING]
    assert "青禾集团文件" not in raw.text and "第 1 页" not in raw.text


def test_a_word_file_becomes_a_record(tmp_path: Path) -> None:
    path = tmp_path / "会议.docx"
    path.write_bytes(word_file(title=None))
    (arrival,) = extract_stages([path])
    document = arrival.document
    assert document is not None, arrival.error
    assert document.source.format == "docx"
    assert document.meeting.name == "2024年度安全生产工作会议"
    (person,) = [p for p in document.persons if p.name == "郑启明"]
    assert person.titles == ["党委书记", "董事长"]


def test_the_format_is_the_content_not_the_name() -> None:
    assert read_bytes(word_file(), "会议.txt").format == "docx"
    assert read_bytes(word_file(), "会议").format == "docx"


def test_a_zip_that_is_no_word_file_is_read_as_the_zip_it_is() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("readme.txt", "hello")
    with pytest.raises(UnsupportedFormat, match="a ZIP archive holds documents"):
        read_bytes(out.getvalue(), "会议.docx")


def test_a_truncated_word_file() -> None:
    data = word_file()
    with pytest.raises(DecodeError, match="damaged"):
        read_bytes(data[: len(data) // 2], "会议.docx")


def _with_body(xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", xml)
    return out.getvalue()


def test_a_zip_bomb_is_refused_quickly_with_bounded_memory() -> None:
    # 200 MB of one byte compresses to ~200 KB: read no further than the bound.
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package,
        package.open("word/document.xml", "w") as part,
    ):
        for _ in range(200):
            part.write(b"<" * 2**20)
    with pytest.raises(FileTooLarge) as caught:
        read_bytes(out.getvalue(), "炸弹.docx")
    assert f"over {MAX_PART_BYTES >> 20} MB" in caught.value.reason


def test_a_part_that_grows_too_many_times_is_a_zip_bomb() -> None:
    body = b"<w:document>" + b" " * (8 * 2**20) + b"</w:document>"
    with pytest.raises(FileTooLarge, match="zip bomb"):
        read_bytes(_with_body(body), "炸弹.docx")


def test_an_entity_bomb_is_refused() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'.encode()
            for n in range(1, 10)
        )
        + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    with pytest.raises(DecodeError, match="entities"):
        read_bytes(_with_body(laughs), "笑.docx")


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_a_damaged_member_of_any_compression_is_a_damaged_file(method: int) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as package:
        package.writestr("word/document.xml", b"<w:document>" + b"x" * 5000 + b"</w:document>")
    data = bytearray(out.getvalue())
    data[60:90] = bytes(30)  # inside the compressed member
    with pytest.raises(DecodeError, match="damaged"):
        read_bytes(bytes(data), "会议.docx")


def test_an_encrypted_member_is_a_damaged_file() -> None:
    data = bytearray(_with_body(b"<w:document/>"))
    data[6] |= 0x01  # the local header's "encrypted" flag
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x01
    with pytest.raises(DecodeError, match="damaged"):
        read_bytes(bytes(data), "会议.docx")
