"""One real, temporary Prefect server for every test module under tests/flows (starting
one costs ~20 s here), and a look at the flow runs it recorded.

The modules share that server, so each counts only the runs made after it began
(``flow_runs(url, since=...)``), never all of them."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.service import free_port, wait_for


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("prefect")
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_API_URL": url,
    }
    prefect = Path(sys.executable).with_name("prefect")
    log = (home / "server.log").open("w")
    process = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def healthy() -> bool:
        assert process.poll() is None, (home / "server.log").read_text()
        try:
            return httpx.get(f"{url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(healthy, 120, "the Prefect server to start")
        yield url
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def now() -> str:
    """This instant as the Prefect API writes times (for ``since``)."""
    return dt.datetime.now(dt.UTC).isoformat()


def prefect_api(method: str, url: str, json: dict | None = None) -> httpx.Response:
    """One call to the Prefect API, tried again while it answers 503: the server says so
    when its SQLite database is busy, and Prefect's own client retries then too (a CI run
    once failed on it)."""
    for attempt in range(8):
        response = httpx.request(method, url, json=json, timeout=10)
        if response.status_code != 503:
            break
        time.sleep(0.25 * 2**attempt)
    response.raise_for_status()
    return response


def flow_runs(url: str, since: str | None = None, name: str = "") -> list[dict]:
    """The flow runs recorded (after ``since``, an ISO time, if given) whose name begins
    with ``name``, oldest first."""
    filters: dict = {}
    if name:
        filters["name"] = {"like_": name}
    if since:
        filters["expected_start_time"] = {"after_": since}
    body = {"flow_runs": filters, "sort": "EXPECTED_START_TIME_ASC", "limit": 200}
    runs = prefect_api("POST", f"{url}/flow_runs/filter", body).json()
    return [r for r in runs if r["name"].startswith(name)]
