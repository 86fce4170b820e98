"""Custody of original files: every file that reaches the archive ends in exactly one of
two places, so nothing is ever lost.

* ``originals/<ab>/<sha256><suffix>``: the bytes of every stored document, by content
  hash (the same bytes are kept once, whatever their names).
* ``quarantine/<name>`` with ``<name>.error.json`` beside it: a file that could not
  become a document, and one sentence saying why. A member of a ZIP archive or an
  e-mail is quarantined on its own, as ``<container>!<path inside>`` (``材料.zip!2021!
  纪要.docx``), its report saying where it came from.

A container's own bytes are kept under ``originals/`` too, beside its members'.

Files are written under a temporary name and renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from archive.errors import IngestError
from archive.read.image import media_type as image_media_type
from archive.records import Container, Source

REPORT_SUFFIX = ".error.json"
"""What names a quarantined file's report: ``<file>.error.json``."""


def original_path(root: Path, sha256: str, filename: str) -> Path:
    """Where the bytes with this hash are kept under ``root``."""
    return root / sha256[:2] / f"{sha256}{Path(filename).suffix.lower()}"


_FORMAT_TYPES = {
    "mht": "multipart/related",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "pdf": "application/pdf",
}
_CHARSETS = {"utf-8": "utf-8", "utf-16": "utf-16", "gb18030": "gb18030", "big5": "big5"}


def media_type(path: Path, fmt: str, encoding: str) -> str:
    """The content type to serve a kept original with: by its format, with the charset it
    was decoded in for text and pages, by its first bytes for an image."""
    if fmt in ("text", "html"):
        kind = "text/plain" if fmt == "text" else "text/html"
        charset = _CHARSETS.get(encoding)
        return f"{kind}; charset={charset}" if charset else kind
    if fmt == "image":
        with path.open("rb") as f:
            return image_media_type(f.read(8)) or "image/tiff"
    return _FORMAT_TYPES.get(fmt, "application/octet-stream")


def keep_original(root: Path, source: Path, sha256: str) -> Path:
    """Copy ``source`` into the content-addressed store; a no-op when it is there already."""
    target = original_path(root, sha256, source.name)
    if not target.exists():
        _copy_atomically(source, target)
    return target


def keep_bytes(root: Path, data: bytes, source: Source) -> Path:
    """Keep the bytes of a container's member; a no-op when they are there already."""
    target = original_path(root, source.sha256, source.filename)
    if not target.exists():
        _put(target, data)
    return target


def quarantine(
    root: Path,
    source: Path,
    error: IngestError,
    *,
    stage: str,
    extractor_version: str,
    move: bool,
    now: dt.datetime | None = None,
    origin: Container | None = None,
) -> Path:
    """Put ``source`` in quarantine with an ``.error.json`` that says why; returns where.

    ``move`` takes the file out of where it was (the inbox); otherwise a copy is kept and
    the source is left alone (``archive ingest`` of a user's own folder). ``origin``: the
    container the file was found in, if it was."""
    target = _free_name(root, source.name, source.read_bytes)
    report = _report(target.name, error, stage, extractor_version, now, origin)
    _put(report_path(target), report)
    if target.exists() and target.samefile(source):  # retried, failed again: it stays
        return target
    if move:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, target)
    else:
        _copy_atomically(source, target)
    return target


def quarantine_member(
    root: Path,
    container: Container,
    data: bytes,
    error: IngestError,
    *,
    stage: str,
    extractor_version: str,
    now: dt.datetime | None = None,
) -> Path:
    """Put a container's member (its ``data``) in quarantine, named after the container
    and its path inside, with a report that says why and where it came from."""
    target = _free_name(root, member_name(container), lambda: data)
    report = _report(target.name, error, stage, extractor_version, now, container)
    _put(report_path(target), report)
    _put(target, data)
    return target


MAX_NAME_BYTES = 200
"""File systems allow 255 bytes a name; a Chinese character takes 3 in UTF-8."""


def member_name(container: Container) -> str:
    """``材料.zip!2021!纪要.docx``: a member's name in quarantine (at most 200 bytes, its
    extension kept, so that it is read as what it is when retried)."""
    return shortened(f"{container.filename}!{container.member.replace('/', '!')}")


def shortened(name: str) -> str:
    """``name`` cut to :data:`MAX_NAME_BYTES` of UTF-8, its extension kept."""
    if len(name.encode()) <= MAX_NAME_BYTES:
        return name
    stem, suffix = _split(name)
    suffix = suffix[:16]
    room = MAX_NAME_BYTES - len(suffix.encode())
    return stem.encode()[:room].decode("utf-8", "ignore") + suffix


def _split(name: str) -> tuple[str, str]:
    """Stem and extension; a member without an extension (``材料.zip!README``) has none."""
    stem, suffix = os.path.splitext(name)
    return (name, "") if "!" in suffix else (stem, suffix)


def origin(quarantined: Path) -> Container | None:
    """The container a quarantined file was found in, as its report says."""
    try:
        report = json.loads(report_path(quarantined).read_text(encoding="utf-8"))
        return Container.model_validate(report["container"]) if report.get("container") else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _report(
    name: str,
    error: IngestError,
    stage: str,
    extractor_version: str,
    now: dt.datetime | None,
    container: Container | None,
) -> bytes:
    report: dict[str, object] = {
        "file": name,
        "reason": error.reason,
        "code": error.code,
        "stage": stage,
        "exception": exception_text(error),
        "at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "extractor_version": extractor_version,
    }
    if container is not None:
        report["container"] = container.model_dump()
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode()


def exception_text(error: IngestError) -> str | None:
    """``ZeroDivisionError: division by zero``: what caused the error, for the report."""
    cause = error.__cause__
    if cause is None:
        return None
    return f"{getattr(cause, 'name', type(cause).__name__)}: {cause}"


def quarantined_files(root: Path) -> list[Path]:
    """The files in quarantine (not their reports, not half-copied ``.name.part`` files)."""
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.iterdir()
        if p.is_file() and not p.name.endswith(REPORT_SUFFIX) and not p.name.startswith(".")
    )


def report_path(quarantined: Path) -> Path:
    """Where the ``.error.json`` of a quarantined file is."""
    return quarantined.with_name(quarantined.name + REPORT_SUFFIX)


def _free_name(root: Path, name: str, content: Callable[[], bytes]) -> Path:
    """``root/<name>``, or ``root/<stem>-<hash8><suffix>`` when another file took the name."""
    target = root / name
    if not target.exists() or target.read_bytes() == content():
        return target
    digest = hashlib.sha256(content()).hexdigest()[:8]
    stem, suffix = _split(name)
    return root / f"{stem}-{digest}{suffix}"


def _copy_atomically(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.part")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def _put(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.part")
    temporary.write_bytes(data)
    os.replace(temporary, target)
