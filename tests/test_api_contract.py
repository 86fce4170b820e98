"""The API under attack: schemathesis over the real service's /openapi.json with every
check (tests/fixtures/schemathesis.toml): no server error, and every answer as the schema
says (status codes, content types, bodies, the Allow header of a 405, the paging window)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES
from tests.service import running_service, wait_for

ARTICLE = (
    "3月5日，市青禾集团召开2022年度党委会。总经理林海主持会议。\n林海要求，各单位要抓好落实。\n"
)


def test_schemathesis_finds_no_failure(tmp_path: Path) -> None:
    with running_service(tmp_path) as service:
        (service.inbox / "党委会.txt").write_text(ARTICLE, encoding="utf-8")
        wait_for(lambda: service.get("/health").json()["documents"] == 1, 60, "a document")
        schemathesis = Path(sys.executable).with_name("schemathesis")
        done = subprocess.run(
            [
                str(schemathesis),
                "--config-file",
                str(FIXTURES / "schemathesis.toml"),
                "run",
                f"{service.url}/openapi.json",
                "--max-examples",
                "25",
                "--workers",
                "1",
                "--generation-deterministic",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=900,
        )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "passed" in done.stdout and "failure" not in done.stdout.split("Test cases:")[-1]
