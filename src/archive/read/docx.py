"""Word files (``.docx``, Word 2007 and later): the body's paragraphs and tables in
reading order. Page headers and footers (letterheads, page numbers) are left out of the
text: they repeat on every page and are not the article.

A .docx is a ZIP of XML parts. Only ``word/document.xml`` (and ``docProps/core.xml`` for
the title) is read, through a bounded decompression and an XML parser that expands no
entities, so a zip bomb or a billion-laughs part is refused quickly."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from lxml import etree

from archive.errors import DecodeError, FileTooLarge
from archive.read.base import Decoded, Reader
from archive.read.zip import DAMAGED, directory, is_zip

MAX_PART_BYTES = 64 * 2**20
"""The most a Word file's text part may decompress to (the XML of ~10,000 pages)."""
MAX_RATIO = 200
"""How many times its compressed size a part may grow: Word's XML compresses 5-30
times; a zip bomb compresses thousands of times."""

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_BODY = "word/document.xml"
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


class DocxReader(Reader):
    """A Word 2007+ document's body text, tables included, in reading order."""

    format = "docx"
    extensions = frozenset({".docx", ".docm"})
    binary = True

    def score(self, filename: str, data: bytes) -> int:
        if is_zip(data) and _BODY.encode() in data and _BODY in (directory(data) or [_BODY]):
            return 30  # a Word file by content (or a damaged one), whatever its name
        return super().score(filename, data)

    def read(self, data: bytes, filename: str) -> Decoded:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                body = _part(package, _BODY, filename)
                if body is None:
                    raise DecodeError(filename, "the file is a ZIP archive but not a Word document")
                core = _part(package, "docProps/core.xml", filename)
        except DAMAGED as exc:
            raise DecodeError(filename, f"the Word file is damaged ({exc})") from exc
        text = "\n".join(_lines(_xml(body, filename).find(f"{_W}body")))
        title = None
        if core is not None:
            title = (_xml(core, filename).findtext(_DC_TITLE) or "").strip() or None
        return Decoded(text, "utf-8", title=title)


def _part(package: zipfile.ZipFile, name: str, filename: str) -> bytes | None:
    """A part's bytes, decompressed within the bounds; None when the part is absent."""
    try:
        info = package.getinfo(name)
    except KeyError:
        return None
    with package.open(info) as stream:
        data = stream.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise FileTooLarge(
            filename, f"the Word file's {name} decompresses to over {MAX_PART_BYTES >> 20} MB"
        )
    if len(data) > 2**20 and len(data) > MAX_RATIO * max(info.compress_size, 1):
        raise FileTooLarge(
            filename,
            f"the Word file's {name} decompresses {len(data) // max(info.compress_size, 1)}"
            " times its size: a zip bomb, not a document",
        )
    return data


def _xml(data: bytes, filename: str) -> etree._Element:
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise DecodeError(filename, "the Word file's XML declares entities, which Word never does")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DecodeError(filename, f"the Word file's XML is damaged ({exc})") from exc


def _lines(container: etree._Element | None) -> Iterator[str]:
    """The text of each paragraph under ``container``, tables row by row and cell by
    cell; content controls and tracked insertions are read through, deletions not."""
    if container is None:
        return
    for child in container:
        if child.tag == f"{_W}p":
            yield _paragraph(child)
        elif child.tag == f"{_W}tbl":
            for row in child.findall(f"{_W}tr"):
                for cell in row.findall(f"{_W}tc"):
                    yield from _lines(cell)
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _lines(child)  # an sdt's properties hold no paragraph: skipped


def _paragraph(paragraph: etree._Element) -> str:
    out = []
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            out.append(node.text or "")
        else:
            out.append("\t" if node.tag == f"{_W}tab" else "\n")
    return "".join(out)
