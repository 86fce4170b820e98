"""Golden records: whole ``Document``s of invented articles in tests/fixtures/enrich.

Set ``ARCHIVE_TEST_UPDATE_GOLDEN=1`` to rewrite the ``*.golden.json`` files, then review the
diff. (Read at import: the suite's autouse fixture clears ARCHIVE_* variables.)
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from archive.enrich import enrich
from tests.enrich.helpers import FIXTURES, make_doc

UPDATE = os.environ.get("ARCHIVE_TEST_UPDATE_GOLDEN") == "1"
ARTICLES = sorted(FIXTURES.glob("*.txt"))


def record(path: Path) -> dict:
    doc = make_doc(path.read_text(encoding="utf-8"), filename=path.name)
    return enrich(doc).model_dump(mode="json")


def test_there_are_golden_articles() -> None:
    assert len(ARTICLES) >= 4


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_golden(path: Path) -> None:
    golden = path.with_suffix(".golden.json")
    actual = record(path)
    if UPDATE:
        golden.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", "utf-8")
    assert actual == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_enrich_is_pure(path: Path) -> None:
    assert record(path) == record(path)
