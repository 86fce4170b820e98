"""The person view of the web page in a real headless Chromium against the real service,
filled from the invented reports of tests/fixtures/persons. Screenshots of the view are
left in each test's tmp dir (``person-*.png``)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

# The browser fixture of the page's tests, run against this module's service.
from tests.chromium import CHROMIUM
from tests.conftest import FIXTURES
from tests.service import RunningService, running_service, wait_for
from tests.web.test_page import page  # noqa: F401

pytestmark = pytest.mark.browser
REPORTS = sorted((FIXTURES / "persons").glob("*.txt"))


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    with running_service(tmp_path_factory.mktemp("persons-web")) as running:
        for report in REPORTS:
            shutil.copy(report, running.inbox / report.name)
        documents = len(REPORTS)
        wait_for(lambda: running.get("/health").json()["documents"] == documents, 60, "reports")
        yield running


def person_url(service: RunningService, name: str) -> str:
    return f"{service.url}/?view=person&name={quote(name)}"


def test_a_person_page(service: RunningService, page, tmp_path: Path) -> None:  # noqa: F811
    page.goto(person_url(service, "周明远"))
    page.wait_for_selector("section.group")
    assert "人物档案：周明远" in page.locator("#summary").inner_text()
    group = page.locator("section.group").first
    assert "青禾集团" in group.locator("h2").inner_text()
    timeline = group.locator("ol.timeline li").all_inner_texts()
    assert any(line.startswith("2022-01-18") and "董事长" in line for line in timeline)
    assert "2023-03-06*" in group.locator("ol.timeline").inner_text(), "inferred year marked"
    assert group.locator("[data-role=chaired] li").count() >= 1
    assert "稳中求进" in group.locator("ol.directives").inner_text()
    page.screenshot(path=str(tmp_path / "person-zhou.png"), full_page=True)

    group.locator(".companions a", has_text="韩立新").click()
    page.wait_for_function("document.querySelector('#summary').textContent.includes('韩立新')")
    assert "name=%E9%9F%A9%E7%AB%8B%E6%96%B0" in page.url, "the person is in the URL"
    page.locator("section.group ol.directives .meta a, section.group [data-role] a").first.click()
    page.wait_for_selector("#document:not([hidden])")
    assert page.locator("#person").is_hidden()
    page.go_back()
    page.wait_for_function("document.querySelector('#summary').textContent.includes('韩立新')")
    page.reload()  # a bookmark of the page opens the same page
    page.wait_for_selector("section.group")
    assert "人物档案：韩立新" in page.locator("#summary").inner_text()


def test_one_name_two_people(service: RunningService, page, tmp_path: Path) -> None:  # noqa: F811
    page.goto(person_url(service, "张伟"))
    page.wait_for_selector("section.group")
    assert page.locator("section.group").count() >= 2
    assert "同名者按所属机构分为" in page.locator("#summary").inner_text()
    headings = page.locator("section.group h2").all_inner_texts()
    assert any("青禾集团" in heading for heading in headings)
    page.screenshot(path=str(tmp_path / "person-zhang.png"), full_page=True)


def test_names_lead_to_their_pages(service: RunningService, page) -> None:  # noqa: F811
    page.goto(service.url + "/")
    page.wait_for_selector("article.hit")
    page.click("ul[data-facet=person] li:has-text('周明远') a.profile")
    page.wait_for_function("document.querySelector('#summary').textContent.includes('周明远')")
    assert "view=person" in page.url

    page.goto(service.url + "/?q=" + quote("经营分析会"))
    page.click("article.hit h3 a")
    page.wait_for_selector("#document:not([hidden])")
    page.click("#document dd a.person >> text=张伟")
    page.wait_for_selector("section.group")
    assert "人物档案：张伟" in page.locator("#summary").inner_text()

    page.goto(service.url + "/?view=directives&speaker=" + quote("周明远"))
    page.wait_for_selector("article.directive")
    page.click("#filters [data-person-page]")
    page.wait_for_selector("section.group")
    page.go_back()
    page.wait_for_selector("article.directive")
    page.locator("article.directive a.person").first.click()
    page.wait_for_selector("section.group")
    assert "view=person" in page.url


def test_unknown_person(service: RunningService, page) -> None:  # noqa: F811
    page.goto(person_url(service, "欧阳无名"))
    page.wait_for_selector("#summary .error")
    assert "no person named" in page.locator("#summary").inner_text()
    page.fill("#q", "青禾")
    page.press("#q", "Enter")  # a search from the person view lists documents again
    page.wait_for_selector("article.hit")
    assert "view=" not in page.url
