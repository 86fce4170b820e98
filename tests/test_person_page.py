"""The person page built from records made by hand: posts over time, days (inferred and
year-unknown ones included), meetings by role, directives and companions."""

from __future__ import annotations

import datetime as dt

from archive.person_page import (
    COMPANIONS,
    Day,
    build_page,
    companions,
    directives_given,
    document_day,
    meetings_by_role,
    post_timeline,
)
from archive.records import Person
from tests.persons import directive, person, report

CHAIR = person(
    "周明远", ("党委书记", "青禾集团"), ("董事长", "青禾集团"), roles=("chair", "speaker")
)


def test_the_day_is_the_meetings_when_its_year_is_known() -> None:
    doc = report("a", CHAIR, date="2023-03-06", year_source="text")
    doc.date = dt.date(2023, 3, 8)  # published two days later
    day = document_day(doc)
    assert day == Day(date=dt.date(2023, 3, 6), month_day="--03-06", year_source="text")
    assert day.year_known and day.year_inferred, "a year from 2023年度 is inferred"


def test_the_document_date_stands_in_for_the_meetings() -> None:
    doc = report("a", CHAIR, meeting=None)
    doc.date, doc.year_source = dt.date(2022, 5, 1), "written"
    day = document_day(doc)
    assert day is not None and day.date == dt.date(2022, 5, 1) and not day.year_inferred


def test_a_day_without_year_is_kept_and_marked() -> None:
    day = document_day(report("a", CHAIR, start_day="--03-06"))
    assert day == Day(month_day="--03-06")
    assert not day.year_known and not day.year_inferred
    assert document_day(report("b", CHAIR)) is None


def test_days_serialise_with_their_marks() -> None:
    day = Day(date=dt.date(2023, 3, 6), month_day="--03-06", year_source="filename")
    assert day.model_dump(mode="json") == {
        "date": "2023-03-06",
        "month_day": "--03-06",
        "year_source": "filename",
        "year_known": True,
        "year_inferred": True,
    }


def test_post_timeline_with_first_and_last_day() -> None:
    docs = [
        report("2023", person("韩立新", ("董事长", "青禾集团")), date="2023-04-01"),
        report("2021", person("韩立新", ("总经理", "青禾集团")), date="2021-02-03"),
        report("2022", person("韩立新", ("总经理", None)), date="2022-07-09"),
        report("2024", person("韩立新", ("董事长", "青禾集团")), date="2024-01-05"),
        report("no-year", person("韩立新", ("董事长", "青禾集团")), start_day="--12-30"),
    ]
    spans = post_timeline("韩立新", docs)
    assert [(s.title, s.org) for s in spans] == [("总经理", "青禾集团"), ("董事长", "青禾集团")]
    manager, chair = spans
    assert (manager.first.date, manager.last.date) == (dt.date(2021, 2, 3), dt.date(2022, 7, 9))
    assert len(manager.seen) == 2, "总经理 without organisation is the one 总经理 of 青禾集团"
    assert (chair.first.date, chair.last.date) == (dt.date(2023, 4, 1), dt.date(2024, 1, 5))
    assert [s.day.month_day for s in chair.seen] == ["--04-01", "--01-05", "--12-30"]
    assert chair.seen[-1].day.year_known is False, "the year-unknown sighting is not dropped"


def test_a_post_seen_only_without_year() -> None:
    docs = [
        report("a", person("许卫东", ("副总经理", None)), start_day="--06-01"),
        report("b", person("许卫东", ("副总经理", None)), start_day="--03-15"),
    ]
    (span,) = post_timeline("许卫东", docs)
    assert (span.first.month_day, span.last.month_day) == ("--03-15", "--06-01")
    assert not span.first.year_known


def test_a_title_without_organisation_stays_apart_when_two_organisations_have_it() -> None:
    docs = [
        report("a", person("张伟", ("董事", "青禾集团"), ("董事", "青禾控股"))),
        report("b", person("张伟", ("董事", None))),
    ]
    keys = [(s.title, s.org) for s in post_timeline("张伟", docs)]
    assert sorted(keys, key=str) == [("董事", "青禾控股"), ("董事", "青禾集团"), ("董事", None)]


def test_records_from_before_posts_use_titles_and_org() -> None:
    old = report("old", Person(name="周明远", titles=["董事长"], org="青禾集团"), date="2020-01-01")
    assert [(s.title, s.org) for s in post_timeline("周明远", [old])] == [("董事长", "青禾集团")]


def test_meetings_by_role_newest_first() -> None:
    docs = [
        report("chaired-2022", CHAIR, date="2022-01-18"),
        report("chaired-2023", CHAIR, date="2023-01-10"),
        report("reported", person("周明远", roles=("reporter",)), date="2022-06-01"),
        report("attended", person("周明远", roles=("attendee",)), start_day="--09-09"),
        report("named", person("周明远"), date="2021-01-01"),
        report("relayed", person("周明远", roles=("conveyor", "attendee")), date="2022-03-01"),
    ]
    meetings = meetings_by_role("周明远", docs)

    def keys(appearances) -> list[str]:
        return [a.document_id for a in appearances]

    ids = {doc.text: doc.id for doc in docs}
    assert keys(meetings.chaired) == [ids["chaired-2023"], ids["chaired-2022"]]
    assert keys(meetings.spoke) == [
        ids["chaired-2023"],
        ids["reported"],
        ids["relayed"],
        ids["chaired-2022"],
    ]
    assert keys(meetings.attended) == [ids["relayed"], ids["attended"]], "no year: last"
    assert keys(meetings.named) == [ids["named"]]
    assert meetings.chaired[0].meeting == "工作会议" and meetings.chaired[0].roles == [
        "chair",
        "speaker",
    ]


def test_directives_of_the_person_only_in_text_order() -> None:
    older = report(
        "older",
        CHAIR,
        date="2022-01-18",
        directives=(directive("周明远", "要抓好项目建设"), directive("韩立新", "要控制成本")),
    )
    newer = report(
        "newer",
        CHAIR,
        date="2023-03-06",
        directives=(directive("周明远", "要压实责任"), directive("周明远", "要排查隐患", "要求")),
    )
    given = directives_given("周明远", [older, newer])
    assert [g.directive.text for g in given] == ["要压实责任", "要排查隐患", "要抓好项目建设"]
    assert given[0].document_id == newer.id and given[0].day.date == dt.date(2023, 3, 6)


def test_companions_are_counted_by_documents() -> None:
    docs = [
        report("a", CHAIR, person("韩立新"), person("韩立新"), person("许卫东")),
        report("b", CHAIR, person("韩立新")),
        report("c", CHAIR, person("孙晓梅")),
    ]
    assert [(c.name, c.documents) for c in companions("周明远", docs)] == [
        ("韩立新", 2),
        ("孙晓梅", 1),
        ("许卫东", 1),
    ]
    crowd = report("crowd", CHAIR, *(person(f"王{n:02d}") for n in range(COMPANIONS + 5)))
    assert len(companions("周明远", [crowd])) == COMPANIONS


def test_build_page_groups_and_caps() -> None:
    docs = [
        report(
            "group", person("张伟", ("副总经理", "青禾集团"), roles=("chair",)), date="2023-06-12"
        ),
        report("county", person("张伟", ("副县长", "江岭县人民政府")), date="2023-03-20"),
        report("other", person("韩立新")),
    ]
    page = build_page("张伟", docs, total=5)
    assert (page.name, page.total, page.read, page.capped) == ("张伟", 5, 2, True)
    assert [g.orgs for g in page.groups] == [["江岭县人民政府"], ["青禾集团"]]
    assert [g.documents for g in page.groups] == [[docs[1].id], [docs[0].id]]
    assert build_page("张伟", docs).capped is False
