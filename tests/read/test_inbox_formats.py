"""Every format dropped into the inbox of the real service (``archive run``) is found by
search: a Word file, an old Word file, a printed PDF, a saved page, a scanned page, and
the documents inside a ZIP archive and an e-mail."""

from __future__ import annotations

import base64

from tests.chromium import render
from tests.conftest import FIXTURES
from tests.read.system import require
from tests.read.test_docx import word_file
from tests.read.test_eml import mail
from tests.read.test_mht import saved_page
from tests.read.test_ocr import PAGE as SCANNED
from tests.read.test_pdf import REPORT
from tests.read.test_zip import zip_of
from tests.service import running_service, wait_for


def test_each_format_dropped_in_the_inbox_is_found(tmp_path) -> None:
    require("catdoc", "catdoc")
    require("tesseract", "tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra")
    scan = render(SCANNED, as_pdf=False)
    files = {
        "安全生产.docx": (word_file(), "压实安全生产责任", "docx"),
        "廉政会议.doc": ((FIXTURES / "read" / "meeting.doc").read_bytes(), "全面从严治党", "doc"),
        "防汛.pdf": (render(REPORT.format(), as_pdf=True), "隐患排查", "pdf"),
        "科技创新.mht": (saved_page(), "成果转化", "mht"),
        "扫描件.png": (scan, "确保安全度汛", "image"),
        "扫描件.pdf": (
            render(f'<img style="width:100%" src="data:image/png;base64,'
                   f'{base64.b64encode(scan).decode()}">', as_pdf=True),
            "确保安全度汛",  # the scanned page's words, printed into a PDF
            "pdf",
        ),
    }  # fmt: skip
    with running_service(tmp_path) as service:
        for name, (data, _, _) in files.items():
            (service.inbox / name).write_bytes(data)
        wait_for(lambda: not any(service.inbox.iterdir()), 180, "the inbox to empty")
        assert service.get("/health").json()["documents"] == len(files)
        for name, (_, words, form) in files.items():
            found = {}
            for hit in service.get("/search", q=words).json()["hits"]:
                source = service.get(f"/documents/{hit['id']}").json()["source"]
                found[source["filename"]] = source["format"]
            assert found.get(name) == form, (name, found)
        assert not (service.home / "quarantine").exists() or not any(
            (service.home / "quarantine").iterdir()
        )


def test_zip_archives_and_emails_dropped_in_the_inbox_are_found(tmp_path) -> None:
    report = "9月3日，青禾集团召开防汛工作会议。总经理常昭明主持会议。会议要求，各单位要加强巡查。"
    notice = "各单位：转发青禾集团科技创新大会报道，请结合实际抓好成果转化。办公室 约翰·米勒"
    bundle = zip_of(
        {"2024/防汛会议.txt": report.encode("gb18030"), "2024/安全生产.docx": word_file()}
    )
    message = mail(notice, attachments={"科技创新.mht": saved_page()})
    with running_service(tmp_path) as service:
        (service.inbox / "会议材料.zip").write_bytes(bundle)
        (service.inbox / "转发.eml").write_bytes(message.as_bytes())
        wait_for(lambda: not any(service.inbox.iterdir()), 120, "the inbox to empty")
        assert service.get("/health").json()["documents"] == 4
        found = {}
        for words in ("加强巡查", "压实安全生产责任", "成果转化"):
            for hit in service.get("/search", q=words).json()["hits"]:
                source = service.get(f"/documents/{hit['id']}").json()["source"]
                container = source["container"] or {}
                found[source["filename"]] = (container.get("filename"), container.get("member"))
        assert found == {
            "防汛会议.txt": ("会议材料.zip", "2024/防汛会议.txt"),
            "安全生产.docx": ("会议材料.zip", "2024/安全生产.docx"),
            "科技创新.mht": ("转发.eml", "科技创新.mht"),
            "转发.eml": (None, None),
        }
