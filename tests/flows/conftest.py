"""One real, temporary Prefect server for every test module under tests/flows (starting
one costs ~20 s here), and a look at the flow runs it recorded."""

from __future__ import annotations

import os
import subprocess
import sys
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


def flow_runs(url: str) -> list[dict]:
    response = httpx.post(f"{url}/flow_runs/filter", json={"limit": 50}, timeout=10)
    response.raise_for_status()
    return response.json()
