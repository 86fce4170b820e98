"""The optional system packages some readers call (Tesseract, catdoc): tests that need one
skip where it is missing, except in CI, which installs them and sets
``ARCHIVE_TEST_REQUIRE_CONVERTERS``; and a run of the reader in a process that cannot
find them, to see what a user without them is told."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def require(command: str, package: str) -> None:
    if shutil.which(command) is None:
        if os.environ.get("ARCHIVE_TEST_REQUIRE_CONVERTERS"):
            pytest.fail(f"{command} is missing but ARCHIVE_TEST_REQUIRE_CONVERTERS is set")
        pytest.skip(f"{command} not installed (apt-get install {package})")


def read_without_converters(path: Path) -> str:
    """What reading ``path`` says in a process whose PATH holds only Python's folder, so
    that neither tesseract nor catdoc is found: the error's class and reason."""
    script = (
        "import sys\n"
        "from archive.errors import IngestError\n"
        "from archive.read import read_file\n"
        "try:\n"
        "    read_file(sys.argv[1])\n"
        "except IngestError as error:\n"
        "    print(type(error).__name__, error.reason)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        env={**os.environ, "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip()
