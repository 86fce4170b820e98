"""End to end, the event-driven inbox (issue 6): the real ``archive run`` process, its
watcher, the real SQLite store, and every batch a real Prefect flow run on the session's
server. How files really arrive: copied in slowly, moved in, a whole folder dropped in,
the same bytes under another name, temporary and system files beside them, and a file
that came while the service was down.

One service serves the first five cases (a start costs a few seconds of warm-up); each
case waits for its own files and counts from where it began, so the cases do not depend on
one another's order.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.flows.conftest import flow_runs, now, prefect_api
from tests.service import RunningService, running_service, wait_for

pytestmark = pytest.mark.prefect

SETTLE_SECONDS = 0.3
"""The settle window ``running_service`` sets (ARCHIVE_SETTLE_SECONDS)."""

SLOW_CHUNKS = [
    "5月9日，市农投集团召开2023年度夏粮收购工作推进会。集团党委书记、董事长周建平出席会议并讲话。\n",
    "会议听取了各子公司关于仓储设施建设情况的汇报。\n",
    "周建平指出，今年收购任务重、时间紧，各单位要提前谋划。\n",
    "他强调，一是要加强仓容准备，二是要做好资金保障，三是要严守质量安全底线。\n",
    "集团总经理韩志远主持会议，并就抓好会议精神落实提出具体要求。\n",
    "会议要求，各单位要加快烘干塔和低温储粮库建设，确保颗粒归仓。\n",
]
LAST_CHUNK_WORD = "烘干塔"
PAUSES = [0.2, 0.25, 0.2, 0.25, 0.2]
"""Between the chunks: each shorter than the settle window, together far longer."""

MOVED = (
    "6月2日，市文旅集团召开2023年度安全生产工作会议。集团总经理罗文静主持会议。\n"
    "罗文静要求，各景区要全面排查游乐设施隐患，确保游客安全。\n"
)
FOLDER = {
    "党委会.txt": "3月6日，市供销集团召开党委会，传达学习全国两会精神。党委书记许国华主持会议。\n"
    "会议要求，各党支部要结合实际抓好学习宣传。\n",
    "集团/一季度/经营分析会.txt": "3月28日，市能源集团召开一季度经营分析会。"
    "总经理方立新出席会议并讲话。\n方立新强调，要紧盯全年目标，全力以赴稳增长。\n",
    "集团/一季度/纪要.txt": "3月15日，市能源集团召开安全环保委员会会议，研究部署汛前检查工作。"
    "副总经理曹雅琴主持会议。\n",
    "子公司/纪要.txt": "3月20日，能源集团所属热力公司召开供热季总结会。经理邓光辉作工作报告。\n"
    "会议要求，各班组要认真总结经验，做好管网检修。\n",
}
"""A folder of a month's articles; two files share a name in different subfolders."""
FOLDER_WORDS = {
    "党委会.txt": "两会精神",
    "集团/一季度/经营分析会.txt": "稳增长",
    "集团/一季度/纪要.txt": "汛前检查",
    "子公司/纪要.txt": "管网检修",
}
LATER_IN_FOLDER = "3月30日，市能源集团召开一季度党风廉政建设会议。纪委书记严晓东出席会议并讲话。\n"
NOTICE = (
    "7月11日，市港务集团召开防汛防台专题会议。董事长蒋永清主持会议并讲话。\n"
    "蒋永清要求，各单位要压实责任，做好防汛物资储备。\n"
)
ORDINARY = (
    "9月5日，市建工集团召开质量月活动动员会。总经理沈卫国出席会议并讲话。\n"
    "沈卫国要求，各项目部要把工程质量放在首位。\n"
)
JUNK_WORDS = {
    "x.part": "垃圾分类",
    "y.crdownload": "节能降耗",
    "z.tmp": "招商引资",
    "~$报告.docx": "人才引进",
    ".DS_Store": "乡村振兴",
    ".hidden.txt": "营商环境",
    "Thumbs.db": "科技创新",
}
"""Names never taken; each holds a good article, so one taken by mistake would show."""
WARM_UP = "1月4日，市交投集团召开新年第一次办公会。总经理钱明远主持会议。\n"
WHILE_DOWN = (
    "10月8日，市水投集团召开四季度重点工作部署会。董事长彭振华出席会议并讲话。\n"
    "彭振华强调，要抓紧推进水厂提标改造，确保年底前完工。\n"
)


def article(word: str) -> bytes:
    return (
        f"8月18日，市测试集团召开专题会议，研究{word}工作。总经理柏松涛主持会议。\n"
        f"柏松涛要求，各部门要把{word}工作抓实抓细。\n"
    ).encode()


# --- helpers --------------------------------------------------------------------------


def settle(service: RunningService, condition: Callable[[], bool], what: str) -> None:
    """Wait (generously) for ``condition``; on a timeout, say what the service logged."""
    try:
        wait_for(condition, 90, what)
    except AssertionError as timeout:
        log = (service.home.parent / "service.log").read_text(errors="replace")
        raise AssertionError(f"{timeout}; service.log ends:\n{log[-4000:]}") from None


def gone(*paths: Path) -> Callable[[], bool]:
    return lambda: not any(p.exists() for p in paths)


def documents(service: RunningService) -> int:
    return service.get("/health").json()["documents"]


def hits(service: RunningService, query: str) -> list[dict]:
    result = service.get("/search", q=query).json()
    assert result["total"] == len(result["hits"])
    return result["hits"]


def ledger(service: RunningService) -> list[dict]:
    path = service.home / "ingest-ledger.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def outcomes(service: RunningService, name: str) -> list[str]:
    """What the ledger says became of the files named ``name``, in order."""
    return [e["outcome"] for e in ledger(service) if e["file"] == name]


def originals(service: RunningService) -> list[Path]:
    return sorted(p for p in (service.home / "originals").rglob("*") if p.is_file())


def quarantined(service: RunningService) -> list[str]:
    folder = service.home / "quarantine"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def copy_slowly(target: Path, chunks: list[str], pauses: list[float]) -> list[float]:
    """Write ``chunks`` to ``target`` one at a time with ``pauses`` between, as a slow copy
    does; returns the pauses as they really were (for a failure's message)."""
    gaps = []
    with target.open("wb", buffering=0) as f:
        f.write(chunks[0].encode())
        for chunk, pause in zip(chunks[1:], pauses, strict=True):
            before = time.monotonic()
            time.sleep(pause)
            f.write(chunk.encode())
            gaps.append(round(time.monotonic() - before, 3))
    return gaps


# --- Prefect --------------------------------------------------------------------------


def inbox_runs(prefect_server: str, since: str) -> list[dict]:
    """The inbox's flow runs created after ``since`` (an ISO time)."""
    return flow_runs(prefect_server, since, "inbox:")


def table_rows(prefect_server: str, run: dict) -> list[dict]:
    body = {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}}
    artifacts = prefect_api("POST", f"{prefect_server}/artifacts/filter", body).json()
    return [row for a in artifacts if a["type"] == "table" for row in json.loads(a["data"])]


FINISHED = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def recorded_runs(service: RunningService, prefect_server: str, since: str) -> list[dict]:
    """The inbox's flow runs since ``since``, once each has finished."""
    settle(
        service,
        lambda: all(r["state_type"] in FINISHED for r in inbox_runs(prefect_server, since)),
        "the inbox's flow runs to finish",
    )
    return inbox_runs(prefect_server, since)


def run_outcomes(prefect_server: str, runs: list[dict]) -> dict[str, list[str]]:
    """File name → the outcomes the runs' table artifacts give it."""
    table: dict[str, list[str]] = {}
    for run in runs:
        for row in table_rows(prefect_server, run):
            table.setdefault(Path(row["file"]).name, []).append(row["outcome"])
    return table


# --- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def service(
    prefect_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningService]:
    """One ``archive run`` for the cases that need no restart."""
    with pytest.MonkeyPatch.context() as environ:
        for name in list(os.environ):  # the module outlives the per-test clean_environ
            if name.startswith("ARCHIVE_") and not name.startswith("ARCHIVE_TEST_"):
                environ.delenv(name)
        home = tmp_path_factory.mktemp("inbox-events")
        with running_service(home, PREFECT_API_URL=prefect_server) as running:
            # The first batch also pays for importing Prefect (seconds): take one file
            # first, so the cases meet a service that takes files as fast as it will.
            first = running.inbox / "预热.txt"
            first.write_bytes(WARM_UP.encode())
            settle(running, gone(first), "the first file to be taken")
            yield running
    assert running.process.returncode == 0, "SIGINT stops the service cleanly"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder on the inbox's file system, but outside it, to prepare files in."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


# --- the cases ------------------------------------------------------------------------


def test_a_file_copied_in_slowly_is_stored_once_and_whole(
    service: RunningService, prefect_server: str
) -> None:
    since, before = now(), documents(service)
    target = service.inbox / "夏粮收购.txt"
    gaps = copy_slowly(target, SLOW_CHUNKS, PAUSES)
    whole = "".join(SLOW_CHUNKS).encode()
    settle(service, gone(target), "the slowly copied file to leave the inbox")

    assert documents(service) == before + 1, f"one document, not a truncated one too {gaps=}"
    (hit,) = hits(service, LAST_CHUNK_WORD)
    record = service.get(f"/documents/{hit['id']}").json()
    assert record["source"]["filename"] == "夏粮收购.txt"
    assert record["source"]["bytes"] == len(whole)
    assert record["source"]["sha256"] == hashlib.sha256(whole).hexdigest()
    assert SLOW_CHUNKS[0].strip() in record["original_text"]
    assert SLOW_CHUNKS[-1].strip() in record["original_text"]
    assert [h["id"] for h in hits(service, "夏粮收购")] == [hit["id"]]
    # Taken once: a batch that caught the writer mid-file may only have skipped it ...
    seen = outcomes(service, "夏粮收购.txt")
    assert seen[-1:] == ["stored"] and set(seen[:-1]) <= {"skipped"}, seen
    # ... and while the writer never paused for the settle window, no batch caught it.
    if max(gaps) < SETTLE_SECONDS - 0.03:
        assert seen == ["stored"], f"taken before it had settled ({gaps=})"
    assert quarantined(service) == []

    runs = recorded_runs(service, prefect_server, since)
    assert {r["name"] for r in runs} == {"inbox: 1 file — 夏粮收购.txt"}
    assert {r["state_type"] for r in runs} == {"COMPLETED"}
    assert run_outcomes(prefect_server, runs) == {"夏粮收购.txt": seen}


def test_a_file_moved_in_is_stored(
    service: RunningService, prefect_server: str, outside: Path
) -> None:
    since, before = now(), documents(service)
    (outside / "移入.txt").write_bytes(MOVED.encode())
    os.rename(outside / "移入.txt", service.inbox / "移入.txt")
    settle(service, gone(service.inbox / "移入.txt"), "the moved file to leave the inbox")

    assert documents(service) == before + 1
    (hit,) = hits(service, "游乐设施")
    assert hit["title"] == "市文旅集团召开2023年度安全生产工作会议"
    assert outcomes(service, "移入.txt") == ["stored"]

    (run,) = recorded_runs(service, prefect_server, since)
    assert (run["name"], run["state_type"]) == ("inbox: 1 file — 移入.txt", "COMPLETED")


def test_a_folder_dropped_in_is_stored_file_by_file(
    service: RunningService, prefect_server: str, outside: Path
) -> None:
    since, before = now(), documents(service)
    staged = outside / "三月会议"
    for name, text in FOLDER.items():
        (staged / name).parent.mkdir(parents=True, exist_ok=True)
        (staged / name).write_bytes(text.encode())
    (staged / "子公司" / "空文件夹").mkdir()
    (staged / "子公司" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1\x00\x00")
    dropped = service.inbox / "三月会议"
    os.rename(staged, dropped)
    settle(service, gone(*(dropped / name for name in FOLDER)), "the folder's files to be taken")

    assert documents(service) == before + len(FOLDER)
    for name, word in FOLDER_WORDS.items():
        (hit,) = hits(service, word)
        record = service.get(f"/documents/{hit['id']}").json()
        assert record["source"]["filename"] == Path(name).name
    assert outcomes(service, "纪要.txt") == ["stored", "stored"], "same name, other folders"
    # Of the folder only the hidden file is left; the emptied folders break nothing.
    left = sorted(p.relative_to(dropped).as_posix() for p in dropped.rglob("*") if p.is_file())
    assert left == ["子公司/.DS_Store"]
    assert service.process.poll() is None

    runs = recorded_runs(service, prefect_server, since)
    assert {r["state_type"] for r in runs} == {"COMPLETED"}
    assert run_outcomes(prefect_server, runs) == {
        "党委会.txt": ["stored"],
        "经营分析会.txt": ["stored"],
        "纪要.txt": ["stored", "stored"],
    }

    # A file that lands later in one of the emptied folders (made again, should the
    # service ever prune them) is taken as well.
    later = dropped / "集团" / "一季度" / "补充.txt"
    later.parent.mkdir(parents=True, exist_ok=True)
    later.write_bytes(LATER_IN_FOLDER.encode())
    settle(service, gone(later), "a file in the emptied folder to be taken")
    assert documents(service) == before + len(FOLDER) + 1
    assert len(hits(service, "党风廉政")) == 1
    assert quarantined(service) == []


def test_the_same_bytes_under_another_name_are_a_duplicate(
    service: RunningService, prefect_server: str
) -> None:
    since = now()
    first, copy = service.inbox / "通报.txt", service.inbox / "通报-副本.txt"
    first.write_bytes(NOTICE.encode())
    settle(service, gone(first), "the first file to leave the inbox")
    before = documents(service)
    (hit,) = hits(service, "防汛物资")

    copy.write_bytes(NOTICE.encode())
    settle(service, gone(copy), "the copy to leave the inbox")

    assert documents(service) == before
    assert [h["id"] for h in hits(service, "防汛物资")] == [hit["id"]]
    assert outcomes(service, "通报.txt") == ["stored"]
    assert outcomes(service, "通报-副本.txt") == ["duplicate"]
    (event,) = [e for e in ledger(service) if e["file"] == "通报-副本.txt"]
    assert event["doc_id"] == hit["id"]
    sha256 = hashlib.sha256(NOTICE.encode()).hexdigest()
    assert [p.name for p in originals(service) if p.name.startswith(sha256)] == [f"{sha256}.txt"], (
        "the same bytes are kept once"
    )
    assert len(originals(service)) == documents(service), "one original per document"

    runs = recorded_runs(service, prefect_server, since)
    assert [(r["name"], r["state_type"]) for r in runs] == [
        ("inbox: 1 file — 通报.txt", "COMPLETED"),
        ("inbox: 1 file — 通报-副本.txt", "COMPLETED"),
    ]
    assert run_outcomes(prefect_server, runs) == {
        "通报.txt": ["stored"],
        "通报-副本.txt": ["duplicate"],
    }


def test_temporary_and_system_files_are_never_taken(
    service: RunningService, prefect_server: str
) -> None:
    since, before = now(), documents(service)
    junk = {service.inbox / name: article(word) for name, word in JUNK_WORDS.items()}
    for path, data in junk.items():
        path.write_bytes(data)
    stamps = {path: path.stat().st_mtime_ns for path in junk}
    # A file dropped after them is taken once it settles, so they have settled too.
    ordinary = service.inbox / "质量月.txt"
    ordinary.write_bytes(ORDINARY.encode())
    settle(service, gone(ordinary), "the ordinary file to leave the inbox")

    assert documents(service) == before + 1
    assert len(hits(service, "质量月")) == 1
    for path, data in junk.items():
        assert path.read_bytes() == data and path.stat().st_mtime_ns == stamps[path], path.name
    for word in JUNK_WORDS.values():
        assert hits(service, word) == [], word
    names = {e["file"] for e in ledger(service)}
    assert names.isdisjoint(JUNK_WORDS), names & set(JUNK_WORDS)
    assert quarantined(service) == []

    runs = recorded_runs(service, prefect_server, since)
    assert [(r["name"], r["state_type"]) for r in runs] == [
        ("inbox: 1 file — 质量月.txt", "COMPLETED")
    ]


def test_a_file_that_came_while_the_service_was_down_is_taken_at_start(
    prefect_server: str, tmp_path: Path
) -> None:
    with running_service(tmp_path, PREFECT_API_URL=prefect_server) as service:
        assert documents(service) == 0
    assert service.process.returncode == 0

    arrived = service.inbox / "水投部署会.txt"
    arrived.write_bytes(WHILE_DOWN.encode())
    (service.inbox / "下载中.txt.part").write_bytes(article("垃圾分类"))
    since = now()
    with running_service(tmp_path, PREFECT_API_URL=prefect_server) as service:
        settle(service, gone(arrived), "the file to be taken at start-up")
        assert documents(service) == 1
        (hit,) = hits(service, "提标改造")
        assert hit["title"].startswith("市水投集团")
        assert outcomes(service, "水投部署会.txt") == ["stored"]
        assert [p.name for p in service.inbox.iterdir()] == ["下载中.txt.part"]
        runs = recorded_runs(service, prefect_server, since)
    assert [(r["name"], r["state_type"]) for r in runs] == [
        ("inbox: 1 file — 水投部署会.txt", "COMPLETED")
    ]
    assert service.process.returncode == 0
