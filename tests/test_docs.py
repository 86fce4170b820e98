"""The README is the manual: every setting and every command must be in it."""

from pathlib import Path

import pytest

from archive.cli import app
from archive.config import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def variable(field: str) -> str:
    """The environment variable of a setting: its alias (PREFECT_API_URL) or ARCHIVE_*."""
    alias = Settings.model_fields[field].validation_alias
    names = [n for n in getattr(alias, "choices", []) if isinstance(n, str) and n.isupper()]
    return names[0] if names else f"ARCHIVE_{field.upper()}"


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_documented(field: str) -> None:
    assert f"`{variable(field)}`" in README


@pytest.mark.parametrize(
    "command", [c.name or c.callback.__name__ for c in app.registered_commands]
)
def test_every_command_is_documented(command: str) -> None:
    assert f"`archive {command}" in README


def test_readme_gives_the_two_commands() -> None:
    assert "make run" in README and "make test" in README
