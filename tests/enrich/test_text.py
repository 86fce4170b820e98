"""The segmented text the extractors share: its compact boundary lookups must answer as
the plain sets and dicts of token offsets would, on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.enrich import enrich, original_title
from archive.enrich.text import Segmented
from archive.normalize import normalize
from archive.read import read_bytes

PIECES = [
    *("青禾集团", "召开", "会议", "柏松涛", "·", "约翰", "米勒"),
    *("。", "，", "\n", " ", "2021", "年", "A股", "、"),
]


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
    )
)
def test_boundaries_answer_as_sets_of_token_offsets(text: str) -> None:
    seg = Segmented(text)
    assert "".join(t.word for t in seg.tokens) == text
    starts = {t.start: i for i, t in enumerate(seg.tokens)}
    ends = {t.end: i for i, t in enumerate(seg.tokens)}
    assert list(seg.token_starts) == [t.start for t in seg.tokens]
    for pos in range(-2, len(text) + 3):
        assert (pos in seg.starts) == (pos in starts)
        assert (pos in seg.ends) == (pos in ends)
        assert seg.index_at.get(pos) == starts.get(pos)
        assert seg.index_ending.get(pos) == ends.get(pos)
    for index in range(len(seg.tokens) + 1):
        assert list(seg.tokens_from(index)) == seg.tokens[index:]


def test_a_token_written_many_times_is_one_string() -> None:
    seg = Segmented("会议，会议，会议。")
    meetings = [t.word for t in seg.tokens if t.word == "会议"]
    assert len(meetings) == 3 and all(w is meetings[0] for w in meetings)


def test_the_title_of_a_long_traditional_file_is_cut_from_its_original() -> None:
    # Over the aligned head (64 KB): only the head is aligned to find the title; the
    # result must be the one the whole alignment gives.
    line = "青禾集團召開2023年安全生產工作會議，黨委書記、董事長柏松濤出席會議並講話。\n"
    original = "青禾集團召開年度工作會議\n" + line * 4000
    doc = normalize(read_bytes(original.encode("utf-8"), "compilation.txt"))
    assert len(doc.original_text) > 64 * 1024
    record = enrich(doc)
    assert record.title == "青禾集团召开年度工作会议"
    assert record.original_title == "青禾集團召開年度工作會議"
    assert original_title(doc, "柏松涛") == "柏松濤"
