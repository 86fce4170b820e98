"""Tests of archive.evaluate; ``archive`` runs the real console script, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ARCHIVE = Path(sys.executable).with_name("archive")


def archive(*args: str) -> subprocess.CompletedProcess[str]:
    """The real ``archive`` command with ``args``, without the developer's ARCHIVE_* and
    Prefect settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARCHIVE_", "PREFECT_API"))}
    return subprocess.run(
        [str(ARCHIVE), *args], env=env, capture_output=True, text=True, timeout=120
    )
