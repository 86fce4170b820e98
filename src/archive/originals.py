"""Custody of original files: every file that reaches the archive ends in exactly one of
two places, so nothing is ever lost.

* ``originals/<ab>/<sha256><suffix>``: the bytes of every stored document, by content
  hash (the same bytes are kept once, whatever their names).
* ``quarantine/<name>`` with ``<name>.error.json`` beside it: a file that could not
  become a document, and one sentence saying why.

Files are written under a temporary name and renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

from archive.errors import IngestError
from archive.read.image import media_type as image_media_type

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


def quarantine(
    root: Path,
    source: Path,
    error: IngestError,
    *,
    stage: str,
    extractor_version: str,
    move: bool,
    now: dt.datetime | None = None,
) -> Path:
    """Put ``source`` in quarantine with an ``.error.json`` that says why; returns where.

    ``move`` takes the file out of where it was (the inbox); otherwise a copy is kept and
    the source is left alone (``archive ingest`` of a user's own folder)."""
    target = _free_name(root, source)
    report = {
        "file": source.name,
        "reason": error.reason,
        "code": error.code,
        "stage": stage,
        "exception": exception_text(error),
        "at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "extractor_version": extractor_version,
    }
    _write_atomically(report_path(target), json.dumps(report, ensure_ascii=False, indent=2))
    if move:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, target)
    else:
        _copy_atomically(source, target)
    return target


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


def _free_name(root: Path, source: Path) -> Path:
    """``root/<name>``, or ``root/<stem>-<hash8><suffix>`` when another file took the name."""
    target = root / source.name
    if not target.exists() or _same_bytes(target, source):
        return target
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:8]
    return root / f"{source.stem}-{digest}{source.suffix}"


def _same_bytes(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()


def _copy_atomically(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.part")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def _write_atomically(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.part")
    temporary.write_text(text + "\n", encoding="utf-8")
    os.replace(temporary, target)
