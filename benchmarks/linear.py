"""Extraction cost per KB from 1 KB to 10 MB: it must stay flat (linear time).

Three kinds of long file: a compilation that names the same chairman on every line (an
invented line, repeated: the case that was quadratic, each candidate name rescanning the
whole text), an invented article repeated without a single line break (text that came as
one line: each date and cue rescanned its line), and varied news (the People's Daily slice from
../shared/data, concatenated and repeated to size). Each file goes through read →
normalize → enrich; prints seconds, ms per KB, the ratio to the smallest size, and this
process's peak RSS. Run:
    .venv/bin/python benchmarks/linear.py [--max-kb 10240]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from archive import ingest

SIZES_KB = [1, 10, 100, 1024, 10240]
LINE = "5月9日，市青禾集团召开安全生产工作会议，集团党委书记、董事长柏松涛出席会议并讲话。\n"
ONE_LINE = (
    "4月16日，市青禾能源集团召开2024年度党风廉政建设工作会议。集团党委书记、董事长谭鸿飞"
    "出席会议并讲话，集团总经理常昭明主持会议。谭鸿飞强调，一是要压实主体责任，二是要加强"
    "监督执纪，三是要持续正风肃纪。"
)
DOCS = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "peoples-daily-1998" / "docs"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-kb", type=int, default=10240)
    args = parser.parse_args()
    ingest.warm_up()
    kinds = {"one chairman, every line": LINE, "one line, no break": ONE_LINE}
    if DOCS.is_dir():
        kinds["varied news"] = "\n".join(
            p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.txt"))
        )
    else:
        print(f"(varied news skipped: {DOCS} not found)")
    with tempfile.TemporaryDirectory() as scratch:
        for kind, unit in kinds.items():
            print(f"\n{kind}")
            print(f"{'size':>9}{'seconds':>10}{'ms/KB':>9}{'ratio':>8}{'peak RSS':>11}")
            first = None
            for kb in (k for k in SIZES_KB if k <= args.max_kb):
                path = Path(scratch) / f"{kb}.txt"
                path.write_text(_sized(unit, kb * 1024), encoding="utf-8")
                started = time.perf_counter()
                ingest.extract(path)
                seconds = time.perf_counter() - started
                per_kb = seconds / kb * 1000
                first = first or per_kb
                print(
                    f"{kb:>7} KB{seconds:>10.2f}{per_kb:>9.2f}{per_kb / first:>8.2f}"
                    f"{_peak_mb():>8.0f} MB",
                    flush=True,
                )
    return 0


def _sized(unit: str, size: int) -> str:
    """``unit`` repeated and cut to about ``size`` bytes of UTF-8, at a line's end."""
    data = unit.encode("utf-8")
    text = (data * (size // len(data) + 1))[:size].decode("utf-8", errors="ignore")
    return text[: text.rfind("\n") + 1] or text  # no break at all: cut anywhere


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    sys.exit(main())
