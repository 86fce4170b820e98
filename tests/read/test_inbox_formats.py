"""Every format dropped into the inbox of the real service (``archive run``) is found by
search: a Word file, an old Word file, a printed PDF, a saved page and a scanned page."""

from __future__ import annotations

import base64

from tests.chromium import render
from tests.conftest import FIXTURES
from tests.read.system import require
from tests.read.test_docx import word_file
from tests.read.test_mht import saved_page
from tests.read.test_ocr import PAGE as SCANNED
from tests.read.test_pdf import REPORT
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
