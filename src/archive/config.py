"""The one configuration object: environment variables with the ``ARCHIVE_`` prefix.

Every setting has a default, so ``archive run`` works with none set. Pass ``_env`` (or
keyword arguments) to build settings for a test instead of patching the environment.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from archive.errors import ConfigError

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


class Settings(BaseSettings):
    """Settings of the archive. The README lists each, with its help text."""

    model_config = SettingsConfigDict(env_prefix="ARCHIVE_", extra="ignore")

    home: Path = Field(
        Path("./var"),
        description="Where the archive keeps its data: the SQLite file, originals and quarantine.",
    )
    inbox: Path = Field(
        Path("./inbox"), description="The folder the service watches for new files."
    )
    api_host: str = Field("127.0.0.1", description="Address the search API and web page listen on.")
    api_port: int = Field(8000, ge=0, le=65535, description="Port of the search API and web page.")
    api_key: SecretStr | None = Field(
        None,
        description="The key every API request must carry (Authorization: Bearer <key>), "
        "except /health and the web page's and /docs' own files; required when "
        "ARCHIVE_API_HOST is not a loopback address.",
    )
    max_upload_mb: float = Field(
        256.0,
        gt=0,
        description="The largest upload (POST /documents, all its files together) in MB; "
        "each file still has ARCHIVE_MAX_FILE_MB.",
    )
    search_engine: Literal["tantivy", "sqlite"] = Field(
        "tantivy",
        description="The embedded search engine: 'tantivy' (an index folder beside the "
        "store, fast at millions of articles) or 'sqlite' (the store's own FTS5 tables). "
        "Ignored when ARCHIVE_ES_URL is set.",
    )
    es_url: str | None = Field(
        None, description="Elasticsearch URL; unset means the embedded engine."
    )
    es_user: str | None = Field(None, description="User name for Elasticsearch (basic auth).")
    es_password: str | None = Field(None, description="Password of ARCHIVE_ES_USER.")
    es_api_key: str | None = Field(
        None, description="An Elasticsearch API key (encoded), instead of user and password."
    )
    es_ca_certs: Path | None = Field(
        None, description="CA certificate file (PEM) to verify an https Elasticsearch URL."
    )
    es_verify_certs: bool = Field(
        True, description="Verify the TLS certificate of an https Elasticsearch URL."
    )
    es_timeout: float = Field(
        30.0, gt=0, description="Seconds to wait for an Elasticsearch request."
    )
    es_index: str = Field(
        "archive",
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="Name of the Elasticsearch alias of the documents (the directives' is "
        "`<name>-directives`); several archives can share a cluster under different names.",
    )
    kibana_url: str | None = Field(
        None, description="Kibana URL, for `archive kibana setup` (its saved objects)."
    )
    settle_seconds: float = Field(
        0.5,
        ge=0,
        description="How long a file in the inbox must stay unchanged before it is taken.",
    )
    max_file_mb: float = Field(
        32.0,
        gt=0,
        description="Files larger than this (in MB) are quarantined unread, so that no "
        "file can exhaust the memory of the service.",
    )
    file_timeout_seconds: float = Field(
        120.0,
        gt=0,
        description="Time budget of one file's reading and extraction (service, backfill, "
        "ingest); a file over it is quarantined and the others go on.",
    )
    workers: int = Field(
        2,
        ge=1,
        description="Extraction processes of the service (about 200 MB each): files are "
        "taken by whichever is free, so a slow file does not hold up the others.",
    )
    log_level: LogLevel = Field("INFO", description="Logging level of the service.")
    prefect_api_url: str | None = Field(
        None,
        validation_alias=AliasChoices("prefect_api_url", "PREFECT_API_URL"),
        description="A Prefect server to record ingest runs in (Prefect's own variable).",
    )

    prefect_server: Literal["local", "off"] = Field(
        "local",
        description="'local': `archive run` starts and supervises a Prefect server (unless "
        "PREFECT_API_URL names one) and ingest batches are recorded there; 'off': no Prefect.",
    )
    prefect_port: int = Field(
        4200, ge=1, le=65535, description="Port of the local Prefect server and its UI."
    )

    @field_validator("es_index")
    @classmethod
    def _not_a_directives_alias(cls, value: str) -> str:
        # <name>-directives is the directives' alias of archive <name>: not a name itself.
        if value.endswith("-directives"):
            raise ValueError("must not end in -directives (that is the directives' alias)")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    def exposure_problem(self) -> str | None:
        """Why the API must not start as set: open beyond this machine without a key."""
        if self.api_key is not None and not self.api_key.get_secret_value().strip():
            return "ARCHIVE_API_KEY is empty: set a long random key, or unset it"
        if self.api_key is None and not is_loopback(self.api_host):
            return (
                f"ARCHIVE_API_HOST={self.api_host} opens the archive to other machines: set "
                "ARCHIVE_API_KEY too (every request must then carry it), or listen on "
                "127.0.0.1"
            )
        return None

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 2**20)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 2**20)

    @property
    def database(self) -> Path:
        return self.home / "archive.sqlite3"

    @property
    def index_folder(self) -> Path:
        """The embedded tantivy index: derived from the store, rebuilt from it at will."""
        return self.home / "index"

    @property
    def originals(self) -> Path:
        return self.home / "originals"

    @property
    def quarantine(self) -> Path:
        return self.home / "quarantine"

    @property
    def ledger(self) -> Path:
        return self.home / "ingest-ledger.jsonl"


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


def load_settings() -> Settings:
    """Settings from the environment; a bad value raises :class:`ConfigError` naming the
    variable and what it must be, instead of a validation traceback."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{_variable(error['loc'])}={error.get('input')!r}: {error['msg']}"
            for error in exc.errors()
        )
        raise ConfigError(f"bad setting: {problems}") from None


def _variable(location: tuple[object, ...]) -> str:
    name = str(location[0]) if location else "?"
    return name if name.isupper() else f"ARCHIVE_{name.upper()}"
