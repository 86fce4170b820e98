"""The grouping rule: one name, several people, told apart by their organisations."""

from __future__ import annotations

import pytest

from archive.person_groups import group_documents, is_generic_org, person_orgs
from tests.persons import person, report


def shape(groups) -> list[tuple[tuple[str, ...], list[str]]]:
    """Each group as (its organisations, the keys of its documents)."""
    return [(g.orgs, [d.text for d in g.documents]) for g in groups]


def test_shared_organisation_links_documents() -> None:
    docs = [
        report("a", person("张伟", ("总经理", "青禾集团")), date="2022-01-10"),
        report("b", person("张伟", ("副总经理", "青禾集团")), date="2021-03-02"),
    ]
    assert shape(group_documents("张伟", docs)) == [(("青禾集团",), ["a", "b"])]


def test_same_name_under_unrelated_organisations_is_never_merged() -> None:
    docs = [
        report("group-1", person("张伟", ("总经理", "青禾集团"))),
        report("county-1", person("张伟", ("副县长", "江岭县人民政府"))),
        report("group-2", person("张伟", ("总经理", "青禾集团"))),
    ]
    assert shape(group_documents("张伟", docs)) == [
        (("青禾集团",), ["group-1", "group-2"]),  # the larger group first
        (("江岭县人民政府",), ["county-1"]),
    ]


def test_links_chain_through_a_document_with_two_organisations() -> None:
    docs = [
        report("a", person("周明远", ("董事长", "青禾集团"))),
        report("b", person("周明远", ("董事长", "青禾集团"), ("董事", "青禾控股"))),
        report("c", person("周明远", ("董事", "青禾控股"))),
        report("d", person("周明远", ("主任", "白沙县人大常委会"))),
    ]
    assert shape(group_documents("周明远", docs)) == [
        (("青禾控股", "青禾集团"), ["a", "b", "c"]),
        (("白沙县人大常委会",), ["d"]),
    ]


def test_own_org_counts_when_posts_name_none() -> None:
    doc = report("a", person("韩立新", ("总经理", None), org="青禾集团"))
    assert person_orgs("韩立新", doc) == {"青禾集团"}


@pytest.mark.parametrize(
    "org",
    [
        "县委",
        "市政府",
        "县政协",
        "人大常委会",
        "区委",
        "镇党委",
        "集团公司",
        "财务部",
        "县农业农村局",
    ],
)
def test_generic_names_are_no_organisation(org: str) -> None:
    assert is_generic_org(org)


@pytest.mark.parametrize(
    "org", ["青禾集团", "市城建集团", "江岭县委", "江岭县人民政府", "青禾集团财务部", "中共中央"]
)
def test_specific_names_are_organisations(org: str) -> None:
    assert not is_generic_org(org)


def test_generic_organisations_do_not_link_two_counties() -> None:
    # Two county heads named 李军 whose posts say only 县政府: nothing tells them apart,
    # so nothing claims they are one person of a named organisation either.
    docs = [
        report("a", person("李军", ("县长", "县政府")), organizer="江岭县委", orgs=("江岭县委",)),
        report("b", person("李军", ("县长", "县政府")), organizer="白沙县委", orgs=("白沙县委",)),
    ]
    assert shape(group_documents("李军", docs)) == [((), ["a", "b"])]


def test_a_document_without_organisation_joins_the_one_group_it_names() -> None:
    docs = [
        report("placed", person("许卫东", ("副总经理", "青禾集团"))),
        report("county", person("许卫东", ("局长", "江岭县水利局"))),
        report("by-organizer", person("许卫东", ("副总经理", None)), organizer="青禾集团"),
        report("by-orgs", person("许卫东", roles=("attendee",)), orgs=("财务部", "江岭县水利局")),
    ]
    assert shape(group_documents("许卫东", docs)) == [
        (("江岭县水利局",), ["county", "by-orgs"]),  # as many documents: by organisation
        (("青禾集团",), ["placed", "by-organizer"]),
    ]


def test_documents_that_do_not_say_which_person_stay_apart() -> None:
    docs = [
        report("group", person("张伟", ("总经理", "青禾集团"))),
        report("county", person("张伟", ("副县长", "江岭县人民政府"))),
        report("both", person("张伟"), orgs=("青禾集团", "江岭县人民政府")),  # ambiguous
        report("neither", person("张伟", ("副县长", None)), orgs=("县政府",)),
    ]
    assert shape(group_documents("张伟", docs)) == [
        (("江岭县人民政府",), ["county"]),
        (("青禾集团",), ["group"]),
        ((), ["both", "neither"]),  # listed last, organisation not stated
    ]


def test_without_any_organisation_everything_is_one_group() -> None:
    docs = [report("a", person("孙晓梅", ("部长", None))), report("b", person("孙晓梅"))]
    assert shape(group_documents("孙晓梅", docs)) == [((), ["a", "b"])]


def test_a_name_written_twice_in_a_document_counts_once() -> None:
    doc = report("a", person("张伟", ("总经理", "青禾集团")), person("张伟", ("董事", "青禾控股")))
    assert shape(group_documents("张伟", [doc])) == [(("青禾控股", "青禾集团"), ["a"])]
