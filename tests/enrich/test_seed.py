"""Acceptance on the seed article (read from ../shared/data at run time, never copied)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest

from archive.enrich import enrich
from archive.records import Document, NormalizedDocument
from tests.enrich.helpers import make_doc, shared_data


def normalized(path: Path) -> NormalizedDocument:
    """The seed through read and normalize when they exist, else a stand-in: inline pinyin
    stripped and the text converted to simplified with OpenCC."""
    if importlib.util.find_spec("archive.read") and importlib.util.find_spec("archive.normalize"):
        from archive.normalize import normalize
        from archive.read import read_file

        return normalize(read_file(path))
    import opencc

    text = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", path.read_text(encoding="utf-8"))
    return make_doc(opencc.OpenCC("t2s").convert(text), filename=path.name)


@pytest.fixture(scope="module")
def seed() -> Document:
    paths = sorted(shared_data("seed").glob("*.txt"))
    if not paths:
        pytest.skip("no seed article")
    return enrich(normalized(paths[0]))


def test_title(seed: Document) -> None:
    assert "务虚会" in seed.title


def test_date_and_meeting_days(seed: Document) -> None:
    assert (seed.date, seed.year) == (dt.date(2021, 1, 8), 2021)
    assert (seed.meeting.start, seed.meeting.end) == (dt.date(2021, 1, 8), dt.date(2021, 1, 9))


def test_meeting(seed: Document) -> None:
    assert seed.meeting.type == "务虚会"
    assert seed.meeting.name and seed.meeting.name.endswith("务虚会")
    assert seed.meeting.organizer and seed.meeting.organizer in seed.orgs


def test_persons(seed: Document) -> None:
    people = {p.name: p for p in seed.persons}
    assert {name: p.titles for name, p in people.items()} == {
        "潘宪章": ["党委书记", "董事长"],
        "程正栋": ["党委副书记", "总经理"],
    }, "exactly these two people, with exactly these titles"
    assert "董事长" in people["潘宪章"].titles
    assert "总经理" in people["程正栋"].titles
    assert people["潘宪章"].roles == ["speaker"]  # attended and spoke: a speaker
    assert "chair" in people["程正栋"].roles
    # 市城发集团党委书记、董事长潘宪章: the organisation of his titles
    assert people["潘宪章"].org == seed.meeting.organizer == "市城发集团"


def test_periods(seed: Document) -> None:
    assert {"十四五", "十三五"} <= set(seed.periods)
    assert seed.periods.index("十三五") < seed.periods.index("十四五")  # order of mention


def test_places(seed: Document) -> None:
    # The seed is a city group's own news: few places, none taken from its organisations.
    assert len(seed.places) <= 3
    assert not {"市城", "城市", "市委", "市场"} & set(seed.places)
    assert not [place for place in seed.places for org in seed.orgs if place in org]


def test_other_meetings(seed: Document) -> None:
    names = [m.name for m in seed.meetings]
    assert "中央经济工作会议" in names
    assert "市委十三届十二次全会" in names
    assert seed.meeting.name not in names


def test_record(seed: Document) -> None:
    assert seed.source.ingested_at is None
    assert seed.id == seed.source.sha256[:16]


def test_directives(seed: Document) -> None:
    by_items = {len(d.items): d for d in seed.directives if d.items}
    eight, four = by_items[8], by_items[4]
    assert eight.speaker == four.speaker == "潘宪章"
    # 一是抓龙头 … 八是抓党建, in order, split exactly at 一是 … 八是
    heads = ["抓龙头", "抓造血", "抓动脉", "抓生态", "抓康养", "抓文旅", "抓命脉", "抓党建"]
    assert [item.split(",")[0] for item in eight.items] == heads
    assert [item[2:5] for item in four.items] == ["“抢”", "“拼”", "“实”", "“责”"]
    assert "全体干部" in four.targets
    # 程正栋's requirements on the 十四五 plan are his
    cheng = [d for d in seed.directives if d.speaker == "程正栋"]
    assert cheng and "十四五规划" in cheng[0].topics and cheng[0].cue == "提出要求"
    # nothing attributed to anyone else
    assert {d.speaker for d in seed.directives} == {"潘宪章", "程正栋"}
