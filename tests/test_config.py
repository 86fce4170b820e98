import pytest

from archive.config import Settings, load_settings
from archive.errors import ConfigError


def test_defaults_need_no_environment() -> None:
    settings = load_settings()
    assert settings.home.as_posix() == "var" and settings.inbox.as_posix() == "inbox"
    assert (settings.api_host, settings.api_port) == ("127.0.0.1", 8000)
    assert settings.es_url is None and settings.prefect_api_url is None
    assert settings.database == settings.home / "archive.sqlite3"


def test_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHIVE_HOME", "/data/archive")
    monkeypatch.setenv("ARCHIVE_LOG_LEVEL", "debug")
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    settings = load_settings()
    assert settings.home.as_posix() == "/data/archive"
    assert settings.log_level == "DEBUG"
    assert settings.prefect_api_url == "http://127.0.0.1:4200/api"


def test_bad_values_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHIVE_API_PORT", "99999")
    monkeypatch.setenv("ARCHIVE_SETTLE_SECONDS", "soon")
    monkeypatch.setenv("ARCHIVE_LOG_LEVEL", "loud")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    for part in ("ARCHIVE_API_PORT='99999'", "ARCHIVE_SETTLE_SECONDS='soon'", "ARCHIVE_LOG_LEVEL"):
        assert part in message


def test_keyword_arguments_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHIVE_API_PORT", "9000")
    assert Settings(api_port=8001).api_port == 8001
