"""``archive check``: does the archive hold together? Every record has its original,
every original a record (or a container whose members are records or quarantined), the
index as many documents as the store, and every quarantined file its report (and every
report its file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archive.backends.base import SearchBackend
from archive.errors import IngestError
from archive.originals import REPORT_SUFFIX, original_path, quarantined_files
from archive.read import load
from archive.read.containers import kind_of
from archive.records import document_id


@dataclass(frozen=True)
class Problem:
    """One thing out of place: what kind, and where (a path or a document id)."""

    kind: str
    where: str
    detail: str


def check(backend: SearchBackend, originals: Path, quarantine: Path) -> list[Problem]:
    """Every problem found; an empty list for a sound archive."""
    problems: list[Problem] = []
    ids: set[str] = set()
    for record in backend.documents():
        ids.add(record.id)
        path = original_path(originals, record.source.sha256, record.source.filename)
        if not path.is_file():
            problems.append(
                Problem("missing_original", record.id, f"{record.source.filename}: no {path}")
            )
    for path in _files(originals):
        if document_id(path.stem) not in ids and not _is_container(path):
            problems.append(Problem("orphan_original", str(path), "no record was made from it"))
    stored, indexed = backend.count(), backend.index_count()
    if stored != indexed:
        problems.append(
            Problem("index_count", backend.name, f"{stored} records stored, {indexed} indexed")
        )
    for path in quarantined_files(quarantine):
        if not path.with_name(path.name + REPORT_SUFFIX).exists():
            problems.append(Problem("unexplained_quarantine", str(path), "no .error.json"))
    for report in sorted(quarantine.glob(f"*{REPORT_SUFFIX}")):
        if not report.with_name(report.name.removesuffix(REPORT_SUFFIX)).exists():
            problems.append(Problem("orphan_report", str(report), "its file is gone"))
    return problems


def _is_container(path: Path) -> bool:
    """A ZIP archive or an e-mail kept beside its members (which may all have been
    duplicates, or quarantined): no record is made of the container itself."""
    try:
        return kind_of(path.name, load(path)[0]) is not None
    except IngestError:
        return False


def _files(root: Path) -> list[Path]:
    # Temporary files of an interrupted copy (.name.part) are not part of the archive.
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
