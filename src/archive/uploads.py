"""Files sent to the API (``POST /documents``) go the way of every file: into the inbox,
under a temporary name the inbox ignores, renamed once complete; the request then waits
for what the inbox made of each.

The name a client sends never chooses a path: only its last part is kept, cleaned, and
a file already in the inbox under that name is never overwritten (``会议 (2).txt``)."""

from __future__ import annotations

import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO, Literal

from pydantic import BaseModel

from archive.inbox import is_junk
from archive.ingest import IngestResult, Outcome
from archive.originals import shortened

_UNFINISHED = (".part", ".crdownload", ".tmp", ".swp")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


class MemberResult(BaseModel):
    """What became of one document inside an uploaded ZIP archive or e-mail."""

    member: str | None
    """Its path inside the container; None for an e-mail's own text."""
    outcome: Literal["stored", "duplicate", "quarantined"]
    id: str | None = None
    title: str | None = None
    reason: str | None = None


class UploadResult(BaseModel):
    """What became of one uploaded file."""

    file: str
    """The name the client sent."""
    saved_as: str
    """The name it was given in the inbox (and so in its record)."""
    outcome: Literal["stored", "duplicate", "quarantined", "opened", "pending"]
    """``opened``: a ZIP archive or an e-mail with attachments, whose documents are in
    ``members``; ``pending``: not done within the wait; it will be, search for it later."""
    id: str | None = None
    title: str | None = None
    reason: str | None = None
    members: list[MemberResult] = []
    """For an ``opened`` container: what became of each document it holds."""


class Outcomes:
    """What became of the files the API put into the inbox, for the requests waiting on
    them: the inbox's batches report here (:meth:`settle`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[Path, Future[list[IngestResult]]] = {}

    def expect(self, path: Path) -> Future[list[IngestResult]] | None:
        """The future result of the file about to be put at ``path``; None when another
        upload is about to be put there."""
        with self._lock:
            if path in self._waiting:
                return None
            future = self._waiting[path] = Future()
            return future

    def settle(self, results: Iterable[IngestResult]) -> None:
        """Hand the final results of each file (of a container, one per member) to the
        request waiting for it, if any (a file skipped because it was still changing will
        come again)."""
        by_path: dict[Path, list[IngestResult]] = {}
        for result in results:
            by_path.setdefault(result.path, []).append(result)
        for path, done in by_path.items():
            if any(result.outcome is Outcome.SKIPPED for result in done):
                continue
            with self._lock:
                waiting = self._waiting.pop(path, None)
            if waiting is not None:
                waiting.set_result(done)

    def forget(self, path: Path) -> None:
        with self._lock:
            self._waiting.pop(path, None)


def safe_name(sent: str | None) -> str:
    """A file name for the inbox from what a client sent: its last part only (``../x``
    and ``C:\\x`` alike), without control or reserved characters, not hidden, and not a
    name the inbox leaves alone (``.part``, ``~$``, ``Thumbs.db``)."""
    name = PureWindowsPath(PurePosixPath(sent or "").name).name
    name = _UNSAFE.sub("_", name).strip().lstrip(".~$ ") or "upload"
    name = shortened(name)
    while is_junk(Path(name)):
        stem, suffix = os.path.splitext(name)
        if stem and suffix.lower() in _UNFINISHED:
            name = stem  # 会议.txt.part: the upload is complete, it is 会议.txt
        else:
            return f"upload-{name}"  # Thumbs.db, desktop.ini
    return name


def receive(
    inbox: Path, sent_name: str | None, stream: BinaryIO, outcomes: Outcomes
) -> tuple[Path, Future[list[IngestResult]]]:
    """Write one uploaded file into ``inbox`` (under a temporary name, then under a free
    name made from ``sent_name``); returns where, and the future of its result."""
    inbox.mkdir(parents=True, exist_ok=True)
    temporary = inbox / f".upload-{uuid.uuid4().hex}.part"
    with temporary.open("wb") as out:
        shutil.copyfileobj(stream, out, 1 << 20)
    name = safe_name(sent_name)
    stem, suffix = os.path.splitext(name)
    try:
        for n in range(1, 10_000):
            target = inbox / (name if n == 1 else f"{stem} ({n}){suffix}")
            future = outcomes.expect(target)
            if future is None:
                continue
            try:
                os.link(temporary, target)  # never replaces a file, unlike rename
            except FileExistsError:
                outcomes.forget(target)
                continue
            except OSError:
                outcomes.forget(target)
                raise
            return target, future
        raise FileExistsError(f"no free name for {name} in {inbox}")
    finally:
        temporary.unlink(missing_ok=True)


def result_of(
    sent: str, target: Path, future: Future[list[IngestResult]], seconds: float
) -> UploadResult:
    """What became of an uploaded file, waiting up to ``seconds`` for the inbox."""
    try:
        done = future.result(timeout=seconds)
    except FutureTimeout:
        return UploadResult(
            file=sent,
            saved_as=target.name,
            outcome="pending",
            reason=f"not done after {seconds:g} s; it will be: search for it later",
        )
    if len(done) == 1 and done[0].member is None:
        (only,) = done
        return UploadResult(
            file=sent,
            saved_as=target.name,
            outcome=only.outcome.value,
            id=only.doc_id,
            title=only.title,
            reason=only.reason,
        )
    members = [
        MemberResult(
            member=r.member, outcome=r.outcome.value, id=r.doc_id, title=r.title, reason=r.reason
        )
        for r in done
    ]
    return UploadResult(file=sent, saved_as=target.name, outcome="opened", members=members)
