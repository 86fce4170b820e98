"""The Prefect server ``archive run`` supervises, so every ingest batch is a flow run you
can watch in the Prefect UI (http://127.0.0.1:4200).

The server is a child process: its data (SQLite) under ``ARCHIVE_HOME/prefect``, its
output in ``ARCHIVE_HOME/prefect-server.log``, analytics off (with telemetry on it dies
offline), restarted when it exits unexpectedly, stopped with the service. Flow runs that
a killed service left ``Running`` are marked ``Crashed`` once it answers. When
``PREFECT_API_URL`` names another server, that one is used and nothing is started.

A second child serves the ``backfill`` deployment, so a backfill can be started from the
Prefect UI (output in ``ARCHIVE_HOME/prefect-deployments.log``).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from archive.config import Settings

log = logging.getLogger(__name__)

START_TIMEOUT = 90.0
"""Seconds to wait for the server's health check (it takes 10-20 s here)."""
RESTART_DELAY = 5.0


def server_environment(settings: Settings) -> dict[str, str]:
    """The child's environment: its home under ``ARCHIVE_HOME``, analytics off."""
    home = settings.home / "prefect"
    return {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(settings.prefect_port),
        "PREFECT_API_URL": local_url(settings),
    }


def local_url(settings: Settings) -> str:
    return f"http://127.0.0.1:{settings.prefect_port}/api"


def healthy(url: str) -> bool:
    try:
        return httpx.get(url.rstrip("/") + "/health", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


class Supervised:
    """A child process that is restarted if it dies; :meth:`stop` ends it."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], logfile: Path) -> None:
        self.name = name
        self.command = command
        self.env = env
        self.logfile = logfile
        self._stopping = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None
        self._thread = threading.Thread(target=self._supervise, name=name, daemon=True)
        self._before_exec = _parent_death_signal()

    def start(self) -> Supervised:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        self._thread.join(timeout=25)

    def _watch(self, started: float) -> None:
        """Called every half second while the child runs."""

    def _on_exit(self) -> None:
        """Called when the child exited unexpectedly."""

    def _supervise(self) -> None:
        while not self._stopping.is_set():
            self.logfile.parent.mkdir(parents=True, exist_ok=True)
            with self.logfile.open("ab") as logfile:
                self._process = subprocess.Popen(
                    self.command,
                    env=self.env,
                    stdout=logfile,
                    stderr=subprocess.STDOUT,
                    preexec_fn=self._before_exec,
                )
            log.info("%s starting (log: %s)", self.name, self.logfile.name)
            started = time.monotonic()
            while self._process.poll() is None and not self._stopping.is_set():
                self._watch(started)
                time.sleep(0.5)
            if self._stopping.is_set():
                return
            self._on_exit()
            log.warning(
                "%s exited with %s; restarting in %.0fs",
                self.name,
                self._process.returncode,
                RESTART_DELAY,
            )
            self._stopping.wait(RESTART_DELAY)


class SupervisedServer(Supervised):
    """``prefect server start`` as a supervised child. :attr:`ready` is set once its
    health check answered (runs a killed service left ``Running`` are then marked)."""

    def __init__(self, settings: Settings) -> None:
        prefect = Path(sys.executable).with_name("prefect")
        command = [str(prefect), "server", "start", "--host", "127.0.0.1",
                   "--port", str(settings.prefect_port), "--analytics-off"]  # fmt: skip
        super().__init__(
            f"Prefect server on {local_url(settings)}",
            command,
            server_environment(settings),
            settings.home / "prefect-server.log",
        )
        self.url = local_url(settings)
        self.ready = threading.Event()

    def start(self) -> SupervisedServer:
        super().start()
        return self

    def wait_ready(self, timeout: float = START_TIMEOUT) -> bool:
        return self.ready.wait(timeout)

    def _watch(self, started: float) -> None:
        if not self.ready.is_set() and healthy(self.url):
            log.info("Prefect server ready after %.1fs", time.monotonic() - started)
            mark_crashed(self.url)
            self.ready.set()

    def _on_exit(self) -> None:
        self.ready.clear()


def served_deployments(settings: Settings, api_url: str) -> Supervised:
    """``python -m flows.backfill``: serves the ``backfill`` deployment (started from the
    Prefect UI, its runs ingest into this archive: the child inherits the settings)."""
    return Supervised(
        "backfill deployment",
        [sys.executable, "-m", "flows.backfill"],
        {**os.environ, "PREFECT_API_URL": api_url},
        settings.home / "prefect-deployments.log",
    )


def _parent_death_signal() -> Callable[[], None] | None:
    """A function for the child to run before exec that asks Linux to end it when the
    service dies, even by SIGKILL, so no orphan server holds the port at the next start.
    libc is loaded here, in the parent: the child must do next to nothing before exec."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl
    pr_set_pdeathsig = 1
    return lambda: prctl(pr_set_pdeathsig, signal.SIGTERM)


def mark_crashed(url: str) -> int:
    """Mark the flow runs left ``Running`` (by a process that was killed) as ``Crashed``;
    returns how many. Only for the archive's own server: nothing else runs flows there."""
    api = url.rstrip("/")
    body = {"flow_runs": {"state": {"type": {"any_": ["RUNNING"]}}}, "limit": 200}
    try:
        runs = httpx.post(f"{api}/flow_runs/filter", json=body, timeout=10).json()
        for run in runs:
            state = {
                "type": "CRASHED",
                "name": "Crashed",
                "message": "the archive service stopped while this run was in progress",
            }
            httpx.post(
                f"{api}/flow_runs/{run['id']}/set_state",
                json={"state": state, "force": True},
                timeout=10,
            ).raise_for_status()
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        log.warning("could not mark interrupted flow runs as crashed: %s", exc)
        return 0
    if runs:
        log.warning("marked %d interrupted flow runs as crashed", len(runs))
    return len(runs)


FLUSH_SECONDS = 5.0


def flush_prefect_clients(seconds: float = FLUSH_SECONDS) -> bool:
    """Send the logs and events Prefect's client still queues, while its server answers.

    Prefect drains these queues at interpreter exit, and when the server is already gone
    that drain never ends (measured: ``archive run`` hung in ``_QueueServiceBase.drain``
    after SIGINT, holding its port). True when nothing is left queued; False means the
    caller must leave without Prefect's exit hooks."""
    if "prefect" not in sys.modules:  # this process never ran a flow
        return True
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    deadline = time.monotonic() + seconds
    drained = True
    for service in (APILogWorker, EventsWorker):
        left = max(0.0, deadline - time.monotonic())
        _, pending = service.drain_all(timeout=left)  # type: ignore[misc]
        drained = drained and not pending
    return drained
