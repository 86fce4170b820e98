"""Opening the archive to colleagues, on the real service: an API key once it listens
beyond loopback, uploads through the inbox, the original file as a download, and /docs
without the internet."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.read.test_docx import word_file
from tests.read.test_eml import mail
from tests.read.test_zip import zip_of
from tests.service import RunningService, running_service

KEY = "test-key-0d9f2c1b7a"
AUTH = {"Authorization": f"Bearer {KEY}"}
ARTICLE = (
    "5月20日，市青禾港务集团召开2024年度安全生产工作会议。集团党委书记、董事长谭鸿飞出席会议并讲话。\n"
    "谭鸿飞要求，各码头要落实安全生产责任制，加强隐患排查。\n"
).encode("gb18030")
OTHER = "6月1日，市青禾港务集团召开党委会。总经理林海主持会议，研究防汛工作。\n".encode()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    folder = tmp_path_factory.mktemp("sharing")
    with running_service(folder, ARCHIVE_API_KEY=KEY, ARCHIVE_MAX_UPLOAD_MB="1") as running:
        yield running


def upload(service: RunningService, *files: tuple[str, bytes], auth: bool = True):
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
    return httpx.post(
        service.url + "/documents", files=parts, headers=AUTH if auth else {}, timeout=300
    )


def test_open_beyond_loopback_without_a_key_refuses_to_start(tmp_path: Path) -> None:
    env = {**os.environ, "ARCHIVE_HOME": str(tmp_path / "var"), "ARCHIVE_API_HOST": "0.0.0.0"}
    env.pop("ARCHIVE_API_KEY", None)
    archive = Path(sys.executable).with_name("archive")
    done = subprocess.run(
        [str(archive), "run"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "ARCHIVE_API_HOST=0.0.0.0" in done.stderr and "ARCHIVE_API_KEY" in done.stderr
    assert "Traceback" not in done.stderr


def test_every_request_but_health_needs_the_key(service: RunningService) -> None:
    assert service.get("/health").status_code == 200
    refused = service.get("/search", q="会议")
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert refused.json()["error"]["code"] == "unauthorized"
    wrong = httpx.get(service.url + "/search", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert httpx.get(service.url + "/search", headers=AUTH).status_code == 200
    assert upload(service, ("a.txt", OTHER), auth=False).status_code == 401
    # The shells of the page and of the docs hold no data: they ask for the key.
    assert service.get("/").status_code == 200 and service.get("/docs").status_code == 200
    schema = service.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["key"]["scheme"] == "bearer"


def test_uploads_answer_what_became_of_each_file(service: RunningService) -> None:
    results = upload(
        service,
        ("港务安全会.txt", ARTICLE),
        ("港务安全会-副本.txt", ARTICLE),
        ("空.txt", b""),
    ).json()
    assert [r["file"] for r in results] == ["港务安全会.txt", "港务安全会-副本.txt", "空.txt"]
    # The inbox takes a batch in name order: whichever came first is stored.
    assert sorted(r["outcome"] for r in results[:2]) == ["duplicate", "stored"]
    assert results[2]["outcome"] == "quarantined"
    assert results[0]["id"] == results[1]["id"] and results[0]["title"]
    assert results[2]["reason"] == "the file is empty"
    hits = httpx.get(service.url + "/search", params={"q": "隐患排查"}, headers=AUTH).json()
    assert [h["id"] for h in hits["hits"]] == [results[0]["id"]]


@pytest.mark.parametrize(
    ("sent", "saved"),
    [
        ("../../../etc/cron.d/evil.txt", "evil.txt"),
        ("C:\\Windows\\..\\会议.txt", "会议.txt"),
        (".hidden.txt", "hidden.txt"),
        ("下载中.txt.part", "下载中.txt"),
        ("a<b>|c?.txt", "a_b__c_.txt"),
        ("Thumbs.db", "upload-Thumbs.db"),
    ],
)
def test_names_from_the_client_never_choose_a_path(
    service: RunningService, sent: str, saved: str
) -> None:
    body = OTHER + saved.encode()  # new bytes each time: never a duplicate
    (result,) = upload(service, (sent, body)).json()
    assert result["saved_as"] == saved, result
    if saved.endswith(".txt"):
        assert result["outcome"] == "stored", result
    else:
        assert result["outcome"] == "quarantined" and ".db files" in result["reason"]
        return
    record = httpx.get(service.url + f"/documents/{result['id']}", headers=AUTH).json()
    assert record["source"]["filename"] == saved
    assert not (service.inbox.parent / "etc").exists()


def test_the_same_name_twice_overwrites_nothing(service: RunningService) -> None:
    first, second = upload(service, ("通知.txt", OTHER + b"1"), ("通知.txt", OTHER + b"2")).json()
    assert (first["saved_as"], second["saved_as"]) == ("通知.txt", "通知 (2).txt")
    assert (first["outcome"], second["outcome"]) == ("stored", "stored")
    assert first["id"] != second["id"]


def test_an_upload_over_the_limit_is_refused_unread(service: RunningService) -> None:
    response = upload(service, ("巨大.txt", b"x" * (2 * 2**20)))
    assert response.status_code == 413 and "ARCHIVE_MAX_UPLOAD_MB" in response.text


def test_the_original_file_as_a_download(service: RunningService) -> None:
    (result,) = upload(service, ("原件.txt", ARTICLE + b"\n")).json()
    response = httpx.get(service.url + f"/documents/{result['id']}/original", headers=AUTH)
    assert response.status_code == 200 and response.content == ARTICLE + b"\n"
    assert response.headers["content-type"] == "text/plain; charset=gb18030"
    assert "attachment" in response.headers["content-disposition"]
    assert "%E5%8E%9F%E4%BB%B6.txt" in response.headers["content-disposition"]  # 原件.txt
    missing = httpx.get(service.url + "/documents/0000000000000000/original", headers=AUTH)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_an_uploaded_email_answers_for_its_text_and_each_attachment(
    service: RunningService,
) -> None:
    word_bytes = word_file()
    bundle = zip_of({"党委会.txt": OTHER + b"\n\n"})
    message = mail(attachments={"港务安全会.docx": word_bytes, "材料.zip": bundle})
    (result,) = upload(service, ("转发：会议材料.eml", message.as_bytes())).json()
    assert result["outcome"] == "opened" and result["id"] is None
    members = [(m["member"], m["outcome"]) for m in result["members"]]
    assert members == [
        (None, "stored"),
        ("港务安全会.docx", "stored"),
        ("材料.zip/党委会.txt", "stored"),
    ]
    body, word, inside = (m["id"] for m in result["members"])
    record = httpx.get(service.url + f"/documents/{word}", headers=AUTH).json()
    assert record["source"]["container"] == {
        "filename": "转发：会议材料.eml",
        "sha256": hashlib.sha256(message.as_bytes()).hexdigest(),
        "member": "港务安全会.docx",
        "message": body,
    }
    original = httpx.get(service.url + f"/documents/{word}/original", headers=AUTH)
    assert original.content == word_bytes, "the attachment's own bytes"
    assert original.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert (
        httpx.get(service.url + f"/documents/{body}", headers=AUTH).json()["source"]["format"]
        == "eml"
    )
    assert not any(service.inbox.iterdir()), "the e-mail left the inbox"


def test_docs_are_served_by_the_archive_itself(service: RunningService) -> None:
    page = service.get("/docs").text
    assert "cdn" not in page.lower()
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/static-offline-docs/{asset}" in page
        assert service.get(f"/static-offline-docs/{asset}").status_code == 200
