"""Where a speaker may be named: the quotation test is the rescan it replaced, on any text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from archive.enrich.directives.speakers import quote_test


def _quoted_by_rescan(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    return before.count("“") > before.count("”")


@given(st.text(alphabet="“”\n会议", max_size=60))
def test_inside_quotes_as_counted_from_the_line_start(text: str) -> None:
    quoted = quote_test(text)
    assert [quoted(pos) for pos in range(len(text) + 1)] == [
        _quoted_by_rescan(text, pos) for pos in range(len(text) + 1)
    ]
