"""Normalize: one script and clean text for search and extraction.

:func:`normalize_text` is the single text pipeline for documents AND search queries, so
``發展``, ``发展`` and ``發(fā)展`` all become ``发展`` on both sides:

1. clean (:mod:`.clean`): invisible and control characters dropped, Unicode spaces made
   plain and collapsed, lines stripped and empty ones dropped, stray HTML entities
   decoded, full-width Latin letters and digits made half-width (Chinese punctuation kept);
2. strip the inline pinyin a web converter leaves after Han characters (:mod:`.pinyin`);
3. convert to simplified characters with OpenCC (:mod:`.script`); 2 and 3 repeat until
   the text settles, which keeps the pipeline idempotent.

:func:`align` runs the same pipeline and says which characters of its input produced
each character of the output (:mod:`.align`), for highlighting in the original script.
"""

from __future__ import annotations

from archive.normalize.align import Alignment, align, normalize_text
from archive.normalize.clean import clean_text
from archive.normalize.pinyin import pinyin_spans, strip_pinyin
from archive.normalize.script import detect_script, to_simplified
from archive.records import NormalizedDocument, RawDocument

__all__ = [
    "Alignment",
    "align",
    "clean_text",
    "detect_script",
    "normalize",
    "normalize_text",
    "pinyin_spans",
    "strip_pinyin",
    "to_simplified",
]


def normalize(raw: RawDocument) -> NormalizedDocument:
    """Normalize a read document: ``original_text`` and ``original_title`` for display
    (script kept, pinyin readings removed), ``text`` and ``title`` for search and
    extraction, which are exactly ``normalize_text`` of the display forms (so
    :func:`align` of ``original_text`` maps ``text`` back onto it), and the script."""
    original_text, removed = strip_pinyin(raw.text)
    original_title: str | None = None
    title: str | None = None
    if raw.title is not None:
        original_title, removed_in_title = strip_pinyin(raw.title)
        removed += removed_in_title
        title = normalize_text(original_title) or None
    written = original_text if original_title is None else f"{original_title}\n{original_text}"
    return NormalizedDocument(
        raw=raw,
        text=normalize_text(original_text),
        original_text=original_text,
        title=title,
        original_title=original_title,
        pinyin_removed=removed,
        script=detect_script(written),
    )
