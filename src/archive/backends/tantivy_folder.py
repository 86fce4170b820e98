"""The tantivy engine's index folder, ``ARCHIVE_HOME/index/``.

``CURRENT`` names the tantivy index searches read (``v<schema>-<dictionary>-<time>``). A
build writes a whole new index beside it from the stored records, then switches
``CURRENT`` in one rename, so searches never see a half-built index, and the store
records the new index as the one it trusts (``meta.index_trusted``). An index no writer
holds any more is removed once it is not current.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import tantivy

from archive import segment
from archive.backends import tantivy_index as ix
from archive.backends.sqlite import SqliteBackend
from archive.backends.sqlite_index_state import fingerprint
from archive.errors import BackendError

CURRENT = "CURRENT"
BUILD_HEAP = 256_000_000
"""Bytes tantivy buffers before writing a segment, per thread, while building."""


def version() -> str:
    """This release's kind of index: an index of another is rebuilt (the words it holds
    change with the schema and with the user dictionary)."""
    return f"v{ix.SCHEMA_VERSION}-{segment.dictionary_fingerprint()}"


@contextmanager
def exclusive(folder: Path, *, wait: bool = True) -> Iterator[bool]:
    """One process at a time checks, builds or switches the index of ``folder``, or
    deletes a record (which a build in progress would bring back). Without ``wait``,
    yields False at once when another process holds it."""
    with open(folder / ".build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current(folder: Path) -> str | None:
    """The name of the index searches read, or None before the first build."""
    try:
        return (folder / CURRENT).read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def open_if_sound(folder: Path, name: str) -> tantivy.Index | None:
    """The index ``name`` when it is of this release and opens, else None (rebuild it)."""
    if not name.startswith(version() + "-") or not (folder / name / "meta.json").exists():
        return None
    try:
        return open_index(folder, name)
    except BackendError:
        return None


def commit_stamp(folder: Path, name: str) -> tuple[int, int]:
    """Changes with every commit to the index ``name``, by any process."""
    try:
        meta = (folder / name / "meta.json").stat()
    except FileNotFoundError:  # gone with a rebuild a moment ago
        return (0, 0)
    return meta.st_mtime_ns, meta.st_size


def open_index(folder: Path, name: str) -> tantivy.Index:
    try:
        index = tantivy.Index.open(str(folder / name))
    except ValueError as error:
        raise BackendError(f"{folder / name}: cannot open the search index ({error})") from error
    index.config_reader("commit")
    ix.register_tokenizers(index)
    return index


def build(folder: Path, store: SqliteBackend) -> str:
    """A new index of every stored record, then made current and trusted; returns its
    name. Hold :func:`exclusive` around it. Records stored or changed meanwhile are left
    pending (``mark_indexed_exactly``), for the catch-up."""
    # What the old index acknowledges from now on must mark nothing: the new one may not
    # hold it, and a crash before the end must leave it waiting.
    store.index_state.new_generation()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    name = f"{version()}-{stamp}"
    path = folder / name
    path.mkdir()
    index = tantivy.Index(ix.schema(), path=str(path))
    ix.register_tokenizers(index)
    writer = index.writer(heap_size=BUILD_HEAP, num_threads=2)
    sent: list[tuple[str, str]] = []
    try:
        for document in store.documents():
            for entry in ix.entries(document, ix.Tokens.of(document)):
                writer.add_document(entry)
            sent.append((document.id, fingerprint(document.model_dump_json())))
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    temporary = folder / f"{CURRENT}.new"
    temporary.write_text(name, encoding="ascii")
    os.replace(temporary, folder / CURRENT)
    store.index_state.mark_indexed_exactly(sent, trusted=name)
    return name


def remove_old(folder: Path) -> None:
    """Delete the indices that are not current and that no process writes any more (a
    process still reading one keeps its open files: Linux frees them at close). Not while
    another process builds: its new index is not current yet."""
    with exclusive(folder, wait=False) as alone:
        if not alone:
            return
        keep = current(folder)
        for path in folder.iterdir():
            if path.is_dir() and path.name != keep and not _writer_busy(path):
                shutil.rmtree(path, ignore_errors=True)


def _writer_busy(path: Path) -> bool:
    """Whether a process holds the writer of the index at ``path`` (tantivy locks this
    file while an IndexWriter lives)."""
    lock = path / ".tantivy-writer.lock"
    if not lock.exists():
        return False
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False
