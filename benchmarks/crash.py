"""Crash safety: kill the service (SIGKILL) at random moments while it ingests, restart
it each time, and check that nothing was lost or stored twice.

Fills an inbox with N files (invented articles, a few copies of them under other names,
a few bad files), starts the real ``archive run`` on a temporary home, and K times: waits
until it is taking files, lets it work for a random 0-1 s, kills it with SIGKILL and
starts it again. After the last restart it lets the inbox empty, stops the service and
checks:

* every good file's content is stored exactly once (the store holds as many documents as
  there are distinct good contents, and each of them);
* every bad file is in quarantine once, with its report;
* ``archive check`` finds nothing (every document has its original, every original a
  document, the index as many entries as the store).

Run:
    .venv/bin/python benchmarks/crash.py [--files 500] [--kills 10] [--seed 1] [--prefect]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from archive.backends.sqlite import SqliteBackend
from archive.records import document_id

SENTENCES = (
    "{org}召开{n}年度第{k}次工作会议，总结上阶段工作，部署下阶段任务。",
    "党委书记、董事长{name}出席会议并讲话，总经理{other}主持会议。",
    "{name}强调，要坚持稳中求进，重点抓好项目建设和安全生产。",
    "会议传达了上级有关会议精神，听取了各单位工作汇报，编号c{token}x。",
    "{other}要求，各单位要压实责任，确保全年目标任务圆满完成。",
)
ORGS = ("市城建集团", "青禾集团", "市交投集团", "市水务集团", "江城港务局")
NAMES = ("王立民", "李向东", "常昭明", "赵海峰", "孙明远", "周德文")
BAD = {"empty.txt": b"", "noise.txt": bytes(range(256)) * 8, "scan.pdf": b"%PDF-1.4 stub"}


@dataclass
class Inbox:
    """What was dropped: the distinct good contents and the names of the bad files."""

    good: set[str] = field(default_factory=set)  # sha256 of each distinct good content
    bad: set[str] = field(default_factory=set)
    files: int = 0


def article(rng: random.Random, n: int) -> str:
    values = {
        "org": rng.choice(ORGS),
        "name": rng.choice(NAMES),
        "other": rng.choice(NAMES),
        "n": 2000 + n % 25,
        "k": n,
        "token": f"{n:05d}",
    }
    paragraphs = [s.format(**values) for s in SENTENCES] * rng.randint(3, 8)
    return "\n".join(paragraphs) + "\n"


def fill(inbox: Path, files: int, rng: random.Random) -> Inbox:
    """``files`` files: 2 % copies of others under new names, 2 % bad, the rest articles."""
    inbox.mkdir(parents=True, exist_ok=True)
    dropped = Inbox(files=files)
    copies = bad = max(1, files // 50)
    written: list[bytes] = []
    for n in range(files - copies - bad):
        data = article(rng, n).encode("utf-8")
        (inbox / f"会议{n:04d}.txt").write_bytes(data)
        dropped.good.add(hashlib.sha256(data).hexdigest())
        written.append(data)
    for n in range(copies):
        (inbox / f"副本{n:04d}.txt").write_bytes(rng.choice(written))
    for n in range(bad):
        name, data = list(BAD.items())[n % len(BAD)]
        unique = f"{Path(name).stem}{n:03d}{Path(name).suffix}"
        (inbox / unique).write_bytes(data if not data else data + bytes([n % 256]))
        dropped.bad.add(unique)
    return dropped


@dataclass
class Report:
    kills: int
    seconds: float
    stored: int
    expected: int
    missing: list[str]
    quarantined: set[str]
    expected_quarantined: set[str]
    left_in_inbox: list[str]
    check_output: str
    check_status: int

    @property
    def sound(self) -> bool:
        return (
            self.stored == self.expected
            and not self.missing
            and self.quarantined == self.expected_quarantined
            and not self.left_in_inbox
            and self.check_status == 0
        )


class Service:
    """``archive run`` on a given home and inbox, started and killed at will."""

    def __init__(self, work: Path, prefect: bool) -> None:
        self.work = work
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_")}
        self.env.pop("PREFECT_API_URL", None)
        self.env |= {
            "ARCHIVE_HOME": str(work / "var"),
            "ARCHIVE_INBOX": str(work / "inbox"),
            "ARCHIVE_API_PORT": str(_free_port()),
            "ARCHIVE_SETTLE_SECONDS": "0.2",
            "ARCHIVE_PREFECT_SERVER": "local" if prefect else "off",
            "ARCHIVE_PREFECT_PORT": str(_free_port()),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        self.starts += 1
        self._log = (self.work / f"service-{self.starts}.log").open("wb")
        archive = Path(sys.executable).with_name("archive")
        self.process = subprocess.Popen(
            [str(archive), "run"], env=self.env, stdout=self._log, stderr=self._log
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)
        self._close_log()

    def stop(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        self.process.wait(150)
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def archive(self, *args: str) -> subprocess.CompletedProcess[str]:
        archive = Path(sys.executable).with_name("archive")
        return subprocess.run(
            [str(archive), *args], env=self.env, capture_output=True, text=True, timeout=300
        )


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _inbox_files(inbox: Path) -> list[Path]:
    return [p for p in inbox.rglob("*") if p.is_file()]


def run(work: Path, *, files: int, kills: int, seed: int, prefect: bool = False) -> Report:
    """Drop ``files`` files, kill the service ``kills`` times while it works, finish, check."""
    rng = random.Random(seed)
    inbox = work / "inbox"
    dropped = fill(inbox, files, rng)
    service = Service(work, prefect)
    started = time.perf_counter()
    done_kills = 0
    for _ in range(kills):
        waiting = len(_inbox_files(inbox))
        if waiting == 0:
            break
        service.start()
        # Kill only once the service is taking files (not while it loads jieba).
        if not _wait(lambda w=waiting: len(_inbox_files(inbox)) < w, 180):
            raise RuntimeError(f"the service took no file; see {work}/service-*.log")
        time.sleep(rng.uniform(0.0, 1.0))
        service.kill()
        done_kills += 1
    service.start()
    if not _wait(lambda: not _inbox_files(inbox), 600):
        raise RuntimeError(f"the inbox did not empty; see {work}/service-*.log")
    service.stop()
    seconds = time.perf_counter() - started

    backend = SqliteBackend(work / "var" / "archive.sqlite3")
    try:
        missing = [sha for sha in sorted(dropped.good) if not backend.contains(document_id(sha))]
        stored = backend.count()
    finally:
        backend.close()
    quarantine = work / "var" / "quarantine"
    quarantined = {p.name for p in quarantine.iterdir() if not p.name.endswith(".json")}
    checked = service.archive("check")
    return Report(
        kills=done_kills,
        seconds=seconds,
        stored=stored,
        expected=len(dropped.good),
        missing=missing,
        quarantined=quarantined,
        expected_quarantined=dropped.bad,
        left_in_inbox=[str(p) for p in _inbox_files(inbox)],
        check_output=(checked.stdout + checked.stderr).strip(),
        check_status=checked.returncode,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prefect", action="store_true", help="with the supervised Prefect server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = run(
            Path(tmp), files=args.files, kills=args.kills, seed=args.seed, prefect=args.prefect
        )
    print(f"files dropped        {args.files} (seed {args.seed}, Prefect {args.prefect})")
    print(f"SIGKILLs             {report.kills}")
    print(f"stored               {report.stored} of {report.expected} distinct good contents")
    print(f"missing              {len(report.missing)}")
    print(f"quarantined          {len(report.quarantined)} of {len(report.expected_quarantined)}")
    print(f"left in the inbox    {len(report.left_in_inbox)}")
    print(f"archive check        exit {report.check_status}: {report.check_output}")
    print(f"wall time            {report.seconds:.1f} s")
    print("verdict              " + ("sound" if report.sound else "NOT SOUND"))
    return 0 if report.sound else 1


if __name__ == "__main__":
    sys.exit(main())
