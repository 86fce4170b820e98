"""``archive person NAME`` as a user runs it: the real console script, on an archive the
real ``archive ingest`` filled from the invented reports of tests/fixtures/persons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.test_cli import archive


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("persons") / "var"
    done = archive(home, "ingest", str(FIXTURES / "persons"))
    assert done.returncode == 0, done.stdout + done.stderr
    return home


def test_person_page_in_the_terminal(home: Path) -> None:
    done = archive(home, "person", "周明远")
    assert done.returncode == 0, done.stderr
    shown = done.stdout
    assert shown.startswith("周明远")
    assert "青禾集团" in shown and "董事长" in shown and "2022-01-18" in shown
    assert "chaired" in shown and "directives" in shown and "韩立新" in shown
    assert "2023-03-06*" in shown, "the year inferred from 2023年度 is marked"


def test_the_same_name_in_two_organisations_is_two_groups(home: Path) -> None:
    done = archive(home, "person", "张伟")
    assert done.returncode == 0, done.stderr
    assert "groups (same name, unrelated organisations)" in done.stdout.splitlines()[0]
    assert done.stdout.count("张伟 · ") >= 2, "one heading per group"


def test_person_as_json(home: Path) -> None:
    page = json.loads(archive(home, "person", "張偉", "--json").stdout)
    assert page["name"] == "张伟" and page["total"] == 4 and len(page["groups"]) >= 2
    assert set(page["groups"][0]) == {
        "orgs",
        "documents",
        "posts",
        "meetings",
        "directives",
        "companions",
    }


def test_unknown_person_and_missing_archive_are_one_line_errors(home: Path, tmp_path: Path) -> None:
    unknown = archive(home, "person", "欧阳无名")
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "error: no person named '欧阳无名' in the archive"
    missing = archive(tmp_path / "nowhere", "person", "周明远")
    assert missing.returncode == 1 and missing.stderr.startswith("error: no archive at")
    assert "Traceback" not in unknown.stderr + missing.stderr
    assert not (tmp_path / "nowhere").exists(), "no empty archive is created"
