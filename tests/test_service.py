"""End to end: the real service, a real inbox folder, the real HTTP API."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import httpx
import pytest

from archive.backends.sqlite import SqliteBackend
from archive.check import check
from tests.service import (
    RunningService,
    children_of,
    running_service,
    still_running,
    wait_for,
)

ARTICLE = (
    "1月12日-13日，市城建集团召开2022年度工作会议。集团党委书记、董事长王立民出席会议并讲话，"
    "党委副书记、总经理李向东主持会议。\n"
    "王立民强调，要重点做好三个方面的工作：一是抓项目，二是抓改革，三是抓党建。\n"
)
TRADITIONAL = (
    "3月5日，市交投集團召開黨委會，研究疫情防控工作。集團總經理趙海峰主持會議。\n"
    "會議要求，各單位要堅決落實防控措施。\n"
)
HTML = (
    "<html><head><meta charset='utf-8'><title>市水务集团召开安全生产推进会</title></head>"
    "<body><nav>首页 | 新闻</nav><article><h1>市水务集团召开安全生产推进会</h1>"
    "<p>2022年4月8日，市水务集团召开安全生产推进会。总经理孙明远出席会议并讲话。</p>"
    "<p>孙明远要求，各单位要把安全生产放在首位，切实抓好隐患排查整治工作。</p>"
    "</article></body></html>"
)


SLOW_LINE = "5月9日，市青禾集团召开安全生产工作会议，集团董事长柏松涛出席会议并讲话。\n"
"""Repeated, a compilation naming one chairman on every line: slow to extract."""


def drop(inbox: Path, name: str, data: bytes) -> None:
    """Write under a temporary name first, as a careful copier would, then rename."""
    temporary = inbox / f"{name}.part"
    temporary.write_bytes(data)
    temporary.rename(inbox / name)


def test_drop_files_and_find_them(tmp_path: Path) -> None:
    with running_service(tmp_path) as service:
        inbox = service.inbox
        drop(inbox, "城建会议.txt", ARTICLE.encode("utf-8"))
        drop(inbox, "城建会议-副本.txt", ARTICLE.encode("utf-8"))
        drop(inbox, "交投党委会.txt", TRADITIONAL.encode("big5"))
        drop(inbox, "城建会议gb.txt", ("转载：" + ARTICLE).encode("gb18030"))
        drop(inbox, "水务.html", HTML.encode("utf-8"))
        drop(inbox, "garbage.txt", bytes(range(256)) * 8)
        drop(inbox, "empty.txt", b"")
        drop(inbox, "scan.pdf", b"%PDF-1.4 not really")

        wait_for(lambda: not any(inbox.iterdir()), 60, "the inbox to empty")
        assert service.process.poll() is None, "the service keeps running"

        health = service.get("/health").json()
        assert health == {"backend": "tantivy", "documents": 4}

        result = service.get("/search", q="党建").json()
        assert result["total"] == 2
        assert {h["title"] for h in result["hits"]} >= {"市城建集团召开2022年度工作会议"}

        # Traditional text is found by a simplified query and the reverse.
        simplified = service.get("/search", q="党委会").json()["hits"]
        traditional = service.get("/search", q="黨委會").json()["hits"]
        assert [h["id"] for h in simplified] == [h["id"] for h in traditional]
        assert len(simplified) == 1 and simplified[0]["title"] == "市交投集團召開黨委會"
        in_simplified = service.get("/search", q="党委会", script="simplified").json()["hits"]
        assert in_simplified[0]["title"] == "市交投集团召开党委会"
        html_hits = service.get("/search", q="隐患排查").json()["hits"]
        assert [h["title"] for h in html_hits] == ["市水务集团召开安全生产推进会"]

        everything = service.get("/search", q="").json()
        assert everything["total"] == 4
        persons = {f["value"]: f["count"] for f in everything["facets"]["person"]}
        assert persons.get("王立民") == 2

        # Directives: 王立民's three items (twice: the GB18030 repost is its own document),
        # 会议's requirement from the traditional article, 孙明远's from the HTML page.
        directives = service.get("/directives", q="").json()
        speakers = {f["value"]: f["count"] for f in directives["facets"]["speaker"]}
        assert speakers == {"王立民": 2, "会议": 1, "孙明远": 1}
        (meeting,) = service.get("/directives", q="防控措施").json()["hits"]
        assert meeting["directive"]["text"] == "各单位要坚决落实防控措施"
        # No year is stated: it is the file's modification time's, and says so.
        assert meeting["meeting"] == "党委会" and meeting["date"].endswith("-03-05")
        assert meeting["year_source"] == "modified"
        items = service.get("/directives", speaker="王立民").json()["hits"][0]["directive"]
        assert items["items"] == ["抓项目", "抓改革", "抓党建"]
        download = service.get("/directives", format="csv")
        assert download.headers["content-type"].startswith("text/csv")
        assert download.text.startswith("\ufeffdate,year_source,speaker,")
        assert "孙明远" in download.text
        jsonl = service.get("/directives", format="jsonl", speaker="孙明远").text.splitlines()
        assert [json.loads(line)["directive"]["speaker"] for line in jsonl] == ["孙明远"]

        doc_id = html_hits[0]["id"]
        record = service.get(f"/documents/{doc_id}").json()
        assert record["source"]["format"] == "html"
        assert "首页" not in record["text"], "the site's menu is not article text"
        assert record["date"] == "2022-04-08"
        assert service.get("/documents/ffffffffffffffff").status_code == 404

        quarantine = service.home / "quarantine"
        quarantined = sorted(p.name for p in quarantine.iterdir() if not p.name.endswith(".json"))
        assert quarantined == ["empty.txt", "garbage.txt", "scan.pdf"]
        for name in quarantined:
            report = json.loads((quarantine / f"{name}.error.json").read_text("utf-8"))
            assert report["reason"] and report["stage"] == "read"
        originals = [p for p in (service.home / "originals").rglob("*") if p.is_file()]
        assert len(originals) == 4, "the duplicate is kept once"

        # Later arrivals are taken too, and the same bytes again change nothing.
        drop(inbox, "again.txt", ARTICLE.encode("utf-8"))
        wait_for(lambda: not any(inbox.iterdir()), 30, "the duplicate to leave the inbox")
        assert service.get("/health").json()["documents"] == 4

    assert service.process.returncode == 0, "SIGINT stops the service cleanly"


def test_api_errors_have_one_shape(tmp_path: Path) -> None:
    with running_service(tmp_path) as service:
        response = service.get("/search", q="x", limit=9999)
        assert response.status_code == 400
        assert set(response.json()["error"]) == {"code", "message"}
        assert "limit" in response.json()["error"]["message"]
        response = service.get("/documents/nope")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        for path, status in (("/no/such/page", 404),):
            response = service.get(path)
            assert response.status_code == status
            assert set(response.json()["error"]) == {"code", "message"}
        response = httpx.post(service.url + "/search")
        assert (
            response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"
        )
        response = service.get("/search", q=" ".join(["会议"] * 40))
        assert response.status_code == 400 and "at most 32" in response.json()["error"]["message"]
        response = service.get("/directives", format="xml")
        assert response.status_code == 400 and "format" in response.json()["error"]["message"]
        response = service.get("/directives", format="csv", q=" ".join(["会议"] * 40))
        assert response.status_code == 400 and response.json()["error"]["code"] == "bad_query"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_busy_service_stops_within_10_s_and_loses_nothing(
    tmp_path: Path, sig: signal.Signals
) -> None:
    FILES = 200  # noqa: N806 - four batches of 50
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    body = "".join(
        f"第{k}项，市城建集团第{k}工程处汇报了进度，李向东要求抓紧推进。\n" for k in range(60)
    )
    for n in range(FILES):
        text = f"{n % 28 + 1}日，市城建集团召开第{n}次调度会，编号sig{n:03d}x。\n{body}"
        (inbox / f"调度会{n:03d}.txt").write_text(text, encoding="utf-8")
    # A compilation that takes minutes to extract, in the batch in progress at the signal.
    (inbox / "汇编.txt").write_text(SLOW_LINE * 40_000, encoding="utf-8")
    with running_service(tmp_path, ARCHIVE_FILE_TIMEOUT_SECONDS="600") as service:
        wait_for(lambda: service.get("/health").json()["documents"] > 0, 60, "a first document")
        children = children_of(service.process.pid)
        assert children, "the extraction workers"
        service.process.send_signal(sig)
        # The goal is a stop within 10 s whatever is in flight (here about 1 s).
        assert service.process.wait(10) == 0, (tmp_path / "service.log").read_text()
    # multiprocessing's resource tracker leaves when it sees its parent's pipe close
    wait_for(lambda: not still_running(children), 5, "no worker left behind")
    stored = SqliteBackend(service.home / "archive.sqlite3")
    try:
        waiting = sorted(p.name for p in inbox.iterdir())
        assert "汇编.txt" in waiting, "the file being extracted stays for the next start"
        assert stored.count() + len(waiting) == FILES + 1, "every file is stored or waiting"
        assert 0 < stored.count() < FILES, "stopped part-way (else this test proves nothing)"
        assert check(stored, service.home / "originals", service.home / "quarantine") == []
    finally:
        stored.close()
    (inbox / "汇编.txt").unlink()
    with running_service(tmp_path) as again:
        wait_for(lambda: not any(inbox.iterdir()), 60, "the rest to be taken")
        assert again.get("/health").json()["documents"] == FILES


def test_a_slow_file_does_not_hold_up_the_next_and_is_quarantined_at_its_budget(
    tmp_path: Path,
) -> None:
    # About 45 s of extraction here, cut at 20 s: a file stuck behind it would be found
    # 18 s after it was dropped at the earliest, against about 1 s when it is not.
    with running_service(tmp_path, ARCHIVE_FILE_TIMEOUT_SECONDS="20") as service:
        drop(service.inbox, "汇编.txt", (SLOW_LINE * 100_000).encode("utf-8"))
        time.sleep(1.5)  # taken by a worker
        drop(service.inbox, "会议.txt", ARTICLE.encode("utf-8"))
        wait_for(lambda: found(service, "王立民"), 10, "the file dropped after the slow one")
        assert (service.inbox / "汇编.txt").exists(), "the slow one is still being extracted"
        report = service.home / "quarantine" / "汇编.txt.error.json"
        wait_for(report.exists, 60, "the slow file's quarantine")
        assert json.loads(report.read_text())["reason"] == "took longer than 20 s"
        drop(service.inbox, "会议2.txt", TRADITIONAL.encode("utf-8"))
        wait_for(lambda: found(service, "赵海峰"), 20, "a file taken by the new worker")


def found(service: RunningService, query: str) -> bool:
    return service.get("/search", q=query).json()["total"] == 1


def test_a_file_over_the_size_limit_is_quarantined_unread(tmp_path: Path) -> None:
    with running_service(tmp_path, ARCHIVE_MAX_FILE_MB="0.5") as service:
        drop(service.inbox, "大文件.txt", (SLOW_LINE * 8_000).encode("utf-8"))
        report = service.home / "quarantine" / "大文件.txt.error.json"
        wait_for(report.exists, 10, "the quarantine")
        reason = json.loads(report.read_text())["reason"]
        assert "over the limit of 0.5 MB (ARCHIVE_MAX_FILE_MB)" in reason
        assert (service.home / "quarantine" / "大文件.txt").stat().st_size > 2**19, "kept whole"


def test_ingestion_goes_on_while_elasticsearch_is_down_and_catches_up(tmp_path: Path) -> None:
    # The cluster is the loopback stand-in of tests/backends/fake_elasticsearch.py: no
    # Elasticsearch can run here. It answers 503 until it "comes back".
    from tests.backends.fake_elasticsearch import FakeElasticsearch

    with FakeElasticsearch() as cluster:
        cluster.down = True
        with running_service(tmp_path, ARCHIVE_ES_URL=cluster.url) as service:
            drop(service.inbox, "工作会议.txt", ARTICLE.encode("utf-8"))
            wait_for(lambda: not any(service.inbox.iterdir()), 30, "the file to be taken")
            assert service.get("/health").json()["documents"] == 1
            answer = service.get("/search", q="城建")
            assert answer.status_code == 503
            assert answer.json()["error"]["code"] == "backend_unavailable"
            assert cluster.documents_in("archive") == {}

            cluster.down = False
            wait_for(lambda: len(cluster.documents_in("archive")) == 1, 30, "the catch-up")
            assert len(cluster.documents_in("archive-directives")) == 1
        log = (tmp_path / "service.log").read_text()
        assert "documents wait" in log and "sent 1 waiting documents" in log
