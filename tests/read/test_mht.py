"""Saved pages (.mht/.mhtml), written here with the email package as browsers save them:
a MIME message whose HTML part, in quoted-printable GB18030, is the article."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP

import pytest

from archive.errors import DecodeError
from archive.read import read_bytes

ADDRESS = "https://www.qinghe-group.example/news/2024/0611/index.html"
PAGE = """<html><head><meta charset="gb2312">
<title>市青禾集团召开2024年度科技创新大会 - 青禾集团</title></head><body>
<nav>首页 | 新闻</nav><article><h1>市青禾集团召开2024年度科技创新大会</h1>
<p>6月11日，市青禾集团召开2024年度科技创新大会。集团党委书记、董事长柏松涛出席会议并讲话。</p>
<p>柏松涛要求，各单位要加大研发投入，加快成果转化。</p></article></body></html>"""


def saved_page(*, with_html: bool = True) -> bytes:
    message = EmailMessage()
    message["Subject"] = "市青禾集团召开2024年度科技创新大会"
    message["Snapshot-Content-Location"] = ADDRESS
    message["MIME-Version"] = "1.0"
    message.make_related()
    if with_html:
        message.add_related(
            PAGE.encode("gb18030"), "text", "html", cte="quoted-printable",
            params={"charset": "gb2312"}, headers=[f"Content-Location: {ADDRESS}"],
        )  # fmt: skip
    message.add_related(b"\x89PNG\r\n\x1a\n" + bytes(64), "image", "png", cte="base64")
    return message.as_bytes(policy=SMTP)


def test_a_saved_page_reads_as_its_article() -> None:
    raw = read_bytes(saved_page(), "科技创新大会.mht")
    assert raw.format == "mht" and raw.encoding == "gb18030"
    assert raw.title == "市青禾集团召开2024年度科技创新大会"
    assert "董事长柏松涛出席会议并讲话" in raw.text
    assert "首页" not in raw.text
    assert raw.address == ADDRESS


def test_by_content_whatever_its_name() -> None:
    assert read_bytes(saved_page(), "科技创新大会.doc").format == "mht"


def test_a_saved_page_without_a_page() -> None:
    with pytest.raises(DecodeError, match="no HTML part"):
        read_bytes(saved_page(with_html=False), "空.mhtml")
