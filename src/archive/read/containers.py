"""Containers: a ZIP archive, or an e-mail with attachments, holds documents. The read
stage opens one into its members (:func:`unpack`), and each member is read like a file
of its own, with the container and its path inside recorded
(:class:`~archive.records.Container`). An e-mail is also a document itself (its text).

Bounds, for a container and those inside it together, judged before anything large is
decompressed: at most :data:`MAX_MEMBERS` files, each within the file size limit
(``ARCHIVE_MAX_FILE_MB``), all together within :data:`TOTAL_TIMES` that limit, none
growing more than :data:`MAX_RATIO` times its compressed size, and containers nested at
most :data:`MAX_DEPTH` deep. A container past a bound is refused whole (and quarantined
whole, so nothing is lost); a container nested deeper becomes a member that is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path, PurePosixPath
from typing import Literal

from archive.errors import DecodeError, EmptyDocument, FileTooLarge, IngestError
from archive.read import load, pick_reader
from archive.read import zip as zip_format
from archive.read.base import extension
from archive.read.eml import EmlReader, attachments, has_text, looks_like_mail, parse, sent
from archive.read.zip import ZipReader
from archive.records import Container, document_id

MAX_MEMBERS = 1000
"""Files one container may hold, those inside the containers in it included."""
MAX_DEPTH = 2
"""How deep containers may nest: a ZIP inside a ZIP (or an e-mail's attached ZIP) is
opened; a container inside that is not (it is quarantined as a member)."""
MAX_RATIO = 200
"""How many times its compressed size a member may grow (documents compress 2-30
times; a zip bomb, thousands)."""
RATIO_FROM = 256 * 1024
"""Members smaller than this are not judged by their ratio alone (a short text of
repeated lines compresses well); all the members together always are."""
TOTAL_TIMES = 8
"""The members of a container together may hold this many times the file size limit."""
UNSET_LIMIT = 64 * 2**20
"""The file size limit where no setting gives one (``archive extract``)."""


@dataclass(frozen=True)
class Member:
    """A document-to-be found inside a container."""

    container: Container
    data: bytes
    modified: dt.datetime | None = None
    """The member's own time (a ZIP entry's), or the e-mail's sending time."""
    error: IngestError | None = None
    """Why the member cannot be read, known when opening (a container nested too deep)."""

    @property
    def filename(self) -> str:
        """The member's own name (``纪要.docx`` for ``2021/纪要.docx``)."""
        return PurePosixPath(self.container.member).name


@dataclass(frozen=True)
class Unpacked:
    """What a container holds."""

    sha256: str
    members: list[Member]
    body: bool
    """True when the file is a document itself too (an e-mail with text of its own)."""


def might_contain(filename: str, head: bytes) -> bool:
    """Whether a file could be a container, from its name and its first 4 KB: only such
    a file is read whole before its turn (:func:`unpack`)."""
    return (
        extension(filename) in (".zip", ".eml") or zip_format.is_zip(head) or looks_like_mail(head)
    )


def open_file(path: Path, max_bytes: int | None = None) -> Unpacked | None:
    """The members of the container file at ``path``; None when it is not one (only its
    first 4 KB are read then). Errors name the full path."""
    try:
        with Path(path).open("rb") as f:
            head = f.read(4096)
    except OSError:
        return None  # reading it will say why
    if not might_contain(Path(path).name, head):
        return None
    data, _ = load(path, max_bytes)
    try:
        return unpack(data, Path(path).name, max_bytes=max_bytes)
    except IngestError as error:
        raise type(error)(path, error.reason) from None


def unpack(data: bytes, filename: str, *, max_bytes: int | None = None) -> Unpacked | None:
    """The members of the container in ``data`` (a file named ``filename``); None when
    it is not a container (an e-mail without attachments is a plain document). Raises an
    :class:`IngestError` when it is damaged or past a bound."""
    kind = kind_of(filename, data)
    if kind is None:
        return None
    sha256 = hashlib.sha256(data).hexdigest()
    opening = _Opening(filename, sha256, max_bytes)
    if kind == "zip":
        opening.zip(data, "", depth=1, message=None)
        if not opening.members:
            raise EmptyDocument(filename, "the ZIP archive holds no files")
        return Unpacked(sha256, opening.members, body=False)
    mail = parse(data, filename)
    body = has_text(mail)
    opening.attachments(mail, "", depth=1, message=document_id(sha256) if body else None)
    if not opening.members:
        return None
    return Unpacked(sha256, opening.members, body=body)


def kind_of(filename: str, data: bytes) -> Literal["zip", "eml"] | None:
    """``zip`` or ``eml`` for the bytes of a container, else None (an e-mail without
    attachments is a container too here: :func:`unpack` says it holds nothing)."""
    try:
        reader = pick_reader(filename, data)
    except IngestError:
        return None
    if isinstance(reader, ZipReader):
        # An Office file or e-book named .zip is one document, not an archive of them.
        return None if zip_format.is_package(data) else "zip"
    return "eml" if isinstance(reader, EmlReader) else None


def _size(count: int) -> str:
    """``3.2 MB``, ``640 KB``, ``800 bytes``."""
    if count >= 2**20:
        return f"{count / 2**20:.1f} MB"
    return f"{count / 1024:.0f} KB" if count >= 1024 else f"{count} bytes"


@dataclass
class _Opening:
    """One container being opened, with the bounds its members share."""

    filename: str
    sha256: str
    max_bytes: int | None
    members: list[Member] = field(default_factory=list)
    count: int = 0
    total: int = 0
    compressed: int = 0

    def zip(self, data: bytes, prefix: str, depth: int, message: str | None) -> None:
        archive, entries = zip_format.entries(data, self._name(prefix))
        with archive:
            for entry in entries:
                self._judge(prefix + entry.path, entry.size, entry.compressed)
            for entry in entries:
                path = prefix + entry.path
                try:
                    member = zip_format.extract(archive, entry, self._name(prefix))
                except DecodeError as error:  # this file is damaged, not the others
                    container = self._container(path, message)
                    self.members.append(Member(container, b"", entry.modified, error=error))
                    continue
                self._add(path, member, entry.modified, depth, message)

    def attachments(self, mail: EmailMessage, prefix: str, depth: int, message: str | None) -> None:
        when = sent(mail)
        for name, attached in attachments(mail):
            self._judge(prefix + name, len(attached), None)
            self._add(prefix + name, attached, when, depth, message)

    def _add(
        self, path: str, data: bytes, modified: dt.datetime | None, depth: int, message: str | None
    ) -> None:
        container = self._container(path, message)
        kind = kind_of(PurePosixPath(path).name, data)
        if kind is None:
            self.members.append(Member(container, data, modified))
        elif depth >= MAX_DEPTH:
            deep = DecodeError(
                path,
                f"a container inside a container inside {self.filename}: the archive opens "
                f"containers {MAX_DEPTH} deep, no deeper",
            )
            self.members.append(Member(container, data, modified, error=deep))
        else:
            before = len(self.members)
            try:
                self._open_inner(kind, container, data, modified, depth)
                if len(self.members) == before:
                    raise EmptyDocument(path, "it holds no document")
            except (DecodeError, EmptyDocument) as error:
                # A damaged or empty container inside: a member that fails, the rest go on.
                del self.members[before:]
                self.members.append(Member(container, data, modified, error=error))

    def _open_inner(
        self, kind: str, container: Container, data: bytes, modified: dt.datetime | None, depth: int
    ) -> None:
        path = container.member
        if kind == "zip":  # what came in an e-mail's ZIP came with the e-mail
            self.zip(data, f"{path}/", depth + 1, container.message)
            return
        mail = parse(data, path)
        own = has_text(mail)
        if own:  # the message's own text is a member too
            self.members.append(Member(container, data, modified))
        sha = hashlib.sha256(data).hexdigest()
        self.attachments(mail, f"{path}/", depth + 1, document_id(sha) if own else None)

    def _container(self, path: str, message: str | None) -> Container:
        return Container(filename=self.filename, sha256=self.sha256, member=path, message=message)

    def _judge(self, path: str, size: int, compressed: int | None) -> None:
        """Refuse the container when this member would take it past a bound."""
        self.count += 1
        self.total += size
        self.compressed += size if compressed is None else compressed
        if self.count > MAX_MEMBERS:
            raise FileTooLarge(self.filename, f"it holds over {MAX_MEMBERS:,} files")
        limit, setting = self.max_bytes or UNSET_LIMIT, "ARCHIVE_MAX_FILE_MB"
        if size > limit:
            raise FileTooLarge(
                self.filename,
                f"its {path} is {_size(size)}, over the limit of {_size(limit)} ({setting})",
            )
        if self.total > TOTAL_TIMES * limit:
            raise FileTooLarge(
                self.filename,
                f"its files hold over {_size(TOTAL_TIMES * limit)} together, {TOTAL_TIMES} "
                f"times the limit of a file ({setting})",
            )
        if compressed is not None and size > RATIO_FROM and size > MAX_RATIO * max(compressed, 1):
            raise FileTooLarge(
                self.filename,
                f"its {path} decompresses {size // max(compressed, 1):,} times its size: "
                "a zip bomb, not a document",
            )
        if self.total > 2**20 and self.total > MAX_RATIO * max(self.compressed, 1):
            raise FileTooLarge(
                self.filename,
                f"its files decompress {self.total // max(self.compressed, 1):,} times their "
                "size: a zip bomb, not documents",
            )

    def _name(self, prefix: str) -> str:
        """How errors name the container being opened: ``材料.zip`` or ``材料.zip/内.zip``."""
        return f"{self.filename}/{prefix.rstrip('/')}" if prefix else self.filename
