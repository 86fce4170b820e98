"""archive backfill as a Prefect flow: recorded from the command line with one task run per
chunk, and served by `archive run` as the `backfill` deployment the Prefect UI starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.flows.conftest import flow_runs, prefect_api
from tests.service import running_service, wait_for

pytestmark = pytest.mark.prefect


def fill(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for n in range(count):
        text = (
            f"{n % 28 + 1}日，江城港务局召开第{n}次安全例会。局长周德文出席会议并讲话。\n"
            f"周德文要求，各码头要落实第{n}号整改措施，编号bk{n:03d}x。\n"
        )
        (folder / f"例会{n:02d}.txt").write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")


def task_runs(url: str, flow_run_id: str) -> list[dict]:
    body = {"flow_runs": {"id": {"any_": [flow_run_id]}}, "limit": 200}
    return prefect_api("POST", f"{url}/task_runs/filter", body).json()


def test_the_command_records_one_task_run_per_chunk(prefect_server: str, tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    fill(folder, 9)
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "ARCHIVE_HOME": str(tmp_path / "var")}
    archive = Path(sys.executable).with_name("archive")
    done = subprocess.run(
        [str(archive), "backfill", str(folder), "--chunk-size", "4"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr  # empty.txt is not stored
    assert "quarantined 1, stored 9" in done.stdout

    name = f"backfill: 10 files — {folder.resolve()}"
    (run,) = [r for r in flow_runs(prefect_server, name=name) if r["name"] == name]
    assert run["state_type"] == "COMPLETED"
    chunks = task_runs(prefect_server, run["id"])
    assert sorted(t["name"] for t in chunks) == [
        "empty.txt and 3 more",  # the files are sorted: empty.txt comes first
        "例会03.txt and 3 more",
        "例会07.txt and 1 more",
    ]
    assert all(t["state_type"] == "COMPLETED" for t in chunks)
    body = {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}}
    artifacts = prefect_api("POST", f"{prefect_server}/artifacts/filter", body).json()
    (failures,) = [a for a in artifacts if a["key"] == "backfill-failures"]
    assert [Path(row["file"]).name for row in json.loads(failures["data"])] == ["empty.txt"]


def test_the_service_serves_the_backfill_deployment(prefect_server: str, tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    fill(folder, 5)
    with running_service(tmp_path, PREFECT_API_URL=prefect_server) as service:

        def deployment() -> dict | None:
            found = httpx.get(f"{prefect_server}/deployments/name/backfill/backfill", timeout=10)
            return found.json() if found.status_code == 200 else None

        wait_for(lambda: deployment() is not None, 120, "the backfill deployment")
        # What the Prefect UI's "Run" button does.
        run = prefect_api(
            "POST",
            f"{prefect_server}/deployments/{deployment()['id']}/create_flow_run",
            {"parameters": {"folder": str(folder)}},
        ).json()

        def state() -> str:
            found = prefect_api("GET", f"{prefect_server}/flow_runs/{run['id']}").json()
            assert found["state_type"] not in ("FAILED", "CRASHED"), found["state"]
            return found["state_type"]

        wait_for(lambda: state() == "COMPLETED", 240, "the deployment's run to complete")
        assert service.get("/search", q="整改措施").json()["total"] == 5
    assert sorted(p.name for p in folder.iterdir())[0] == "empty.txt", "the folder is kept"
