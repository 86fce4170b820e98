import datetime as dt
import hashlib
import json
from pathlib import Path

from archive.errors import DecodeError
from archive.originals import keep_original, original_path, quarantine

NOW = dt.datetime(2022, 1, 12, 9, 30, tzinfo=dt.UTC)


def test_original_is_kept_by_content_hash(tmp_path: Path) -> None:
    source = tmp_path / "会议.TXT"
    source.write_bytes(b"abc")
    sha = hashlib.sha256(b"abc").hexdigest()
    kept = keep_original(tmp_path / "originals", source, sha)
    assert kept == tmp_path / "originals" / sha[:2] / f"{sha}.txt"
    assert kept.read_bytes() == b"abc"
    assert source.exists(), "keeping a copy never touches the source"
    assert keep_original(tmp_path / "originals", source, sha) == kept
    assert original_path(tmp_path / "originals", sha, "x.txt") == kept


def test_quarantine_moves_the_file_and_says_why(tmp_path: Path) -> None:
    source = tmp_path / "inbox" / "坏文件.txt"
    source.parent.mkdir()
    source.write_bytes(b"\x00\xff")
    error = DecodeError(source, "the bytes are not text")
    kept = quarantine(
        tmp_path / "q", source, error, stage="read", extractor_version="0.1.0", move=True, now=NOW
    )
    assert not source.exists()
    assert kept.read_bytes() == b"\x00\xff"
    report = json.loads((tmp_path / "q" / "坏文件.txt.error.json").read_text("utf-8"))
    assert report == {
        "file": "坏文件.txt",
        "reason": "the bytes are not text",
        "code": "undecodable",
        "stage": "read",
        "exception": None,
        "at": "2022-01-12T09:30:00+00:00",
        "extractor_version": "0.1.0",
    }


def test_quarantine_copy_leaves_the_source(tmp_path: Path) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(b"%PDF")
    kept = quarantine(
        tmp_path / "q",
        source,
        DecodeError(source, "x"),
        stage="read",
        extractor_version="0",
        move=False,
    )
    assert source.exists() and kept.read_bytes() == b"%PDF"


def test_same_name_other_bytes_never_overwrites(tmp_path: Path) -> None:
    first, second = tmp_path / "one" / "a.txt", tmp_path / "two" / "a.txt"
    for path, data in ((first, b"1"), (second, b"2")):
        path.parent.mkdir()
        path.write_bytes(data)
    kept_first = quarantine(
        tmp_path / "q",
        first,
        DecodeError(first, "x"),
        stage="read",
        extractor_version="0",
        move=True,
    )
    kept_second = quarantine(
        tmp_path / "q",
        second,
        DecodeError(second, "y"),
        stage="read",
        extractor_version="0",
        move=True,
    )
    assert kept_first != kept_second
    assert kept_first.read_bytes() == b"1" and kept_second.read_bytes() == b"2"
    assert json.loads(Path(f"{kept_second}.error.json").read_text())["reason"] == "y"
