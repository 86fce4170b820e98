"""Lines laid out on a page (a PDF's text layer, OCR of a scan) back into paragraphs.

The extractors read sentence by sentence, and a line break ends a sentence; on a page a
sentence wraps wherever the line was full. So a line that filled the page's width and
does not end a sentence goes on in the next."""

from __future__ import annotations

from collections.abc import Iterator

FULL_LINE = 0.8
"""A line at least this share of its page's longest line filled the width: it wrapped."""

_ENDS = tuple("。！？!?：:；;…”』」）)")


def unwrap(lines: list[str]) -> Iterator[str]:
    """The paragraphs of a page's lines (stripped; an empty line ends a paragraph)."""
    widest = max((len(line) for line in lines), default=0)
    current = ""
    for line in lines:
        if not line:
            if current:
                yield current
            current = ""
            continue
        current = _joined(current, line)
        if len(line) < FULL_LINE * widest or line.endswith(_ENDS):
            yield current
            current = ""
    if current:
        yield current


def page_text(text: str) -> str:
    """A page's laid-out text as paragraphs, one per line."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(unwrap(lines))


def _joined(left: str, right: str) -> str:
    """Two pieces of a wrapped line: Latin words keep a space between them, Han not."""
    if left and left[-1].isascii() and left[-1].isalnum() and right[0].isascii():
        return f"{left} {right}"
    return left + right
