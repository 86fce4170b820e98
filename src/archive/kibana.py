"""Kibana ready to use: import the archive's saved objects (data views, a saved search, the
visualizations and the overview dashboard) from ``mappings/kibana/*.ndjson``.

The files are posted as they are to Kibana's saved objects import API
(``POST /api/saved_objects/_import?overwrite=true``), so importing again after an upgrade
replaces the objects in place: their ids are fixed in the files.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from archive.errors import BackendError, BackendUnavailable

SAVED_OBJECTS = Path(__file__).resolve().parents[2] / "mappings" / "kibana"
"""Where the saved objects live: the repository keeps ``mappings/`` beside ``src/``."""

IMPORT_PATH = "/api/saved_objects/_import"
STATUS_PATH = "/api/status"
POLL_SECONDS = 1.0
"""Pause between two looks at ``/api/status`` while waiting for Kibana."""


@dataclass
class ImportReport:
    """What Kibana said about the import of every file."""

    success_count: int = 0
    """Objects Kibana created or overwrote, over all files."""
    errors: list[dict[str, Any]] = field(default_factory=list)
    """Kibana's ``errors`` entries (``setup`` raises when there are any)."""
    files: list[str] = field(default_factory=list)
    """The files imported, by name."""


def saved_objects_files(directory: Path | None = None) -> list[Path]:
    """The NDJSON files of saved objects, in name order, from ``directory`` (by default
    ``mappings/kibana`` of this repository)."""
    folder = SAVED_OBJECTS if directory is None else Path(directory)
    return sorted(path for path in folder.glob("*.ndjson") if path.is_file())


def setup(
    url: str,
    *,
    username: str | None = None,
    password: str | None = None,
    api_key: str | None = None,
    verify: bool | str = True,
    timeout: float = 30.0,
    wait: float = 0.0,
    files: Sequence[Path] | None = None,
) -> ImportReport:
    """Import the saved objects into the Kibana at ``url`` (default space), overwriting
    objects with the same ids.

    ``verify`` is True, False or the path of a CA bundle (file or directory). With ``wait``
    above zero, first wait up to that many seconds for ``GET /api/status`` to answer 200,
    as Kibana started by the same ``docker compose up`` needs a while. ``files`` replaces
    :func:`saved_objects_files`. Raises :class:`BackendUnavailable` when Kibana cannot be
    reached (or is not ready in time) and :class:`BackendError` when it refuses the import.
    """
    if api_key and (username or password):
        raise ValueError("give Kibana either username and password or an API key, not both")
    paths = list(files) if files is not None else saved_objects_files()
    if not paths:
        raise FileNotFoundError(f"no saved objects to import (no *.ndjson in {SAVED_OBJECTS})")
    base = url.rstrip("/")
    headers = {"kbn-xsrf": "true"}  # Kibana refuses API writes without it (CSRF guard)
    if api_key:
        headers["Authorization"] = f"ApiKey {api_key}"
    auth = (username, password or "") if username else None
    report = ImportReport()
    with httpx.Client(
        base_url=base, headers=headers, auth=auth, verify=_tls(verify), timeout=timeout
    ) as client:
        if wait > 0:
            _wait_until_ready(client, base, wait)
        for path in paths:
            answer = _import(client, base, path)
            report.files.append(path.name)
            report.success_count += int(answer.get("successCount", 0))
            report.errors.extend(answer.get("errors") or [])
            if answer.get("success") is not True or answer.get("errors"):
                raise BackendError(
                    f"Kibana at {base} did not import {path.name}: "
                    + _summary(answer.get("errors") or [])
                )
    return report


def _tls(verify: bool | str) -> bool | ssl.SSLContext:
    # httpx deprecates CA paths as strings: give it a context built from the path instead.
    if isinstance(verify, bool):
        return verify
    if Path(verify).is_dir():
        return ssl.create_default_context(capath=verify)
    return ssl.create_default_context(cafile=verify)


def _wait_until_ready(client: httpx.Client, base: str, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            response = client.get(STATUS_PATH)
        except httpx.TransportError as exc:
            last = _reason(exc)
        else:
            if response.status_code == 200:
                return
            if response.status_code in (401, 403):
                # Waiting longer will not fix the credentials.
                raise BackendError(_refusal(base, "status", response))
            last = f"HTTP {response.status_code}"
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BackendUnavailable(f"Kibana at {base} was not ready after {wait:g} s ({last})")
        time.sleep(min(POLL_SECONDS, remaining))


def _import(client: httpx.Client, base: str, path: Path) -> dict[str, Any]:
    # Kibana takes the file as a multipart field `file` and checks its .ndjson extension.
    upload = {"file": (path.name, path.read_bytes(), "application/ndjson")}
    try:
        response = client.post(IMPORT_PATH, params={"overwrite": "true"}, files=upload)
    except httpx.TransportError as exc:
        raise BackendUnavailable(f"Kibana is not reachable at {base}: {_reason(exc)}") from exc
    if response.status_code == 503:
        # Kibana answers 503 while it starts: the same import works a little later.
        raise BackendUnavailable(_refusal(base, "import", response))
    if not response.is_success:
        raise BackendError(_refusal(base, "import", response))
    try:
        answer = response.json()
    except ValueError as exc:
        raise BackendError(f"Kibana at {base} answered the import with no JSON") from exc
    if not isinstance(answer, dict):
        raise BackendError(f"Kibana at {base} answered the import with {answer!r}")
    return answer


def _reason(exc: httpx.TransportError) -> str:
    return str(exc) or type(exc).__name__


def _refusal(base: str, what: str, response: httpx.Response) -> str:
    """One line for a non-2xx answer, with Kibana's own message when it gave one."""
    try:
        body = response.json()
        message = (body.get("message") or body.get("error")) if isinstance(body, dict) else body
    except ValueError:
        message = response.text.strip()
    detail = " ".join(str(message or response.reason_phrase).split())[:300]
    return f"Kibana at {base} answered {response.status_code} to the {what} request: {detail}"


def _summary(errors: list[dict[str, Any]]) -> str:
    """``type/id: error type`` for each object Kibana refused, on one line."""
    if not errors:
        return "Kibana reported no success and no errors"
    parts = []
    for entry in errors:
        error = entry.get("error") or {}
        text = f"{entry.get('type')}/{entry.get('id')}: {error.get('type', 'unknown')}"
        missing = [f"{ref.get('type')}/{ref.get('id')}" for ref in error.get("references") or []]
        if missing:
            text += f" ({', '.join(missing)})"
        elif error.get("message"):
            text += f" ({error['message']})"
        parts.append(text)
    return "; ".join(parts)
