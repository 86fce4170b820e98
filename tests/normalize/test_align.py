"""align(): each character of normalize_text's output mapped to the original span behind it."""

from __future__ import annotations

import html
import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from archive.normalize import Alignment, align, normalize_text
from archive.normalize import script as script_module
from archive.normalize.edits import compose, proportional
from archive.normalize.script import segment_edits
from tests.test_normalize import PIECES, any_text

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

# original, a piece of its normalized text, and the original span that piece comes from.
SPANS = [
    ("發展", "发", (0, 1)),  # traditional → simplified, one for one
    ("發展", "展", (1, 2)),
    ("發展", "发展", (0, 2)),
    ("全角ＡＢＣ", "B", (3, 4)),  # full width → half width
    ("会\u200b议", "议", (2, 3)),  # zero-width space skipped
    ("会\u200b议", "会议", (0, 3)),  # ... and inside a span across it
    ("a&amp;b", "&", (1, 6)),  # an entity as a whole
    ("a&amp;b", "b", (6, 7)),
    ("a&amp;lt;b", "<", (1, 9)),  # an entity of an entity
    ("&NotEqualTilde;x", "\u2242", (0, 15)),  # two characters from one entity
    ("&NotEqualTilde;x", "\u0338", (0, 15)),
    ("a    b", " ", (1, 2)),  # the first space of a run stays
    ("a    b", "b", (5, 6)),
    ("  第一段  \r\n\r\n\t第二段", "\n", (8, 9)),  # stripped lines, dropped empty ones
    ("  第一段  \r\n\r\n\t第二段", "第二", (12, 14)),
    ("第一段\r\n第二段", "\n", (4, 5)),  # CRLF: the LF stays, the CR goes
    ("第一段\r第二段", "\n", (3, 4)),
    ("發(fā)展", "展", (5, 6)),  # a reading removed
    ("發(fā)展", "发展", (0, 6)),
    ("會議（huì yì ）召開", "召", (11, 12)),
    ("發(fā)(fā)展", "展", (9, 10)),
    ("蕭乾", "干", (1, 2)),  # settles in a second round (萧乾 → 萧干)
    ("會\u3000議", " ", (1, 2)),
    # Cleaning first uncovers the reading (the zero-width space hid it), then stripping.
    ("&amp;發\u200b(fā)展", "&", (0, 5)),
    ("&amp;發\u200b(fā)展", "展", (11, 12)),
]


@pytest.mark.parametrize(("original", "piece", "span"), SPANS)
def test_span_of_a_piece(original: str, piece: str, span: tuple[int, int]) -> None:
    alignment = align(original)
    start = alignment.text.index(piece)
    assert alignment.to_original(start, start + len(piece)) == span


def test_alignment_of_a_simple_text() -> None:
    alignment = align("  發(fā)展 ")
    assert alignment == Alignment("发展", [2, 7], [3, 8])


@pytest.mark.parametrize(("start", "end"), [(0, 0), (1, 0), (-1, 1), (0, 3), (2, 2)])
def test_to_original_rejects_empty_or_outside_spans(start: int, end: int) -> None:
    with pytest.raises(ValueError):
        align("發展").to_original(start, end)


def test_empty_text() -> None:
    assert align("") == Alignment("", [], [])
    assert align(" \u200b\n") == Alignment("", [], [])


def assert_sound(original: str, alignment: Alignment) -> None:
    """The invariants of an alignment of ``original``."""
    text, starts, ends = alignment.text, alignment.starts, alignment.ends
    assert text == normalize_text(original)
    assert len(starts) == len(ends) == len(text)
    for j in range(len(text)):
        start, end = starts[j], ends[j]
        assert 0 <= start < end <= len(original), (j, start, end)
        if j:
            # Non-decreasing; two characters share their whole span or do not overlap.
            assert starts[j - 1] <= start and ends[j - 1] <= end
            assert ends[j - 1] <= start or (starts[j - 1], ends[j - 1]) == (start, end)
        assert plausible(original[start:end], text[j]), (original[start:end], text[j])


def plausible(source: str, produced: str) -> bool:
    """Whether ``produced`` can come from ``source`` in the pipeline: the character itself,
    a space or line break from whitespace, half width from full width, simplified from
    traditional (by phrase, so any Han character), or anything from an entity (invisible
    characters are dropped before entities are decoded, so ``&\u200bamp;`` is one too)."""
    if len(source) > 1:
        entity = "".join(c for c in source if unicodedata.category(c) not in ("Cf", "Cc"))
        return entity.startswith("&") and entity.endswith(";") and html.unescape(entity) != entity
    if produced == source:
        return True
    if source.isspace() or unicodedata.category(source) == "Zs":
        return produced in " \n"
    if HAN.match(source) and HAN.match(produced):
        return True
    return produced == unicodedata.normalize("NFKC", source)


@settings(max_examples=500, deadline=None)
@given(any_text)
@example("&\u200bamp;")
def test_alignment_is_sound(original: str) -> None:
    assert_sound(original, align(original))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "發(fā)", "會議(huì yì)", "&amp;lt;"]), max_size=60))
def test_alignment_of_pieces_is_sound(pieces: list[str]) -> None:
    original = "".join(pieces)
    assert_sound(original, align(original))


# -- conversions that change length ------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "produced", "expected"),
    [
        (2, 5, 1, [(2, 5, 1)]),  # three characters read as one
        (2, 3, 2, [(2, 3, 2)]),  # one character read as two
        (0, 4, 2, [(0, 2, 1), (2, 4, 1)]),  # even shares
        (0, 3, 2, [(1, 3, 1)]),  # the first output keeps one character: no edit needed
        (0, 2, 3, [(1, 2, 2)]),
        (4, 4, 0, []),
        (4, 6, 0, [(4, 6, 0)]),
    ],
)
def test_proportional(start: int, end: int, produced: int, expected: list) -> None:
    assert proportional(start, end, produced) == expected


def test_segment_edits_align_changed_segments() -> None:
    # 甲乙丙 read as 丁 on the first line; 戊 as 己庚 and 辛 as 壬 on the second.
    source, converted = "一甲乙丙二\n三戊四辛五", "一丁二\n三己庚四壬五"
    edits = segment_edits(source, converted)
    starts, ends = compose(len(source), [edits])
    assert list(zip(starts, ends, strict=True)) == [
        (0, 1), (1, 4), (4, 5), (5, 6), (6, 7), (7, 8), (7, 8), (8, 9), (9, 10), (10, 11),
    ]  # fmt: skip


def test_segment_edits_compare_converted_characters() -> None:
    # Traditional against simplified: 會議 matches 会议, only 甲乙丙 → 丁 is a segment.
    starts, ends = compose(6, [segment_edits("會議甲乙丙發", "会议丁发")])
    assert list(zip(starts, ends, strict=True)) == [(0, 1), (1, 2), (2, 5), (5, 6)]


def test_segment_edits_at_the_start_and_across_lines() -> None:
    starts, ends = compose(3, [segment_edits("甲乙丙", "丁甲乙丙")])  # an insertion first
    assert list(zip(starts, ends, strict=True)) == [(0, 1), (0, 1), (1, 2), (2, 3)]
    # Line breaks moved: one diff over the whole text.
    starts, ends = compose(5, [segment_edits("甲\n乙丙丁", "甲乙\n丙")])
    assert len(starts) == 4 and starts == sorted(starts) and ends == sorted(ends)


class _LengthChangingConverter:
    """OpenCC, plus two invented rules that change length, as a future dictionary might."""

    def __init__(self, real: object) -> None:
        self.real = real

    def convert(self, text: str) -> str:
        return self.real.convert(text).replace("甲乙丙", "丁").replace("戊", "己庚")  # type: ignore[attr-defined]


def test_align_through_a_conversion_that_changes_length(monkeypatch: pytest.MonkeyPatch) -> None:
    real = script_module._converter()
    monkeypatch.setattr(script_module, "_converter", lambda: _LengthChangingConverter(real))
    original = "會議甲乙丙發\u200b戊展"
    alignment = align(original)
    assert alignment.text == normalize_text(original) == "会议丁发己庚展"
    assert alignment.to_original(2, 3) == (2, 5)  # 丁
    assert alignment.to_original(3, 4) == (5, 6)  # 发
    assert alignment.to_original(4, 5) == alignment.to_original(5, 6) == (7, 8)  # 己, 庚
    assert alignment.to_original(6, 7) == (8, 9)  # 展
