"""The person page's I/O edge on every available backend: the documents come through the
``SearchBackend`` contract only, so both engines give the same page."""

from __future__ import annotations

import pytest

from archive.backends import SearchBackend
from archive.errors import PersonNotFound
from archive.person_page import read_person_page
from tests.persons import person, report

DOCS = [
    report("a", person("韩立新", ("总经理", "青禾集团"), roles=("chair",)), date="2021-02-03"),
    report("b", person("韩立新", ("董事长", "青禾集团")), person("许卫东"), date="2023-04-01"),
    report("c", person("韩立新", ("董事长", "青禾集团")), date="2024-01-05"),
    report("d", person("许卫东", ("副总经理", "青禾集团")), date="2022-08-08"),
    report("e", person("韩立新", ("副县长", "江岭县人民政府")), date="2022-05-05"),
]


@pytest.fixture
def archive(backend: SearchBackend) -> SearchBackend:
    for document in DOCS:
        backend.index(document)
    return backend


def test_page_from_the_backend(archive: SearchBackend) -> None:
    page = read_person_page(archive, "韓立新")  # either script
    assert (page.name, page.total, page.read, page.capped) == ("韩立新", 4, 4, False)
    assert [g.orgs for g in page.groups] == [["青禾集团"], ["江岭县人民政府"]]
    assert [s.title for s in page.groups[0].posts] == ["总经理", "董事长"]
    assert [c.name for c in page.groups[0].companions] == ["许卫东"]


def test_a_frequent_name_is_capped_to_the_newest_documents(archive: SearchBackend) -> None:
    page = read_person_page(archive, "韩立新", limit=2)
    assert (page.total, page.read, page.capped) == (4, 2, True)
    assert sorted(page.groups[0].documents) == sorted([DOCS[1].id, DOCS[2].id])


@pytest.mark.parametrize("name", ["欧阳无名", "", "  "])
def test_no_such_person(archive: SearchBackend, name: str) -> None:
    with pytest.raises(PersonNotFound):
        read_person_page(archive, name)
