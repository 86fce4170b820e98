"""The service killed (SIGKILL) while it ingests, and restarted: every file ends up stored
once or quarantined, and `archive check` passes. A smaller run of benchmarks/crash.py,
which does 500 files and 10 kills."""

from __future__ import annotations

from pathlib import Path

from benchmarks.crash import run


def test_killed_twice_while_ingesting_nothing_is_lost_or_doubled(tmp_path: Path) -> None:
    report = run(tmp_path, files=80, kills=2, seed=7)
    assert report.kills == 2, "both kills landed while files were being taken"
    # 80 files: 78 articles, one a copy of another under a new name, one bad file.
    assert report.missing == [] and report.stored == report.expected == 78
    assert report.quarantined == report.expected_quarantined and len(report.quarantined) == 1
    assert report.left_in_inbox == []
    assert report.check_status == 0, report.check_output
    assert report.check_output == "the archive is sound"
