"""Latency of the inbox: from a file being closed in the inbox to search returning it.

Starts the real service (``archive run``, embedded default; no Prefect server unless
``--prefect``, then its own supervised one, waited for) on a temporary home, then drops N
files one at a time (written under ``.part`` and renamed, the moment a careful copier
completes a file) and polls ``/search`` every 10 ms for a token only that file holds.
Prints p50, p95 and max. A renamed (or closed) file is taken at once; the settle window
(``ARCHIVE_SETTLE_SECONDS``) only applies to files whose writer the system did not report.
Run:
    .venv/bin/python benchmarks/latency.py [--files 100] [--settle 1.0] [--prefect]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ARTICLE = (
    "{day}日，市城建集团召开安全生产推进会。总经理李向东出席会议并讲话，编号{token}。\n"
    "李向东要求，各单位要压实安全生产责任。\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait(condition, seconds: float, step: float = 0.01) -> float:
    """Seconds until ``condition()`` held; raises after ``seconds``."""
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        try:
            if condition():
                return time.perf_counter() - start
        except httpx.HTTPError:
            pass
        time.sleep(step)
    raise TimeoutError(f"not within {seconds}s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--settle", type=float, default=None, help="ARCHIVE_SETTLE_SECONDS")
    parser.add_argument(
        "--prefect", action="store_true", help="with the supervised Prefect server (flow runs)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home, inbox, port = Path(tmp) / "var", Path(tmp) / "inbox", free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ARCHIVE_", "PREFECT_API"))}
        env |= {
            "ARCHIVE_HOME": str(home),
            "ARCHIVE_INBOX": str(inbox),
            "ARCHIVE_API_PORT": str(port),
            "ARCHIVE_PREFECT_SERVER": "local" if args.prefect else "off",
            "ARCHIVE_PREFECT_PORT": str(free_port()),
        }
        if args.settle is not None:
            env["ARCHIVE_SETTLE_SECONDS"] = str(args.settle)
        archive = Path(sys.executable).with_name("archive")
        log = (Path(tmp) / "service.log").open("w")
        service = subprocess.Popen([str(archive), "run"], env=env, stdout=log, stderr=log)
        url = f"http://127.0.0.1:{port}"
        try:
            wait(lambda: httpx.get(url + "/health").status_code == 200, 60, 0.1)
            if args.prefect:  # files wait for the server; start timing once it answers
                prefect = f"http://127.0.0.1:{env['ARCHIVE_PREFECT_PORT']}/api/health"
                wait(lambda: httpx.get(prefect).status_code == 200, 120, 0.2)
            latencies = []
            for n in range(args.files):
                token = f"lat{n:05d}x"
                part = inbox / f"会议{n}.txt.part"
                part.write_text(ARTICLE.format(day=n % 28 + 1, token=token), encoding="utf-8")
                part.rename(part.with_suffix(""))
                latencies.append(
                    wait(
                        lambda t=token: (
                            httpx.get(url + "/search", params={"q": t}).json()["total"] == 1
                        ),
                        30,
                    )
                )
        finally:
            service.send_signal(signal.SIGINT)
            service.wait(30)
    latencies.sort()
    settle = args.settle if args.settle is not None else "default"
    print(f"files            {len(latencies)} (settle window: {settle}, Prefect {args.prefect})")
    print(f"p50              {statistics.median(latencies):.3f} s")
    print(f"p95              {latencies[int(0.95 * (len(latencies) - 1))]:.3f} s")
    print(f"max              {latencies[-1]:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
