"""ZIP archives: each file inside a document, its path recorded, every bound enforced
before anything large is decompressed."""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.errors import DecodeError, EmptyDocument, FileTooLarge, UnsupportedFormat
from archive.read import pick_reader, read_bytes
from archive.read.containers import MAX_MEMBERS, TOTAL_TIMES, unpack
from archive.read.zip import ZipReader, _name
from tests.read.test_docx import word_file

ARTICLE = "3月2日，青禾集团召开安全生产工作会议，总经理谭鸿飞出席会议并讲话。".encode()


def zip_of(files: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP archive of ``files`` (path inside → bytes), as zip tools write it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return out.getvalue()


def legacy_zip(name: str, data: bytes) -> bytes:
    """A ZIP whose member name is GBK without the UTF-8 flag, as Chinese Windows writes
    it (zipfile itself would write UTF-8): written under an ASCII name of the same length,
    whose bytes are then replaced."""
    raw = name.encode("gb18030")
    placeholder = b"n" * len(raw)
    archive = zip_of({placeholder.decode(): data}, method=zipfile.ZIP_STORED)
    assert archive.count(placeholder) == 2  # the entry's header and the directory
    return archive.replace(placeholder, raw)


def test_each_file_is_a_member_with_its_path() -> None:
    data = zip_of({
        "2021/会议纪要.txt": ARTICLE,
        "2021/": b"",
        "2021/安全.docx": word_file(),
        "__MACOSX/2021/._会议纪要.txt": b"\x00\x05\x16\x07",
        "Thumbs.db": b"\x00",
        ".DS_Store": b"\x00",
    })  # fmt: skip
    unpacked = unpack(data, "材料.zip")
    assert unpacked is not None and not unpacked.body
    assert [m.container.member for m in unpacked.members] == ["2021/会议纪要.txt", "2021/安全.docx"]
    first = unpacked.members[0]
    assert first.filename == "会议纪要.txt" and first.data == ARTICLE
    assert first.container.filename == "材料.zip" and first.container.message is None
    assert first.modified is not None
    assert read_bytes(unpacked.members[1].data, "安全.docx").format == "docx"


def test_names_written_by_chinese_windows_are_read_as_gbk() -> None:
    unpacked = unpack(legacy_zip("会议纪要.txt", ARTICLE), "材料.zip")
    assert unpacked is not None
    assert [m.container.member for m in unpacked.members] == ["会议纪要.txt"]


@given(
    st.lists(
        st.text("会议纪要通知报道青禾集团年度工作", min_size=1, max_size=8), min_size=1, max_size=3
    )
)
def test_any_gbk_path_survives_the_cp437_reading(parts: list[str]) -> None:
    path = "/".join(parts) + ".txt"
    info = zipfile.ZipInfo(path.encode("gb18030").decode("cp437"))
    assert _name(info) == path


def test_the_content_decides_not_the_name() -> None:
    data = zip_of({"a.txt": ARTICLE})
    assert isinstance(pick_reader("材料.txt", data), ZipReader)
    assert unpack(data, "材料.txt") is not None
    assert unpack(word_file(), "材料.zip") is None, "a Word file named .zip is a Word file"
    sheet = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert unpack(sheet, "报表.xlsx") is None, "an Office file is one file, not an archive"
    with pytest.raises(UnsupportedFormat, match="a ZIP archive holds documents"):
        read_bytes(data, "材料.zip")


def test_an_archive_with_nothing_but_folders_and_junk() -> None:
    with pytest.raises(EmptyDocument, match="holds no files"):
        unpack(zip_of({"2021/": b"", "Thumbs.db": b"\x00"}), "空.zip")


def test_a_damaged_or_locked_archive_is_refused_whole() -> None:
    data = zip_of({"a.txt": ARTICLE, "b.txt": ARTICLE})
    with pytest.raises(DecodeError, match="ZIP archive is damaged"):
        unpack(data[: len(data) - 30], "材料.zip")
    # zipfile writes no password: set its mark in the entry's header and the directory.
    plain = bytearray(zip_of({"a.txt": ARTICLE}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        plain[plain.index(signature) + offset] |= 0x1
    with pytest.raises(DecodeError, match="password"):
        unpack(bytes(plain), "加密.zip")


def test_a_zip_bomb_is_refused_before_it_is_decompressed() -> None:
    bomb = zip_of({"a.txt": ARTICLE, "炸弹.txt": b"\x00" * (64 * 2**20)})  # ~64 KB
    tracemalloc.start()
    try:
        with pytest.raises(FileTooLarge, match=r"炸弹\.txt decompresses .* times its size"):
            unpack(bomb, "材料.zip", max_bytes=128 * 2**20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 2**20, "nothing was decompressed"


def test_bounds_on_count_size_and_total() -> None:
    many = zip_of({f"{n}.txt": ARTICLE for n in range(MAX_MEMBERS + 1)})
    with pytest.raises(FileTooLarge, match="over 1,000 files"):
        unpack(many, "多.zip")
    big = zip_of({"大.txt": os.urandom(3000)})
    with pytest.raises(FileTooLarge, match=r"its 大\.txt is 3 KB, over the limit of 2 KB"):
        unpack(big, "材料.zip", max_bytes=2000)
    together = zip_of({f"{n}.txt": os.urandom(1000) for n in range(TOTAL_TIMES + 1)})
    assert unpack(together, "材料.zip", max_bytes=1000 * (TOTAL_TIMES + 1)) is not None
    with pytest.raises(FileTooLarge, match="together"):
        unpack(together, "材料.zip", max_bytes=1000)


def test_containers_inside_containers_open_two_deep_and_no_deeper() -> None:
    inner = zip_of({"纪要.txt": ARTICLE})
    middle = zip_of({"内层.zip": inner, "说明.txt": ARTICLE + b"1"})
    unpacked = unpack(zip_of({"中层.zip": middle, "封面.txt": ARTICLE + b"2"}), "材料.zip")
    assert unpacked is not None
    by_path = {m.container.member: m for m in unpacked.members}
    assert set(by_path) == {"中层.zip/内层.zip", "中层.zip/说明.txt", "封面.txt"}
    deep = by_path["中层.zip/内层.zip"]
    assert isinstance(deep.error, DecodeError) and "2 deep" in deep.error.reason
    assert deep.data == inner, "its bytes go to quarantine: nothing is lost"
    assert by_path["中层.zip/说明.txt"].container.filename == "材料.zip"


def test_a_damaged_archive_inside_is_a_failing_member() -> None:
    broken = zip_of({"纪要.txt": ARTICLE})[:-30]
    unpacked = unpack(zip_of({"坏.zip": broken, "好.txt": ARTICLE}), "材料.zip")
    assert unpacked is not None
    bad, good = unpacked.members
    assert bad.container.member == "坏.zip" and isinstance(bad.error, DecodeError)
    assert good.container.member == "好.txt" and good.error is None


def test_one_damaged_file_fails_alone() -> None:
    data = bytearray(zip_of({"好.txt": ARTICLE, "坏.txt": ARTICLE * 50}))
    start = data.index("坏.txt".encode()) + 40  # inside its compressed bytes
    data[start : start + 8] = b"\xff" * 8
    unpacked = unpack(bytes(data), "材料.zip")
    assert unpacked is not None
    good, bad = unpacked.members
    assert good.error is None and good.data == ARTICLE
    assert isinstance(bad.error, DecodeError) and "坏.txt" in bad.error.reason


def test_many_small_files_that_decompress_too_much_together_are_a_bomb() -> None:
    bomb = zip_of({f"{n}.txt": b"\x00" * 8192 for n in range(300)})
    with pytest.raises(FileTooLarge, match="files decompress .* times their size"):
        unpack(bomb, "材料.zip")


def test_an_office_file_named_zip_is_one_file() -> None:
    sheet = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert unpack(sheet, "报表.zip") is None
    with pytest.raises(UnsupportedFormat, match="Office document"):
        read_bytes(sheet, "报表.zip")


def test_control_characters_in_names_are_replaced() -> None:
    unpacked = unpack(zip_of({"a\nb\r.txt": ARTICLE}), "材料.zip")
    assert unpacked is not None
    assert [m.container.member for m in unpacked.members] == ["a_b_.txt"]


def test_a_text_that_mentions_word_parts_is_text() -> None:
    assert read_bytes(b"see word/document.xml in the package " + ARTICLE, "a.txt").format == "text"
