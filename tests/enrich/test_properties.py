"""Properties of enrich on arbitrary meeting-like text: total, pure, consistent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.enrich import EXTRACTOR_VERSION, enrich
from tests.enrich.helpers import make_doc

# Pieces of meeting news, so that the extractors actually fire on the generated text.
PIECES = [
    "1月8日",
    "-9日",
    "2021年",
    "十二月三十一日",
    "年度",
    ",",
    "。",
    "、",
    "\n",
    " ",
    "市交投集团",
    "召开",
    "举行",
    "工作会议",
    "务虚会",
    "座谈会",
    "会议",
    "在总部",
    "党委书记",
    "董事长",
    "总经理",
    "副市长",
    "同志",
    "王",
    "欧阳",
    "李明",
    "张",
    "华",
    "出席",
    "主持",
    "讲话",
    "并",
    "指出",
    "强调",
    "传达",
    "汇报",
    "在会上",
    "和",
    "总",
    "·",
    "（",
    "）",
    "“",
    "”",
    "１",
    "２",
    "a",
    "0",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, filename=st.sampled_from(["a.txt", "20210108.txt", "1998-01-01 x.txt"]))
def test_enrich_is_total_and_consistent(text: str, filename: str) -> None:
    doc = enrich(make_doc(text, filename=filename))
    assert doc.title.strip()
    assert doc.extractor_version == EXTRACTOR_VERSION
    if doc.date is not None:
        assert doc.year == doc.date.year
    meeting = doc.meeting
    if meeting.start is not None:
        assert meeting.end is not None and meeting.end >= meeting.start
        assert doc.date == meeting.start
    if meeting.type is None:
        assert meeting.name is None and meeting.organizer is None
    names = [p.name for p in doc.persons]
    assert len(names) == len(set(names))
    assert all(name and name in text for name in names)
    assert all(len(p.titles) == len(set(p.titles)) for p in doc.persons)
    assert len(doc.orgs) == len(set(doc.orgs))
    assert enrich(make_doc(text, filename=filename)) == doc
