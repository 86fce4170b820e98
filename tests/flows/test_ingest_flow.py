"""The ingest flow against a real, temporary Prefect server (started once per session,
~20 s here): the run is recorded, named after the batch, and its results are the files'."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.flows.conftest import flow_runs, now, prefect_api
from tests.read.test_zip import zip_of
from tests.service import children_of, free_port, running_service, still_running, wait_for

pytestmark = pytest.mark.prefect

GOOD = "2月3日，市城建集团召开2022年度党建工作会议。党委书记王立民出席会议并讲话。".encode()


def test_cli_ingest_records_a_flow_run(
    prefect_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "党建会议.txt").write_bytes(GOOD)
    (folder / "broken.txt").write_bytes(b"")
    (folder / "材料.zip").write_bytes(zip_of({"2022/纪要.txt": GOOD + b"\n"}))
    env = {**os.environ, "PREFECT_API_URL": prefect_server, "ARCHIVE_HOME": str(tmp_path / "var")}
    since = now()
    archive = Path(sys.executable).with_name("archive")
    done = subprocess.run(
        [str(archive), "ingest", str(folder)], env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 1, done.stderr
    assert "stored" in done.stdout and "quarantined" in done.stdout
    assert "材料.zip › 2022/纪要.txt" in done.stdout, "a ZIP's member, through the flow"

    runs = flow_runs(prefect_server, since, "cli: 3 files")
    assert len(runs) == 1, [r["name"] for r in flow_runs(prefect_server, since)]
    assert runs[0]["state_type"] == "COMPLETED"
    assert runs[0]["name"] == "cli: 3 files — broken.txt, 党建会议.txt, 材料.zip"


def test_the_service_runs_inbox_batches_as_flow_runs(prefect_server: str, tmp_path: Path) -> None:
    # Out of process, as users run it: Prefect's client keeps global state (log handlers,
    # sockets) that would leak into this test process.
    since = now()
    with running_service(tmp_path, PREFECT_API_URL=prefect_server) as service:
        (service.inbox / "党建会议.txt").write_bytes(GOOD)
        wait_for(lambda: not any(service.inbox.iterdir()), 120, "the inbox to empty")
        assert service.get("/search", q="党建").json()["total"] == 1
    runs = flow_runs(prefect_server, since, "inbox:")
    assert [(r["name"], r["state_type"]) for r in runs] == [
        ("inbox: 1 file — 党建会议.txt", "COMPLETED")
    ]
    body = {"artifacts": {"flow_run_id": {"any_": [runs[0]["id"]]}}}
    artifacts = prefect_api("POST", f"{prefect_server}/artifacts/filter", body).json()
    (table,) = [a for a in artifacts if a["type"] == "table"]
    (row,) = json.loads(table["data"])
    assert Path(row["file"]).name == "党建会议.txt" and row["outcome"] == "stored"


def test_runs_left_running_are_marked_crashed(prefect_server: str) -> None:
    from archive.monitoring import mark_crashed

    flow = prefect_api("POST", f"{prefect_server}/flows/", {"name": "ingest-crash-test"})
    body = {"flow_id": flow.json()["id"], "name": "killed", "state": {"type": "RUNNING"}}
    run = prefect_api("POST", f"{prefect_server}/flow_runs/", body).json()
    assert run["state_type"] == "RUNNING"
    assert mark_crashed(prefect_server) >= 1
    again = prefect_api("GET", f"{prefect_server}/flow_runs/{run['id']}").json()
    assert again["state_type"] == "CRASHED"
    assert "stopped while this run was in progress" in again["state"]["message"]


def test_the_service_supervises_its_own_prefect_server(tmp_path: Path) -> None:
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    settings = {"ARCHIVE_PREFECT_SERVER": "local", "ARCHIVE_PREFECT_PORT": str(port)}
    with running_service(tmp_path, **settings) as service:
        (service.inbox / "党建会议.txt").write_bytes(GOOD)
        wait_for(lambda: not any(service.inbox.iterdir()), 150, "the inbox to empty")
        wait_for(lambda: any(r["name"].startswith("inbox:") for r in flow_runs(api)), 30, "a run")
        (run,) = [r for r in flow_runs(api) if r["name"].startswith("inbox:")]
        assert run["name"] == "inbox: 1 file — 党建会议.txt"
        home = service.home
        # Prefect's client flushes its logs at exit: it once waited forever on the server
        # the service had just stopped. The goal is an exit within 10 s.
        children = children_of(service.process.pid)
        assert children, "the Prefect server and the extraction workers"
        service.process.send_signal(signal.SIGINT)
        assert service.process.wait(10) == 0, (tmp_path / "service.log").read_text()
        wait_for(lambda: not still_running(children), 5, "no child left behind")
    assert (home / "prefect" / "prefect.db").exists(), "Prefect's data is under ARCHIVE_HOME"
    assert (home / "prefect-server.log").stat().st_size > 0
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{api}/health", timeout=2)  # stopped with the service
