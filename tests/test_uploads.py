"""Names sent by clients, on any input: never a path, never hidden, never ignored."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from archive.inbox import is_junk
from archive.originals import MAX_NAME_BYTES
from archive.uploads import safe_name


@given(st.one_of(st.none(), st.text(max_size=300)))
def test_a_safe_name_is_one_plain_file_name(sent: str | None) -> None:
    name = safe_name(sent)
    assert name and "/" not in name and "\\" not in name and "\x00" not in name
    assert name not in (".", "..") and not name.startswith(".")
    assert not is_junk(Path(name)), "the inbox would never take it"
    assert len(name.encode()) <= MAX_NAME_BYTES + len("upload-"), "a file system takes it"
    assert Path("/inbox", name).parent == Path("/inbox")


def test_the_name_is_kept_when_it_is_already_safe() -> None:
    assert safe_name("市青禾集团 2024年度工作会议.docx") == "市青禾集团 2024年度工作会议.docx"


def test_a_long_chinese_name_fits_a_file_system() -> None:
    name = safe_name("会" * 119 + ".txt")
    assert name.endswith(".txt") and len(name.encode()) <= MAX_NAME_BYTES
