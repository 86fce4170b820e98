"""E-mails: the message's own text is a document, each attachment another, linked to it."""

from __future__ import annotations

import datetime as dt
import hashlib
from email.message import EmailMessage

from archive.read import read_bytes
from archive.read.containers import unpack
from archive.read.eml import looks_like_mail
from archive.records import document_id
from tests.read.test_mht import saved_page
from tests.read.test_zip import ARTICLE, zip_of

NOTICE = "各单位：现将青禾集团安全生产工作会议报道转发给你们，请认真学习。办公室 林海"


def mail(
    body: str | None = NOTICE,
    *,
    attachments: dict[str, bytes] | None = None,
    html: bool = False,
    charset: str = "utf-8",
) -> EmailMessage:
    """An e-mail as a mail program writes it, with ``attachments`` (name → bytes)."""
    message = EmailMessage()
    message["From"] = "林海 <linhai@qinghe.example.cn>"
    message["To"] = "all@qinghe.example.cn"
    message["Subject"] = "转发：安全生产工作会议报道"
    message["Date"] = "Tue, 02 Mar 2021 09:30:00 +0800"
    if body is not None and html:
        message.set_content(f"<html><body><p>{body}</p></body></html>", subtype="html")
    elif body is not None:
        message.set_content(body, charset=charset, cte="base64")
    for name, data in (attachments or {}).items():
        if name.endswith(".txt"):
            message.add_attachment(data, "text", "plain", filename=name)
        else:
            message.add_attachment(data, "application", "octet-stream", filename=name)
    return message


def test_the_message_text_is_a_document() -> None:
    raw = read_bytes(mail(charset="gb18030").as_bytes(), "通知.eml")
    assert raw.format == "eml" and raw.encoding == "gb18030"
    assert raw.text.strip() == NOTICE
    assert raw.title == "转发：安全生产工作会议报道" and raw.published == dt.date(2021, 3, 2)
    html = read_bytes(mail(html=True).as_bytes(), "通知.eml")
    assert NOTICE in html.text and "<p>" not in html.text


def test_an_email_is_known_by_its_content() -> None:
    assert read_bytes(mail().as_bytes(), "通知.txt").format == "eml"
    assert not looks_like_mail(b"From the desk of the editor: notes\n")
    assert read_bytes(saved_page(), "页面.txt").format == "mht", "a saved page stays a page"


def test_attachments_are_members_linked_to_their_message() -> None:
    data = mail(attachments={"报道.txt": ARTICLE, "材料.zip": zip_of({"纪要.txt": ARTICLE + b"1"})})
    unpacked = unpack(data.as_bytes(), "通知.eml")
    assert unpacked is not None and unpacked.body, "the message has text of its own"
    message_id = document_id(unpacked.sha256)
    by_path = {m.container.member: m for m in unpacked.members}
    assert set(by_path) == {"报道.txt", "材料.zip/纪要.txt"}
    assert by_path["报道.txt"].data == ARTICLE
    assert {m.container.message for m in unpacked.members} == {message_id}
    assert by_path["报道.txt"].modified == dt.datetime(2021, 3, 2, 1, 30, tzinfo=dt.UTC)


def test_a_message_that_only_carries_attachments_is_not_a_document_itself() -> None:
    unpacked = unpack(mail(body=None, attachments={"报道.txt": ARTICLE}).as_bytes(), "通知.eml")
    assert unpacked is not None and not unpacked.body
    assert [m.container.message for m in unpacked.members] == [None]


def test_a_message_without_attachments_is_a_plain_document() -> None:
    assert unpack(mail().as_bytes(), "通知.eml") is None


def test_pictures_in_the_body_are_not_attachments() -> None:
    message = mail(html=True)
    logo = b"\x89PNG\r\n\x1a\n"
    message.get_body().add_related(logo, "image", "png", cid="<logo>", filename="logo.png")
    message.add_attachment(ARTICLE, "text", "plain", filename="报道.txt")
    unpacked = unpack(message.as_bytes(), "通知.eml")
    assert unpacked is not None
    assert [m.container.member for m in unpacked.members] == ["报道.txt"]


def test_a_forwarded_message_is_a_document_with_its_own_attachments() -> None:
    forwarded = mail("转发一份会议报道，请查收。", attachments={"报道.txt": ARTICLE})
    outer = mail()
    outer.add_attachment(forwarded)
    unpacked = unpack(outer.as_bytes(), "通知.eml")
    assert unpacked is not None
    inner_name = "转发：安全生产工作会议报道.eml"
    by_path = {m.container.member: m for m in unpacked.members}
    assert set(by_path) == {inner_name, f"{inner_name}/报道.txt"}
    inner = by_path[inner_name]
    assert read_bytes(inner.data, inner.filename).text.strip() == "转发一份会议报道，请查收。"
    linked = by_path[f"{inner_name}/报道.txt"].container.message
    assert linked == document_id(hashlib.sha256(inner.data).hexdigest()), "to its own message"


def test_attachments_anywhere_in_the_tree_are_found() -> None:
    # Apple Mail: alternative > [plain, mixed > [html, attachment]]; and a mixed in a mixed.
    apple = mail()
    apple.add_alternative("<p>请查收</p>", subtype="html")
    html = apple.get_payload()[1]
    html.add_attachment(ARTICLE, "text", "plain", filename="报道.txt")
    unpacked = unpack(apple.as_bytes(), "通知.eml")
    assert unpacked is not None
    assert [m.container.member for m in unpacked.members] == ["报道.txt"]
    inner = mail(attachments={"内.txt": ARTICLE})
    outer = mail(attachments={"外.txt": ARTICLE + b"2"})
    outer.get_payload()[0].make_mixed()
    outer.get_payload()[0].attach(inner.get_payload()[1])
    unpacked = unpack(outer.as_bytes(), "通知.eml")
    assert unpacked is not None
    assert sorted(m.container.member for m in unpacked.members) == ["内.txt", "外.txt"]


def test_a_long_header_that_is_no_mail_is_judged_in_one_pass() -> None:
    # A regular expression over these lines once backtracked for hours.
    head = b"".join(b"X-Header-%d: value value value\r\n" % n for n in range(120))
    assert not looks_like_mail(head + b"\r\nbody")
    assert looks_like_mail(head + b"From: a@b.cn\r\nSubject: x\r\nDate: y\r\n\r\n")


def test_an_attachment_named_in_raw_gbk_keeps_its_name() -> None:
    # Some Chinese mail programs write the name's GBK bytes instead of encoding them.
    name = "会议纪要.txt".encode("gbk")
    message = (
        b"From: a@qinghe.example.cn\r\nTo: b@qinghe.example.cn\r\nSubject: x\r\n"
        b"Date: Mon, 1 Jan 2024 00:00:00 +0800\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + NOTICE.encode() + b"\r\n--B\r\n"
        b'Content-Type: text/plain; name="' + name + b'"\r\n'
        b'Content-Disposition: attachment; filename="'
        + name
        + b'"\r\n\r\n'
        + ARTICLE
        + b"\r\n--B--\r\n"
    )
    unpacked = unpack(message, "通知.eml")
    assert unpacked is not None
    assert [m.container.member for m in unpacked.members] == ["会议纪要.txt"]
