"""E-mails (``.eml``): the message's own text is a document, its subject the title and its
date the publication date. Each attachment is a document of its own, linked to the
message (:func:`attachments`, expanded by :mod:`archive.read.containers`)."""

from __future__ import annotations

import datetime as dt
import email.parser
import email.policy
import email.utils
import re
from collections.abc import Iterator
from email.message import EmailMessage, Message
from pathlib import PurePath

from archive.errors import DecodeError, FileTooLarge
from archive.read.base import Decoded, Reader, extension
from archive.read.decoding import decode, decode_name
from archive.read.html import read_page

_HEADER_NAME = re.compile(rb"[\w-]+")
_MAIL_FIELDS = {b"subject", b"date", b"received", b"message-id", b"to"}


def header_names(head: bytes) -> set[bytes]:
    """The (lowercase) names of the header lines ``head`` starts with, as a MIME message
    does; empty when it does not start with one. One pass over the lines (a regular
    expression over header lines backtracks exponentially on a long header that fails)."""
    names: set[bytes] = set()
    for line in head.split(b"\n"):
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            if not names:
                return set()
            continue  # a folded header goes on
        name, colon, _ = line.partition(b":")
        if not colon or not _HEADER_NAME.fullmatch(name):
            break
        names.add(name.lower())
    return names


def looks_like_mail(head: bytes) -> bool:
    """True when ``head`` (a file's first bytes) is the header of an e-mail: who sent it,
    and at least two of subject, date, recipient, message id and relays. (A saved page
    is a MIME message too, but multipart/related: MhtReader claims it first.)"""
    names = header_names(head)
    return b"from" in names and len(names & _MAIL_FIELDS) >= 2


def is_related(head: bytes) -> bool:
    """True when the MIME message starting with ``head`` is, as a whole,
    ``multipart/related``: a saved page (a page and its images), or an HTML e-mail with
    pictures and no attachment; the name tells them apart."""
    headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(head)
    try:
        return headers.get_content_type() == "multipart/related"
    except (ValueError, LookupError):
        return False


class EmlReader(Reader):
    """An e-mail's own text (its plain-text body, else its HTML body)."""

    format = "eml"
    extensions = frozenset({".eml"})
    binary = True  # base64 attachments are not text to judge

    def score(self, filename: str, data: bytes) -> int:
        head = data[:4096]
        if looks_like_mail(head) and (extension(filename) == ".eml" or not is_related(head)):
            return 25
        return super().score(filename, data)

    def read(self, data: bytes, filename: str) -> Decoded:
        message = parse(data, filename)
        part = _body(message)
        payload = part.get_payload(decode=True) if part is not None else None
        if part is None or not isinstance(payload, bytes):
            return Decoded("", "utf-8", _subject(message), _sent(message))
        charset = part.get_content_charset()
        if part.get_content_type() == "text/html":
            page = read_page(payload, filename, charset=charset)
            text, encoding = page.text, page.encoding
        else:
            text, encoding = decode(payload, filename, declared=charset)
        return Decoded(text, encoding, _subject(message), _sent(message))


MAX_PARTS = 5000
"""Parts one message may have: parsing costs time per part, and a hostile message of
hundreds of thousands of tiny parts would take minutes."""


def parse(data: bytes, filename: str) -> EmailMessage:
    """The message in ``data``; :class:`DecodeError` when its parts nest absurdly deep,
    :class:`FileTooLarge` when it has too many to parse in reasonable time."""
    if data.count(b"\n--") > 2 * MAX_PARTS:  # each part opens with a boundary line
        raise FileTooLarge(filename, f"the e-mail has over {MAX_PARTS:,} parts")
    parser = email.parser.BytesParser(policy=email.policy.default)
    try:
        message = parser.parsebytes(data)
        # Walking makes the parser's nesting show; a billion nested parts fail here.
        sum(1 for _ in message.walk())
    except RecursionError as exc:
        raise DecodeError(filename, "the e-mail's parts are nested too deep") from exc
    assert isinstance(message, EmailMessage)
    return message


def has_text(message: EmailMessage) -> bool:
    """True when the message has a body with a letter in it (an e-mail that only carries
    attachments is not a document of its own)."""
    part = _body(message)
    if part is None:
        return False
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):  # an unknown charset, a broken part
        return True  # let the reader say what is wrong with it
    text = re.sub(r"<[^>]*>|&\w+;", "", content) if isinstance(content, str) else ""
    return any(ch.isalpha() for ch in text)


def attachments(message: EmailMessage) -> Iterator[tuple[str, bytes]]:
    """Each attachment's file name and bytes, wherever it sits in the message's tree
    (Apple Mail puts them inside the HTML alternative); a forwarded message as
    ``<subject>.eml``. The text of the message and its alternatives are not attachments,
    nor are pictures shown inside it (logos of a signature)."""
    body = _body(message)
    for n, part in enumerate(_leaves(message), 1):
        if part is body:
            continue
        try:
            kind, disposition = part.get_content_type(), part.get_content_disposition()
            name = _filename(part)
        except (IndexError, ValueError, LookupError, TypeError):  # a header the parser trips on
            kind, disposition, name = "application/octet-stream", "attachment", None
        if kind == "message/rfc822":
            (forwarded,) = part.get_payload() or [None]
            if isinstance(forwarded, Message):
                yield f"{_safe(_subject(forwarded) or f'message-{n}')}.eml", forwarded.as_bytes()
            continue
        if disposition != "attachment" and not name and kind in ("text/plain", "text/html"):
            continue  # an alternative of the text, or a text part of it
        if kind.startswith("image/") and (disposition == "inline" or part.get("Content-ID")):
            continue  # shown inside the text (a cid: picture)
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            yield _safe(name or f"attachment-{n}"), data


def _body(message: EmailMessage) -> Message | None:
    """The part that is the message's own text: plain, else HTML."""
    return message.get_body(preferencelist=("plain", "html"))


_RAW_NAME = re.compile(r'(?:^|;)\s*(?:file)?name\*?="?([^";\r\n]+)', re.I)


def _filename(part: Message) -> str | None:
    """The attachment's name; one written in raw GBK or UTF-8 bytes (as some Chinese mail
    programs do, instead of encoding it) read as such, not as replacement characters."""
    name = part.get_filename()
    if not name or "\ufffd" not in name:
        return name
    for key, value in part.raw_items():
        if key.lower() in ("content-disposition", "content-type"):
            found = _RAW_NAME.search(str(value))
            if found and not found.group(1).isascii():
                return decode_name(found.group(1).encode("utf-8", "surrogateescape"))
    return name


def _leaves(part: Message) -> Iterator[Message]:
    """The parts of the tree that are not multipart; a forwarded message is one."""
    if part.get_content_type() == "message/rfc822" or not part.is_multipart():
        yield part
        return
    for inner in part.get_payload():
        if isinstance(inner, Message):
            yield from _leaves(inner)


def sent(message: EmailMessage) -> dt.datetime | None:
    """When the message was sent (its ``Date``), in UTC."""
    try:
        when = email.utils.parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    return when.astimezone(dt.UTC) if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _sent(message: EmailMessage) -> dt.date | None:
    when = sent(message)
    return when.date() if when else None


def _subject(message: Message) -> str | None:
    try:
        subject = str(message.get("Subject", "")).strip()
    except (ValueError, LookupError):  # an undecodable encoded word
        return None
    return subject or None


def _safe(name: str) -> str:
    """An attachment's name as a file name: its last part, no line breaks."""
    name = re.sub(r"[\x00-\x1f/\\]", "_", PurePath(name.replace("\\", "/")).name).strip()
    return name[:200] or "attachment"
