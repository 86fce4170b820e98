"""The web page of an archive opened to colleagues, in a real headless Chromium: it asks
for the key once, uploads through its drop zone, downloads originals with the key; hostile
documents show as text; and /docs works with the internet cut off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.chromium import chromium, require_chromium
from tests.read.test_zip import zip_of
from tests.service import RunningService, running_service

pytestmark = pytest.mark.browser

KEY = "colleagues-key-7f3e"
ARTICLE = (
    "7月2日，市青禾物流集团召开2024年度安全生产工作会议。集团总经理林海主持会议。\n"
    "林海要求，各仓库要落实消防安全责任。\n"
).encode("gb18030")
HOSTILE = (
    "<html><head><title><img src=x onerror=alert(1)>市青禾集团召开会议</title></head><body>"
    "<p>8月1日，市青禾集团召开安全会议。总经理柏松涛&lt;script&gt;alert(2)&lt;/script&gt;"
    '主持会议。<a href="javascript:alert(3)">点此</a></p>'
    "<p>柏松涛要求，<b onmouseover=alert(4)>各单位</b>要加强值守。</p></body></html>"
).encode()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    require_chromium()
    with running_service(tmp_path_factory.mktemp("sharing-page"), ARCHIVE_API_KEY=KEY) as running:
        yield running


@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


def test_the_page_asks_for_the_key_then_uploads_and_downloads(service, browser, tmp_path) -> None:
    page = browser.new_page(accept_downloads=True)
    errors, dialogs = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(service.url + "/")
    page.wait_for_selector("#key-form:not([hidden])")
    page.fill("#key", KEY)
    page.click("#key-form button")
    page.wait_for_function("document.querySelector('#summary').textContent === '0 篇文档'")

    page.set_input_files(
        "#files",
        files=[
            {"name": "物流安全会.txt", "mimeType": "text/plain", "buffer": ARTICLE},
            {"name": "空.txt", "mimeType": "text/plain", "buffer": b""},
            {
                "name": "<img src=x onerror=alert(5)>.html",
                "mimeType": "text/html",
                "buffer": HOSTILE,
            },
        ],
    )
    page.wait_for_selector("ul.uploads li")
    outcomes = page.locator("ul.uploads li").evaluate_all("els => els.map(e => e.dataset.outcome)")
    assert outcomes == ["stored", "quarantined", "stored"]
    assert "the file is empty" in page.locator("ul.uploads li").nth(1).inner_text()

    page.locator("ul.uploads li").first.locator("a").click()
    page.wait_for_selector("#document:not([hidden]) h2")
    with page.expect_download() as waiting:
        page.click("text=下载原件")
    saved = tmp_path / "original"
    waiting.value.save_as(saved)
    assert saved.read_bytes() == ARTICLE
    assert waiting.value.suggested_filename == "物流安全会.txt"

    # The hostile page: shown as text, its title, name and link inert.
    page.goto(service.url + "/?q=" + "加强值守")
    page.wait_for_selector("article.hit")
    page.locator("article.hit h3 a").first.click()
    page.wait_for_selector("#document:not([hidden]) h2")
    page.hover("#document .text")
    assert "<img src=x onerror=alert(1)>" in page.locator("#document h2").inner_text()
    assert page.locator("#document a[href^='javascript:']").count() == 0
    assert page.locator("#document [onerror], #document [onmouseover]").count() == 0
    assert dialogs == [] and errors == []


def test_a_zip_uploaded_shows_each_document_and_where_it_was(service, browser) -> None:
    report = ARTICLE.decode("gb18030").replace("林海", "常昭明").encode()
    bundle = zip_of({"2024/安全会.txt": report, "<img src=x onerror=alert(6)>.txt": b""})
    page = browser.new_page()
    errors, dialogs = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(service.url + "/")
    page.fill("#key", KEY)
    page.click("#key-form button")
    page.set_input_files(
        "#files", files=[{"name": "材料.zip", "mimeType": "application/zip", "buffer": bundle}]
    )
    page.wait_for_selector("ul.uploads li")
    items = page.locator("ul.uploads li")
    outcomes = items.evaluate_all("els => els.map(e => e.dataset.outcome)")
    assert outcomes == ["opened", "stored", "quarantined"]
    assert "2024/安全会.txt" in items.nth(1).inner_text()
    assert "<img src=x onerror=alert(6)>.txt" in items.nth(2).inner_text(), "a name is text"
    items.nth(1).locator("a").click()
    page.wait_for_selector("#document:not([hidden]) h2")
    assert "取自 材料.zip › 2024/安全会.txt" in page.locator("#document .container").inner_text()
    assert dialogs == [] and errors == []


def test_docs_work_with_the_internet_cut_off(service, browser) -> None:
    page = browser.new_page()
    outside: list[str] = []

    def only_the_archive(route) -> None:
        if route.request.url.startswith(service.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_archive)
    page.goto(service.url + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/search" in paths and "/documents" in paths
    assert outside == []
