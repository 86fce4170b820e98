"""The ``archive`` command as a user runs it: the real console script in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.read.test_zip import zip_of

ARCHIVE = Path(sys.executable).with_name("archive")
MEETING = (
    "2022年2月16日，市城建集团召开党风廉政建设工作会议。集团党委书记、董事长王立民出席会议并讲话，"
    "纪委书记陈家宁主持会议。\n王立民要求，各单位要压紧压实管党治党责任。\n"
)
SECOND = "5月20日，市城建集团召开2022年度安全生产推进会。总经理李向东出席会议并讲话。\n"


def archive(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARCHIVE_", "PREFECT_API"))}
    env["ARCHIVE_HOME"] = str(home)
    env["ARCHIVE_PREFECT_SERVER"] = "off"
    return subprocess.run(
        [str(ARCHIVE), *args], env=env, capture_output=True, text=True, timeout=120
    )


def unboxed(message: str) -> str:
    """Rich draws usage errors in a box wrapped to the terminal: keep only the words."""
    return "".join(message.replace("│", "").split())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    (folder / "2022").mkdir(parents=True)
    (folder / "廉政会议.txt").write_text(MEETING, encoding="utf-8")
    (folder / "2022" / "安全推进会.txt").write_bytes(SECOND.encode("gb18030"))
    return folder


def test_ingest_search_show(tmp_path: Path, folder: Path) -> None:
    home = tmp_path / "var"
    done = archive(home, "ingest", str(folder))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("stored") for line in lines)
    assert (folder / "廉政会议.txt").exists(), "ingest leaves the user's files alone"

    again = archive(home, "ingest", str(folder / "廉政会议.txt"))
    assert again.returncode == 0 and again.stdout.startswith("duplicate")

    found = json.loads(archive(home, "search", "廉政", "--json").stdout)
    assert found["total"] == 1
    (hit,) = found["hits"]
    assert set(hit) == {"id", "title", "date", "year", "year_source", "snippet", "score"}
    assert hit["date"] == "2022-02-16" and hit["year"] == 2022
    assert set(found["facets"]) == {"year", "person", "org", "place", "meeting_type", "title"}
    by_title = json.loads(archive(home, "search", "", "--json", "--title", "纪委书记").stdout)
    assert [h["id"] for h in by_title["hits"]] == [hit["id"]]

    browse = json.loads(archive(home, "search", "", "--json", "--person", "李向东").stdout)
    assert browse["total"] == 1

    record = json.loads(archive(home, "show", hit["id"], "--json").stdout)
    assert record["id"] == hit["id"] and record["source"]["filename"] == "廉政会议.txt"
    assert "王立民" in [p["name"] for p in record["persons"]]

    human = archive(home, "search", "廉政")
    assert human.returncode == 0 and "1 documents" in human.stdout and "廉政" in human.stdout


def test_directives_search_and_export(tmp_path: Path, folder: Path) -> None:
    home = tmp_path / "var"
    assert archive(home, "ingest", str(folder)).returncode == 0
    found = json.loads(archive(home, "directives", "责任", "--json").stdout)
    assert found["total"] == 1 and set(found["facets"]) == {"speaker", "year", "topic"}
    (hit,) = found["hits"]
    assert hit["directive"]["speaker"] == "王立民" and hit["directive"]["cue"] == "要求"
    assert hit["directive"]["targets"] == ["各单位"] and hit["date"] == "2022-02-16"
    human = archive(home, "directives", "--speaker", "王立民")
    assert human.returncode == 0 and "1 directives" in human.stdout
    assert "王立民（党委书记、董事长） 要求" in human.stdout
    table = archive(home, "directives", "--format", "csv").stdout.splitlines()
    assert table[0].startswith("date,year_source,speaker,speaker_titles,cue,text")
    assert len(table) == 2
    lines = archive(home, "directives", "--format", "jsonl", "--year", "2021").stdout
    assert lines == ""
    bad = archive(home, "directives", "--format", "xml")
    assert bad.returncode == 2 and "csv" in unboxed(bad.stderr)


def test_reprocess_retry_and_check(tmp_path: Path, folder: Path) -> None:
    home = tmp_path / "var"
    (folder / "scan.pdf").write_bytes(b"%PDF-1.7")
    assert archive(home, "ingest", str(folder)).returncode == 1  # one file quarantined
    sound = archive(home, "check")
    assert sound.returncode == 0 and "sound" in sound.stdout
    now = json.loads(archive(home, "status", "--json").stdout)
    assert (now["stored"], now["quarantined"], now["waiting"]) == (2, 1, 0)
    assert now["last_failures"][0]["file"] == "scan.pdf"
    assert "stored 2 (tantivy)" in archive(home, "status").stdout

    assert "0 reprocessed" in archive(home, "reprocess").stdout, "all records are current"
    again = archive(home, "reprocess", "--all")
    assert again.returncode == 0 and "2 reprocessed" in again.stdout
    assert "1 reprocessed" in archive(home, "reprocess", "--all", "--query", "廉政").stdout

    usage = archive(home, "retry")
    assert usage.returncode == 2 and "--all" in unboxed(usage.stderr)
    retried = archive(home, "retry", "--all")
    assert retried.returncode == 1 and retried.stdout.startswith("quarantined")
    assert (home / "quarantine" / "scan.pdf").exists()
    outside = archive(home, "retry", str(folder / "廉政会议.txt"))
    assert outside.returncode == 1 and "not a file in the quarantine" in outside.stderr

    for original in (home / "originals").rglob("*.txt"):
        original.unlink()
        break
    broken = archive(home, "check", "--json")
    assert broken.returncode == 1
    assert [p["kind"] for p in json.loads(broken.stdout)] == ["missing_original"]


def test_quarantine_exit_code_and_reason(tmp_path: Path, folder: Path) -> None:
    (folder / "scan.pdf").write_bytes(b"%PDF-1.7")
    (folder / "empty.txt").write_bytes(b"")
    done = archive(tmp_path / "var", "ingest", str(folder))
    assert done.returncode == 1
    quarantined = [line for line in done.stdout.splitlines() if line.startswith("quarantined")]
    assert len(quarantined) == 2
    assert any("scan.pdf" in line and "PDF" in line.split(":", 1)[1] for line in quarantined)
    assert (tmp_path / "var" / "quarantine" / "scan.pdf.error.json").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = archive(tmp_path / "var", "ingest", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "doesnotexist" in unboxed(missing.stderr)
    assert archive(tmp_path / "var", "search").returncode == 2
    assert archive(tmp_path / "var", "frobnicate").returncode == 2


def test_show_unknown_id_is_a_message_not_a_traceback(tmp_path: Path, folder: Path) -> None:
    assert archive(tmp_path / "var", "ingest", str(folder)).returncode == 0
    done = archive(tmp_path / "var", "show", "0123456789abcdef")
    assert done.returncode == 1
    assert "no document with id '0123456789abcdef'" in done.stderr
    assert "Traceback" not in done.stderr


def test_extract_prints_one_line_per_file_and_errors_inline(tmp_path: Path, folder: Path) -> None:
    (folder / "zz-garbage.txt").write_bytes(bytes(range(256)) * 4)
    done = archive(tmp_path / "var", "extract", str(folder), "--json")
    assert done.returncode == 1, "a file that could not be read makes the exit status 1"
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["source"]["filename"] for r in records] == [
        "安全推进会.txt",
        "zz-garbage.txt",
        "廉政会议.txt",
    ]
    assert records[2]["date"] == "2022-02-16" and "error" not in records[2]
    assert records[1]["error"]
    assert not (tmp_path / "var" / "archive.sqlite3").exists(), "extract stores nothing"


def test_extract_opens_a_zip_into_its_documents(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    article = "3月1日，青禾集团召开专题会议。总经理常昭明主持会议。".encode()
    (tmp_path / "in" / "材料.zip").write_bytes(zip_of({"2021/专题会.txt": article, "空.txt": b""}))
    done = archive(tmp_path / "var", "extract", str(tmp_path / "in"), "--json")
    good, bad = (json.loads(line) for line in done.stdout.splitlines())
    assert good["source"]["filename"] == "专题会.txt"
    assert good["source"]["container"]["member"] == "2021/专题会.txt"
    assert bad["source"]["filename"] == "空.txt" and bad["path"].endswith("材料.zip › 空.txt")
    assert done.returncode == 1


def test_an_unreachable_elasticsearch_is_a_clear_error(tmp_path: Path, folder: Path) -> None:
    url = "http://127.0.0.1:9"  # the discard port: nothing listens there
    env = {**os.environ, "ARCHIVE_HOME": str(tmp_path / "var"), "ARCHIVE_ES_URL": url}
    env["ARCHIVE_PREFECT_SERVER"] = "off"
    stored = subprocess.run(
        [str(ARCHIVE), "ingest", str(folder)], env=env, capture_output=True, text=True
    )
    assert stored.returncode == 0, "documents are stored and wait for the cluster"
    done = subprocess.run([str(ARCHIVE), "search", ""], env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert f"Elasticsearch at {url} is unreachable" in done.stderr
    assert "Traceback" not in done.stderr


def test_reading_commands_never_create_an_empty_archive(tmp_path: Path) -> None:
    done = archive(tmp_path / "nowhere", "search", "会议")
    assert done.returncode == 1 and "no archive at" in done.stderr
    assert not (tmp_path / "nowhere").exists()


def test_a_bad_setting_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "ARCHIVE_HOME": str(tmp_path), "ARCHIVE_API_PORT": "eighty"}
    done = subprocess.run([str(ARCHIVE), "run"], env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert "ARCHIVE_API_PORT='eighty'" in unboxed(done.stderr), done.stderr
    assert "Traceback" not in done.stderr
