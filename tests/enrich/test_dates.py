"""Dates: expressions, ranges, Chinese numerals, and each source of a missing year."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.enrich import enrich
from archive.enrich.dates import (
    DateMention,
    YearHints,
    cn_number,
    filename_date,
    find_dates,
    fiscal_year,
    near_year,
    resolve_year,
    to_dates,
)
from archive.enrich.text import fold
from archive.normalize import normalize
from tests.enrich.helpers import make_doc

D = dt.date


def parsed(text: str) -> list[tuple]:
    return [
        (m.year, m.month, m.day, m.end_year, m.end_month, m.end_day) for m in find_dates(fold(text))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021年1月8日", [(2021, 1, 8, None, None, None)]),
        ("1月8日", [(None, 1, 8, None, None, None)]),
        ("1月8日-9日", [(None, 1, 8, None, 1, 9)]),
        ("1月8日至9日", [(None, 1, 8, None, 1, 9)]),
        ("1月8-9日", [(None, 1, 8, None, 1, 9)]),
        ("1月30日—2月1日", [(None, 1, 30, None, 2, 1)]),
        ("12月30日至1月2日", [(None, 12, 30, None, 1, 2)]),
        ("2021年12月30日—2022年1月2日", [(2021, 12, 30, 2022, 1, 2)]),
        ("2021-01-08", [(2021, 1, 8, None, None, None)]),
        ("2021.1.8", [(2021, 1, 8, None, None, None)]),
        ("2021/1/8", [(2021, 1, 8, None, None, None)]),
        ("２０２１年１月８日", [(2021, 1, 8, None, None, None)]),  # full-width digits
        ("一九九八年一月五日", [(1998, 1, 5, None, None, None)]),
        ("二〇二二年五月九日", [(2022, 5, 9, None, None, None)]),
        ("十二月三十一日", [(None, 12, 31, None, None, None)]),
        ("十一月二十日", [(None, 11, 20, None, None, None)]),
        ("三月十五号", [(None, 3, 15, None, None, None)]),
        (
            "3月15日上午,5月1日下午",
            [(None, 3, 15, None, None, None), (None, 5, 1, None, None, None)],
        ),
        # not dates
        ("13月5日", []),
        ("2月30日", []),
        ("1月份", []),
        ("第3版", []),
        ("2021年", []),
        ("5月1日至今", [(None, 5, 1, None, None, None)]),
    ],
)
def test_find_dates(text: str, expected: list[tuple]) -> None:
    assert parsed(text) == expected


@pytest.mark.parametrize(
    ("written", "value"),
    [("12", 12), ("十", 10), ("十二", 12), ("二十", 20), ("三十一", 31), ("一九九八", 1998)],
)
def test_cn_number(written: str, value: int) -> None:
    assert cn_number(written) == value


@pytest.mark.parametrize(
    ("filename", "date"),
    [
        ("20210108.txt", D(2021, 1, 8)),
        ("2021-01-08 集团新闻.txt", D(2021, 1, 8)),
        ("19980101-01-002.txt", D(1998, 1, 1)),
        ("news_2022_03_15.html", D(2022, 3, 15)),
        ("meeting.txt", None),
        ("20211340.txt", None),
        ("000_98e1f4b20b41f1af.txt", None),
    ],
)
def test_filename_date(filename: str, date: dt.date | None) -> None:
    assert filename_date(filename) == date


def test_fiscal_year_reads_the_first_n_niandu() -> None:
    assert fiscal_year(None, "召开2023年度工作务虚会", "总结2022年度工作") == 2023
    assert fiscal_year("工作会议", "研究2020年工作") is None


JAN_8 = DateMention(0, 4, None, 1, 8)
DEC_31 = DateMention(0, 6, None, 12, 31)


@pytest.mark.parametrize(
    ("text", "mention", "hints", "found"),
    [
        # the expression's own year wins over everything
        (
            "",
            DateMention(0, 9, 2020, 1, 8),
            YearHints(D(2022, 1, 1), fiscal=2021),
            (2020, "written"),
        ),
        # the page's publication date
        ("", JAN_8, YearHints(D(2022, 1, 10), file_date=D(2019, 5, 1)), (2022, "published")),
        # ... or a date in its address
        ("", JAN_8, YearHints(D(2022, 1, 10), "address"), (2022, "address")),
        # ... a December meeting reported in January is last year's
        ("", DEC_31, YearHints(D(1998, 1, 2)), (1997, "published")),
        # ... a meeting announced a few weeks ahead is this year's
        ("", DateMention(0, 5, None, 2, 3), YearHints(D(2023, 1, 20)), (2023, "published")),
        # the file name's date
        ("", JAN_8, YearHints(file_date=D(2022, 1, 20), fiscal=2021), (2022, "filename")),
        ("", DEC_31, YearHints(file_date=D(1998, 1, 1)), (1997, "filename")),
        # N年度 of the meeting
        ("", JAN_8, YearHints(fiscal=2021, modified=D(2025, 6, 1)), (2021, "text")),
        # the latest explicit year near the date
        ("1月8日,集团总结2020年工作,部署2021年任务。", JAN_8, YearHints(), (2021, "text")),
        # ... a target year (到2035年) is no year of the article
        (
            "1月8日,集团部署2021年任务,提出到2035年建成一流企业。",
            JAN_8,
            YearHints(),
            (2021, "text"),
        ),
        # ... nor is a year too far from the date
        (
            "1月8日,集团召开会议。" + "会议要求抓好落实。" * 30 + "2019年",
            JAN_8,
            YearHints(),
            (None, None),
        ),
        # the file's modification time, last
        ("1月8日,集团召开会议。", JAN_8, YearHints(modified=D(2023, 1, 9)), (2023, "modified")),
        ("1月8日,集团召开会议。", JAN_8, YearHints(), (None, None)),
        # 今年 / 去年 count from the first of those
        (
            "今年1月8日,集团召开会议。",
            DateMention(2, 6, None, 1, 8),
            YearHints(D(2023, 11, 2)),
            (2023, "published"),
        ),
        (
            "去年12月31日,集团召开会议。",
            DateMention(2, 8, None, 12, 31),
            YearHints(file_date=D(2023, 11, 2)),
            (2022, "filename"),
        ),
    ],
)
def test_resolve_year(
    text: str, mention: DateMention, hints: YearHints, found: tuple[int | None, str | None]
) -> None:
    assert resolve_year(text, mention, hints) == found


def test_near_year_reads_chinese_numeral_years() -> None:
    text = "一月五日,会议回顾了一九九七年的工作。"
    assert near_year(text, next(find_dates(text))) == 1997


@pytest.mark.parametrize(
    ("mention", "year", "days"),
    [
        (DateMention(0, 1, None, 1, 8), 2021, (D(2021, 1, 8), None)),
        (DateMention(0, 1, None, 1, 8, None, 1, 9), 2021, (D(2021, 1, 8), D(2021, 1, 9))),
        (DateMention(0, 1, None, 1, 30, None, 2, 1), 2024, (D(2024, 1, 30), D(2024, 2, 1))),
        (DateMention(0, 1, None, 12, 30, None, 1, 2), 2021, (D(2021, 12, 30), D(2022, 1, 2))),
        (DateMention(0, 1, None, 2, 29), 2021, None),  # no such day that year
    ],
)
def test_to_dates(mention: DateMention, year: int, days: tuple | None) -> None:
    assert to_dates(mention, year) == days


# Whole documents: which date is the meeting's, and where its year comes from.


def test_a_day_without_a_year_is_kept_as_a_partial_date() -> None:
    doc = enrich(make_doc("3月6日,青禾区召开座谈会。"))
    meeting = doc.meeting
    assert (meeting.start_day, meeting.end_day, meeting.start, meeting.year_source) == (
        "--03-06",
        "--03-06",
        None,
        None,
    )
    assert (doc.date, doc.year) == (None, None)


def test_the_year_of_a_partial_date_from_a_header_line() -> None:
    text = "青禾区召开座谈会\n发布时间：2023-03-12 10:21\n3月6日,青禾区召开民营企业座谈会。"
    doc = enrich(make_doc(text))
    assert (doc.meeting.start, doc.meeting.start_day) == (D(2023, 3, 6), "--03-06")
    assert (doc.meeting.year_source, doc.year_source) == ("published", "published")
    assert doc.published == D(2023, 3, 12)


def test_the_year_from_a_date_stamp_at_the_bottom() -> None:
    text = "12月28日,江岭能源集团召开党委会议。\n会议研究了年度工作。\n党群部 供稿\n2024年1月3日"
    doc = enrich(make_doc(text))
    assert (doc.meeting.start, doc.meeting.year_source) == (D(2023, 12, 28), "published")


def test_a_dateline_dates_the_page_not_the_meeting() -> None:
    doc = enrich(make_doc("青禾网3月9日讯 3月8日,青禾区召开座谈会。"))
    assert doc.meeting.start_day == "--03-08"


def test_the_year_from_the_address_in_the_markup() -> None:
    raw = dataclasses.replace(
        make_doc("3月6日,青禾区召开座谈会。").raw,
        address="https://news.qinghe.example/2021/0307/c123.html",
    )
    doc = enrich(normalize(raw))
    assert (doc.meeting.start, doc.meeting.year_source) == (D(2021, 3, 6), "address")
    assert doc.source.address == raw.address


def test_the_year_from_the_publication_date_in_the_markup() -> None:
    raw = dataclasses.replace(make_doc("3月6日,青禾区召开座谈会。").raw, published=D(2020, 3, 9))
    doc = enrich(normalize(raw))
    assert (doc.meeting.start, doc.meeting.year_source, doc.published) == (
        D(2020, 3, 6),
        "published",
        D(2020, 3, 9),
    )


def test_the_file_modification_time_is_the_last_resort() -> None:
    modified = dt.datetime(2022, 3, 10, 8, 0, tzinfo=dt.UTC)
    raw = dataclasses.replace(make_doc("3月6日,青禾区召开座谈会。").raw, modified=modified)
    doc = enrich(normalize(raw))
    assert (doc.meeting.start, doc.meeting.year_source) == (D(2022, 3, 6), "modified")
    assert doc.source.modified == modified


def test_last_year_written_as_qunian() -> None:
    text = "去年12月30日,青禾区召开座谈会。"
    doc = enrich(make_doc(text, filename="20230105_qinghe.txt"))
    assert (doc.meeting.start, doc.meeting.year_source) == (D(2022, 12, 30), "filename")


def test_two_days_listed_are_a_meeting_of_two_days() -> None:
    doc = enrich(make_doc("4月27日、28日,青禾集团召开经营分析会。"))
    assert (doc.meeting.start_day, doc.meeting.end_day) == ("--04-27", "--04-28")


def test_meeting_date_is_the_date_of_the_meeting_sentence() -> None:
    text = "本报讯 3月2日,记者获悉。3月1日,市交投集团召开2022年度安全生产工作会议。"
    doc = enrich(make_doc(text))
    assert (doc.date, doc.year) == (D(2022, 3, 1), 2022)
    assert (doc.meeting.start, doc.meeting.end) == (D(2022, 3, 1), D(2022, 3, 1))


def test_range_fills_meeting_start_and_end() -> None:
    doc = enrich(make_doc("1月5日-6日,市交投集团召开2022年度工作务虚会。"))
    assert (doc.date, doc.year) == (D(2022, 1, 5), 2022)
    assert (doc.meeting.start, doc.meeting.end) == (D(2022, 1, 5), D(2022, 1, 6))


def test_without_meeting_the_first_date_of_the_article_is_the_date() -> None:
    doc = enrich(make_doc("2022年4月3日,市民在公园植树。4月5日,活动结束。"))
    assert (doc.date, doc.year) == (D(2022, 4, 3), 2022)
    assert doc.meeting.start is None


def test_year_from_filename() -> None:
    doc = enrich(make_doc("3月15日,青禾区召开座谈会。", filename="20220316_news.txt"))
    assert (doc.date, doc.meeting.start) == (D(2022, 3, 15), D(2022, 3, 15))


def test_without_any_date_in_the_text_the_filename_date_is_the_date() -> None:
    doc = enrich(make_doc("青禾区召开座谈会。", filename="2022-03-16.txt"))
    assert (doc.date, doc.year) == (D(2022, 3, 16), 2022)
    assert doc.meeting.start is None


def test_without_any_date_the_year_may_still_come_from_n_niandu() -> None:
    doc = enrich(make_doc("市交投集团召开2022年度工作会议。"))
    assert (doc.date, doc.year) == (None, 2022)


def test_no_date_at_all() -> None:
    doc = enrich(make_doc("青禾区召开座谈会。"))
    assert (doc.date, doc.year, doc.meeting.start) == (None, None, None)


def _stamp_by_rescan(text: str, start: int, end: int) -> bool:
    """stamp_test as first written, cutting the date's line out for every date."""
    from archive.enrich import published

    if published._DATELINE_AFTER.match(text, end):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return published._stamp_line(text[line_start : len(text) if line_end < 0 else line_end].strip())


_PIECES = [
    "2021年1月8日",
    "1月9日",
    "9日",
    "-",
    "至",
    "发布时间：",
    "讯",
    "\n",
    "召开会议",
    "。",
    " ",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=20))
def test_the_stamp_test_judges_each_line_as_a_rescan_does(pieces: list[str]) -> None:
    from archive.enrich.published import stamp_test

    text = "".join(pieces)
    is_stamp = stamp_test(text)
    for d in find_dates(text):
        assert is_stamp(d.start, d.end) == _stamp_by_rescan(text, d.start, d.end)
