"""Debian's Chromium (at /usr/bin/chromium) for the tests that need a real browser: the web
page, and fixtures made as offices make them (pages printed to PDF, screenshots standing
in for scans). Skips where it is missing, except in CI, which installs it and sets
``ARCHIVE_TEST_REQUIRE_BROWSER``."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def require_chromium() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("ARCHIVE_TEST_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing but ARCHIVE_TEST_REQUIRE_BROWSER is set")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")


@contextmanager
def chromium() -> Iterator[object]:
    """A launched headless Chromium (a Playwright ``Browser``), closed afterwards."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def render(html: str, *, as_pdf: bool) -> bytes:
    """``html`` printed to an A5 PDF, or a PNG screenshot of it (1000 pixels wide)."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1000, "height": 400})
        page.set_content(html)
        return page.pdf(format="A5") if as_pdf else page.screenshot(full_page=True)
