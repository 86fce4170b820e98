"""Fixtures made by a real headless Chromium (Debian's, at /usr/bin/chromium), as offices
make them: pages printed to PDF, and screenshots standing in for scanned pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def render(html: str, *, as_pdf: bool) -> bytes:
    """``html`` printed to an A5 PDF, or a PNG screenshot of it (1000 pixels wide)."""
    if not CHROMIUM.exists():
        if os.environ.get("ARCHIVE_TEST_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing but ARCHIVE_TEST_REQUIRE_BROWSER is set")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 400})
            page.set_content(html)
            return page.pdf(format="A5") if as_pdf else page.screenshot(full_page=True)
        finally:
            browser.close()
