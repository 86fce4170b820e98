"""Helpers for the enrich tests: documents built by hand, the shared evaluation data."""

from __future__ import annotations

import hashlib
from pathlib import Path

from archive.enrich.text import Segmented, fold
from archive.records import NormalizedDocument, RawDocument
from tests.conftest import SHARED_DATA, shared_data

__all__ = ["SHARED_DATA", "FIXTURES", "folded", "make_doc", "shared_data"]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "enrich"


def make_doc(text: str, filename: str = "doc.txt", title: str | None = None) -> NormalizedDocument:
    """A normalized plain-text document whose simplified text is ``text``."""
    data = text.encode("utf-8")
    raw = RawDocument(
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        encoding="utf-8",
        format="text",
        text=text,
        title=title,
    )
    return NormalizedDocument(raw, text, text, title, title, 0)


def folded(text: str) -> tuple[str, Segmented]:
    """``text`` folded as the extractors see it, and its tokens."""
    return fold(text), Segmented(text)
