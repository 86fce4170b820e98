"""The web page over a large archive, in a real headless Chromium: how long from pressing
Enter on a query, or clicking a facet, to the new results on screen.

Point it at an archive home that ``benchmarks/scale.py --keep`` built (100,000 articles
or more); the archive's API and page are served from this process by uvicorn, and the
browser is Debian's Chromium (``apt-get install chromium``). Run:
    .venv/bin/python benchmarks/scale.py --docs 100000 --keep
    .venv/bin/python benchmarks/web.py --home /tmp/archive-scale/tantivy-100000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
QUERIES = ["发展", "會議", "改革开放", "党", "经济 改革", "座谈会"]

# The first hit on screen is marked; the page has answered once a new one replaced it.
_MARK = "document.querySelector('article.hit') && (document.querySelector('article.hit').old = 1)"
_ANSWERED = "() => { const hit = document.querySelector('article.hit'); return hit && !hit.old; }"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--engine", default="tantivy", choices=["tantivy", "sqlite"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"skipped: {CHROMIUM} not installed (apt-get install chromium)")
        return 0
    import uvicorn
    from playwright.sync_api import sync_playwright

    from archive import segment
    from archive.api import create_app
    from archive.backends import open_backend
    from archive.config import Settings

    settings = Settings(home=args.home, search_engine=args.engine, prefect_server="off")
    backend = open_backend(settings)
    segment.query_terms("发展")  # jieba loads once, as `archive run` does at start
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, backend), host="127.0.0.1", port=0, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}/"
    print(f"{backend.count():,} documents ({args.engine}); {args.repeat} runs each\n")
    timings: dict[str, list[float]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        for _ in range(args.repeat):
            started = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("article.hit")
            timings.setdefault("open the page (browse + facets)", []).append(_since(started))
            for query in QUERIES:
                page.evaluate(_MARK)
                page.fill("#q", query)
                started = time.perf_counter()
                page.press("#q", "Enter")
                _answered(page)
                timings.setdefault("type a query, Enter", []).append(_since(started))
                for facet in ("person", "year", "org"):
                    link = page.locator(f"ul[data-facet={facet}] a").first
                    if not link.count():
                        continue
                    page.evaluate(_MARK)
                    started = time.perf_counter()
                    link.click()
                    _answered(page)
                    timings.setdefault("click a facet", []).append(_since(started))
                    page.go_back()
                    page.wait_for_selector("article.hit")
        browser.close()
    print(f"{'action':<34}{'runs':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for label, values in timings.items():
        p50, p95 = _pct(values, 50), _pct(values, 95)
        print(f"{label:<34}{len(values):>6}{p50:>9.0f}{p95:>9.0f}{max(values):>9.0f}")
    server.should_exit = True
    backend.close()
    return 0


def _answered(page) -> None:
    try:
        page.wait_for_function(_ANSWERED, timeout=60_000)
    except Exception:
        summary = page.locator("#summary").inner_text()
        raise SystemExit(f"no new results at {page.url}: {summary!r}") from None


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _pct(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


if __name__ == "__main__":
    sys.exit(main())
