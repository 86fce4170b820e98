"""Plan periods and anniversaries an article mentions: 十四五, 第十四个五年规划, 建党100周年.

The patterns are data (``rules/periods.txt``); a mention is kept as written, without its
quotation marks, deduplicated in order of first mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from archive.enrich.rules import read_rule_file

_NUM = r"(?:\d+|[一二三四五六七八九十百零〇两]+)"
_QUOTES = str.maketrans("", "", "“”‘’「」『』\"'")


@cache
def _patterns() -> re.Pattern[str]:
    lines = (line.replace("NUM", _NUM) for line in read_rule_file("periods.txt"))
    return re.compile("|".join(f"(?:{line})" for line in lines))


def find_periods(folded: str) -> Iterator[tuple[int, int]]:
    """Spans of the period and anniversary mentions of a folded text, in order."""
    for m in _patterns().finditer(folded):
        yield m.start(), m.end()


def period_name(written: str) -> str:
    """A mention as kept in the record: as written, quotation marks removed."""
    return written.translate(_QUOTES)
