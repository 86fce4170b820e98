"""Start the real ``archive run`` process for tests that need the whole service."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningService:
    url: str
    home: Path
    inbox: Path
    process: subprocess.Popen[str]

    def get(self, path: str, **params: object) -> httpx.Response:
        return httpx.get(self.url + path, params=params, timeout=10)


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds}s waiting for {what}")


@contextmanager
def running_service(tmp_path: Path, **env: str) -> Iterator[RunningService]:
    """``archive run`` on a temporary home, inbox and free port; stopped with SIGINT."""
    port = free_port()
    home, inbox = tmp_path / "var", tmp_path / "inbox"
    environ = {
        **os.environ,
        "ARCHIVE_HOME": str(home),
        "ARCHIVE_INBOX": str(inbox),
        "ARCHIVE_API_PORT": str(port),
        "ARCHIVE_SETTLE_SECONDS": "0.3",
        "ARCHIVE_PREFECT_SERVER": "off",
        **env,
    }
    archive = Path(sys.executable).with_name("archive")
    log = (tmp_path / "service.log").open("w")
    process = subprocess.Popen(
        [str(archive), "run"], env=environ, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    service = RunningService(f"http://127.0.0.1:{port}", home, inbox, process)

    def healthy() -> bool:
        assert process.poll() is None, (tmp_path / "service.log").read_text()
        try:
            return service.get("/health").status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(healthy, 60, "the service to answer /health")
        yield service
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        finally:
            log.close()


def children_of(pid: int) -> set[int]:
    """Ids of the processes whose parent is ``pid`` (read from /proc)."""
    children = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        fields = dict(line.split(":\t", 1) for line in lines if ":\t" in line)
        if fields.get("PPid", "").strip() == str(pid):
            children.add(int(status.parent.name))
    return children


def still_running(pids: set[int]) -> set[int]:
    """Those of ``pids`` that are still processes (not gone, not zombies)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            running.add(pid)
    return running
