"""The inbox: which files in a folder are ready to be taken, and the loop that takes them.

A file is taken as soon as its writer is done with it: closed after writing or moved into
the inbox (inotify's close-write and moved-to events, on Linux). A file seen without such
an event (written before the service started, on a file system without inotify) is taken
once it has stopped changing (same size and modification time for
``ARCHIVE_SETTLE_SECONDS``), so a file still being copied in is never read half-written.
Temporary and system files are never taken. The watcher reacts to file-system events
(watchfiles) and also rescans on every quiet second, so a missed event delays a file by a
second instead of losing it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

import watchfiles
from inotify_simple import INotify, flags

log = logging.getLogger(__name__)

JUNK_PATTERNS = ("*.part", "*.crdownload", "*.tmp", "*.swp", "~$*", "Thumbs.db", "desktop.ini")
"""Names of files that are still being written or belong to the operating system."""


def is_junk(path: Path) -> bool:
    """True for temporary, partial and system files, and for anything hidden (dotfiles,
    ``.DS_Store``, files inside dot-folders)."""
    if any(part.startswith(".") for part in path.parts if part not in (".", "..")):
        return True
    return any(fnmatch(path.name, pattern) for pattern in JUNK_PATTERNS)


def files_in(folder: Path) -> Iterator[Path]:
    """The files under ``folder`` (nested folders included) that are not junk, sorted."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not is_junk(path.relative_to(folder)):
            yield path


Signature = tuple[int, int]
"""Size and modification time (ns) of a file."""


@dataclass
class Settling:
    """Tracks files until they have stopped changing for ``seconds``, or until their
    writer is known to be done with them."""

    seconds: float
    clock: Callable[[], float] = time.monotonic
    _seen: dict[Path, tuple[Signature, float]] = field(default_factory=dict)

    def ready(
        self, paths: Iterable[Path], finished: Mapping[Path, Signature] | None = None
    ) -> list[Path]:
        """Of ``paths``, those unchanged for long enough, or unchanged since their writer
        finished them (``finished``: the signature each had then); forgets files that went
        away."""
        now, ready, current = self.clock(), [], {}
        for path in paths:
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            signature = (stat.st_size, stat.st_mtime_ns)
            previous = self._seen.get(path)
            since = previous[1] if previous and previous[0] == signature else now
            current[path] = (signature, since)
            done = finished is not None and finished.get(path) == signature
            if done or now - since >= self.seconds:
                ready.append(path)
        self._seen = current
        return ready


class Completions:
    """Files of a folder (and its subfolders) their writer has finished: closed after
    writing, or moved in (a careful copier's rename). On Linux, through inotify; elsewhere
    it knows of none, and files are taken by :class:`Settling` alone."""

    MASK = flags.CLOSE_WRITE | flags.MOVED_TO

    def __init__(self) -> None:
        try:
            self._inotify: INotify | None = INotify(nonblocking=True)
        except OSError as error:  # no inotify here, or out of instances
            log.info("inbox: no inotify (%s): files are taken once they settle", error)
            self._inotify = None
        self._folders: dict[int, Path] = {}
        self._watched: set[Path] = set()
        self._finished: dict[Path, Signature] = {}

    def watch(self, folders: Iterable[Path]) -> None:
        """Watch each of ``folders`` not yet watched."""
        for folder in folders:
            if self._inotify is None or folder in self._watched:
                continue
            try:
                self._folders[self._inotify.add_watch(folder, self.MASK)] = folder
                self._watched.add(folder)
            except OSError as error:
                log.debug("inbox: cannot watch %s (%s)", folder, error)

    def finished(self, present: Iterable[Path]) -> dict[Path, Signature]:
        """The files finished so far and still ``present``, with their signature when
        the event was read."""
        if self._inotify is not None:
            for event in self._inotify.read(timeout=0):
                folder = self._folders.get(event.wd)
                if folder is not None and event.name:
                    path = folder / event.name
                    try:
                        stat = path.stat()
                    except OSError:
                        continue
                    self._finished[path] = (stat.st_size, stat.st_mtime_ns)
        keep = set(present)
        self._finished = {p: s for p, s in self._finished.items() if p in keep}
        return self._finished

    def close(self) -> None:
        if self._inotify is not None:
            self._inotify.close()


def watch(
    folder: Path,
    handle: Callable[[list[Path]], object],
    *,
    settle_seconds: float,
    stop: threading.Event,
    batch_size: int = 50,
    max_backoff: float = 60.0,
) -> None:
    """Take ready files from ``folder`` in batches and pass them to ``handle`` until
    ``stop`` is set. ``handle`` must move each file out of the folder (or it is taken again).

    When a batch fails (the backend is down, say), its files stay and the watcher waits
    1, 2, 4 … up to ``max_backoff`` seconds before trying again, logging once per failure
    streak rather than four times a second."""
    folder.mkdir(parents=True, exist_ok=True)
    settling = Settling(settle_seconds)
    completions = Completions()
    try:
        _take_until_stopped(folder, handle, settling, completions, stop, batch_size, max_backoff)
    finally:
        completions.close()


def _take_until_stopped(
    folder: Path,
    handle: Callable[[list[Path]], object],
    settling: Settling,
    completions: Completions,
    stop: threading.Event,
    batch_size: int,
    max_backoff: float,
) -> None:
    failures = 0
    changes = watchfiles.watch(
        folder, stop_event=stop, yield_on_timeout=True, rust_timeout=250, debounce=200
    )
    for _ in _with_first(changes):
        present = list(files_in(folder))
        completions.watch([folder, *sorted({p.parent for p in present})])
        ready = settling.ready(present, completions.finished(present))
        for start in range(0, len(ready), batch_size):
            if stop.is_set():  # stopping: leave the next batches for the next start
                break
            try:
                handle(ready[start : start + batch_size])
            except Exception:  # noqa: BLE001 - the watcher must outlive any failure
                failures += 1
                if failures == 1:
                    log.exception("inbox: a batch failed; its files stay in the inbox")
                stop.wait(min(max_backoff, 2.0 ** (failures - 1)))
                break
            else:
                if failures:
                    log.info("inbox: batches succeed again after %d failures", failures)
                failures = 0
        if stop.is_set():
            break


def _with_first(changes: Iterable[object]) -> Iterator[object]:
    """One pass before the first event: files already waiting at start-up are taken too."""
    yield None
    yield from changes
