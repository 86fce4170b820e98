"""Saved web pages (``.mht``/``.mhtml``, "Web archive, single file"): a MIME message whose
first HTML part is the page; its images and styles are other parts and are left alone."""

from __future__ import annotations

import email.parser
import email.policy
from dataclasses import replace
from email.message import EmailMessage

from archive.errors import DecodeError
from archive.read.base import Decoded, Reader, extension
from archive.read.eml import header_names, is_related
from archive.read.html import read_page


class MhtReader(Reader):
    """A saved page: the article of its HTML part, and the address it was saved from."""

    format = "mht"
    extensions = frozenset({".mht", ".mhtml"})
    binary = True  # base64 parts and the images beside them are not text to judge

    def score(self, filename: str, data: bytes) -> int:
        head = data[:4096]
        mime = b"mime-version" in header_names(head)
        if mime and extension(filename) != ".eml" and is_related(head):
            return 30
        return super().score(filename, data)

    def read(self, data: bytes, filename: str) -> Decoded:
        parser = email.parser.BytesParser(policy=email.policy.default)
        try:
            message = parser.parsebytes(data)
            page = _html_part(message)
        except RecursionError as exc:
            raise DecodeError(filename, "the saved page's parts are nested too deep") from exc
        if page is None:
            raise DecodeError(filename, "the saved page holds no HTML part")
        payload = page.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            raise DecodeError(filename, "the saved page's HTML part is empty")
        decoded = read_page(payload, filename, charset=page.get_content_charset())
        saved = message.get("Snapshot-Content-Location") or page.get("Content-Location") or ""
        saved_from = str(saved).strip()  # a long header is folded onto its next line
        if decoded.address is None and saved_from.startswith("http"):
            decoded = replace(decoded, address=saved_from)
        return decoded


def _html_part(message: EmailMessage) -> EmailMessage | None:
    """The page: the part the message names as its start, else its first HTML part."""
    parts = [part for part in message.walk() if not part.is_multipart()]
    html = [part for part in parts if part.get_content_type() == "text/html"]
    start = message.get_param("start")
    if isinstance(start, str):
        for part in html:
            if part.get("Content-ID") == start:
                return part
    return html[0] if html else None
