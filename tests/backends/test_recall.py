"""No document is missed because of segmentation: every document whose text contains a
sampled string is found (the benchmark runs the full 500 strings over the whole slice)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.recall import load, measure, sample_strings

from archive.backends.sqlite import SqliteBackend
from tests.conftest import shared_data


def test_substring_recall_is_complete(tmp_path: Path) -> None:
    data = shared_data("peoples-daily-1998")
    backend = SqliteBackend(tmp_path / "archive.sqlite3")
    documents = load(data, backend, limit=250)
    strings = sample_strings(data, {Path(d.source.filename).stem for d in documents}, 120)
    outcome = measure(backend, documents, strings)
    backend.close()
    assert outcome.strings >= 100 and outcome.expected >= outcome.strings
    assert outcome.misses == []
    assert outcome.recall == 1.0
