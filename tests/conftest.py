"""Shared fixtures: a clean environment, temporary archive homes, the evaluation data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from archive.backends.sqlite import SqliteBackend
from archive.config import Settings

# CI explores the same examples on every run, so a red build always means a change broke
# something; locally each run tries new examples (and keeps failing ones in .hypothesis/).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's ARCHIVE_* settings or Prefect server (ARCHIVE_TEST_*
    variables steer the test suite itself and stay); Prefect is off unless a test says."""
    for name in list(os.environ):
        if name.startswith("ARCHIVE_") and not name.startswith("ARCHIVE_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    # A developer's own `archive run` may serve Prefect on 4200: tests opt in explicitly.
    monkeypatch.setenv("ARCHIVE_PREFECT_SERVER", "off")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "var", inbox=tmp_path / "inbox", settle_seconds=0.2)


@pytest.fixture
def backend(settings: Settings) -> Iterator[SqliteBackend]:
    """A real SQLite archive under ``settings.home`` (tests/backends has its own, per
    backend)."""
    instance = SqliteBackend(settings.database)
    yield instance
    instance.close()


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data; skips the test when the evaluation data is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"evaluation data not found at {path} (it lives beside the repo in CI)")
    return path
