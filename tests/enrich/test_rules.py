"""The rule files: well-formed data, loaded once."""

from __future__ import annotations

from importlib.resources import files
from typing import get_args

import pytest

from archive.enrich.rules import read_rule_file, rules
from archive.records import Role

RULE_FILES = sorted(
    p.name for p in files("archive.enrich").joinpath("rules").iterdir() if p.name.endswith(".txt")
)


def test_rule_files_exist() -> None:
    assert {"titles.txt", "surnames.txt", "meeting_types.txt", "role_cues.txt"} <= set(RULE_FILES)


@pytest.mark.parametrize("name", RULE_FILES)
def test_rule_file_opens_with_its_source_and_has_unique_entries(name: str) -> None:
    text = files("archive.enrich").joinpath("rules", name).read_text(encoding="utf-8")
    assert text.startswith("# ") and len(text.splitlines()[0]) > 20
    entries = read_rule_file(name)
    assert entries, name
    keys = [entry.split(" ")[0] for entry in entries]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})


def test_role_cues_name_record_roles() -> None:
    assert set(rules().role_cues.values()) <= set(get_args(Role))


def test_surnames_include_two_character_ones() -> None:
    assert {"欧阳", "司马", "诸葛", "上官", "王", "李"} <= rules().surnames


def test_titles_include_the_usual_cadre_titles() -> None:
    usual = {"党委书记", "党委副书记", "董事长", "总经理", "市长", "主任", "部长", "总会计师"}
    assert usual <= rules().titles


def test_rules_are_loaded_once() -> None:
    assert rules() is rules()
