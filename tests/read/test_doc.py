"""Word 97-2003 files through catdoc. The fixture ``meeting.doc`` was made by LibreOffice
from a .docx written with python-docx (see tests/fixtures/read/make_fixtures.py); its
people and organisations are invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.errors import DecodeError, UnsupportedFormat
from archive.ingest import extract_stages
from archive.read import read_bytes, read_file
from archive.read.doc import DocReader
from tests.conftest import FIXTURES
from tests.read.system import read_without_converters, require

MEETING = FIXTURES / "read" / "meeting.doc"


def test_a_word_97_file_reads_paragraph_by_paragraph() -> None:
    require("catdoc", "catdoc")
    raw = read_file(MEETING)
    assert raw.format == "doc"
    assert raw.text.split("\n")[:2] == [
        "4月16日，市青禾能源集团召开2024年度党风廉政建设工作会议。",
        "集团党委书记、董事长谭鸿飞出席会议并讲话，集团总经理常昭明主持会议。",
    ]
    assert "單位\t負責人" in raw.text  # a table row, cells in order


def test_a_word_97_file_becomes_a_record(tmp_path: Path) -> None:
    require("catdoc", "catdoc")
    path = tmp_path / "廉政会议.txt"  # the name does not matter: the bytes are a Word file
    path.write_bytes(MEETING.read_bytes())
    (arrival,) = extract_stages([path])
    document = arrival.document
    assert document is not None, arrival.error
    assert document.source.format == "doc"
    assert document.meeting.name == "2024年度党风廉政建设工作会议"
    people = {p.name: p for p in document.persons}
    assert people["谭鸿飞"].titles == ["党委书记", "董事长"]
    assert "chair" in people["常昭明"].roles


def test_without_catdoc_the_reason_names_the_package() -> None:
    said = read_without_converters(MEETING)
    assert said.startswith("UnsupportedFormat") and "apt-get install catdoc" in said
    assert "archive retry" in said


@pytest.mark.parametrize(
    ("data", "error", "reason"),
    [
        (b"{\\rtf1\\ansi hello}", UnsupportedFormat, "an RTF document"),
        (b"plain words", UnsupportedFormat, "not a Word 97-2003 document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), DecodeError, "not a Word document"),
    ],
)
def test_files_named_doc_that_are_no_word_file(data: bytes, error: type, reason: str) -> None:
    with pytest.raises(error, match=reason):
        read_bytes(data, "通知.doc")


def test_a_damaged_word_97_file_on_which_catdoc_never_ends() -> None:
    require("catdoc", "catdoc")
    data = MEETING.read_bytes()
    damaged = data[:512] + bytes(len(data) - 1536) + data[-1024:]  # header and directory
    with pytest.raises(DecodeError, match=r"damaged \(catdoc had not read it after 1 s\)"):
        DocReader(timeout_seconds=1).read(damaged, "通知.doc")
