"""The web page in a real headless Chromium (Debian's, at /usr/bin/chromium) against the
real service. Skips when Chromium is absent, unless ARCHIVE_TEST_REQUIRE_BROWSER is set
(CI sets it, so there the browser test can never silently not run)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.chromium import ARGS, CHROMIUM, require_chromium
from tests.service import RunningService, running_service, wait_for

pytestmark = pytest.mark.browser

ARTICLES = {
    "城建.txt": "1月12日，市城建集團召開2022年度工作會議。"
    "集團黨委書記、董事長王立民出席會議並講話。王立民強調，要推動高質量發展。",
    "交投.txt": "3月5日，市交投集团召开2022年度党委会。总经理李向东主持会议，研究高质量发展工作。",
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    require_chromium()
    with running_service(tmp_path_factory.mktemp("web")) as running:
        for name, text in ARTICLES.items():
            (running.inbox / name).write_text(text, encoding="utf-8")
        wait_for(lambda: running.get("/health").json()["documents"] == 2, 60, "2 documents")
        yield running


@pytest.fixture
def page(service: RunningService, tmp_path: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
        page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
        browser.close()
        assert errors == [], f"JavaScript errors on the page: {errors}"


def test_search_filter_and_read(service: RunningService, page) -> None:
    page.goto(service.url + "/")
    page.wait_for_selector("article.hit")
    assert page.locator("article.hit").count() == 2, "an empty query lists everything"
    # Both years come from 2022年度, not from the dates: shown as inferred, and why.
    inferred = page.locator("article.hit .meta .day.inferred")
    assert inferred.count() == 2 and inferred.first.inner_text().endswith("*")
    assert inferred.first.get_attribute("title") == "年份为推断（依据：正文所写年份）"

    page.fill("#q", "發展")
    page.press("#q", "Enter")
    # The empty query also showed 2 documents: wait for the marks of the new results.
    page.wait_for_selector("article.hit .snippet mark")
    assert page.locator("#summary").inner_text() == "2 篇文档"
    assert "q=%E7%99%BC%E5%B1%95" in page.url, "the query is in the URL, to share it"

    page.click("ul[data-facet=person] >> text=王立民")
    page.wait_for_function("document.querySelector('#summary').textContent.includes('1 篇')")
    titles = page.locator("article.hit h3").all_inner_texts()
    assert titles == ["市城建集團召開2022年度工作會議"], "titles as written, like the text"
    assert "person=" in page.url

    page.click("article.hit h3 a")
    page.wait_for_selector("#document:not([hidden])")
    text = page.locator("#document .text").inner_text()
    assert "市城建集團召開" in text, "the document is shown in the script it was written in"
    marks = page.locator("#document .text mark").all_inner_texts()
    assert marks == ["發展"], "the query is highlighted in the original script"

    page.click("[data-script=simplified]")
    page.wait_for_function("document.querySelector('#document .text mark')?.textContent === '发展'")
    assert "市城建集团召开" in page.locator("#document .text").inner_text()
    page.go_back()
    page.wait_for_function("document.querySelector('#document .text mark')?.textContent === '發展'")

    page.go_back()
    page.wait_for_selector("article.hit")
    assert page.locator("article.hit").count() == 1


def test_errors_are_shown_not_thrown(service: RunningService, page) -> None:
    page.goto(service.url + "/?doc=ffffffffffffffff")
    page.wait_for_selector("#summary .error")
    assert "no document" in page.locator("#summary").inner_text()


def test_directives_view(service: RunningService, page) -> None:
    page.goto(service.url + "/")
    page.wait_for_selector("article.hit")
    page.click("#views a[data-view=directives]")
    page.wait_for_selector("article.directive")
    assert "view=directives" in page.url
    assert page.locator("#summary").inner_text().startswith("1 条要求")
    shown = page.locator("article.directive").inner_text()
    assert "王立民（党委书记、董事长） 强调：要推动高质量发展" in shown
    speakers = page.locator("ul[data-facet=speaker] li").all_inner_texts()
    assert [s.split()[0] for s in speakers] == ["王立民"]
    export = page.locator("#summary a.export").get_attribute("href")
    assert export.startswith("/directives?") and "format=csv" in export
    assert httpx.get(service.url + export).text.startswith("\ufeffdate,year_source,speaker,")

    page.fill("#q", "交通")  # nothing required on it: the view stays, with no hits
    page.press("#q", "Enter")
    page.wait_for_function("document.querySelector('#summary').textContent.startsWith('0 条')")
    assert "view=directives" in page.url

    page.goto(service.url + "/?view=directives")
    page.click("article.directive .meta a")
    page.wait_for_selector("#document:not([hidden])")
    assert "要推动高质量发展" in page.locator("#document ol.directives").inner_text()
