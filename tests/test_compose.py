"""The `docker compose up` path: docker-compose.yml, the Dockerfile, .env.example and
scripts/make-env.

No Docker engine runs here or in CI (and the client has no compose plugin), so nothing is
started: the files are parsed and checked for what would break `docker compose up` or
let it drift from the rest of the project, and the two shell scripts are run for real.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
MAKE_ENV = ROOT / "scripts" / "make-env"

ONE_SHOTS = {"es-setup", "kibana-setup"}
"""Services that run once and exit; every other one runs for good."""

# `${NAME`, not `$${NAME` (a literal `$` for the container's shell).
VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}")
# An exact version: 9.5.1, 16.15, 3.9.1-python3.11 (not `latest`, `16`, `3-python3.11`).
EXACT_TAG = re.compile(r"^\d+\.\d+(\.\d+)?([-.][A-Za-z0-9_.-]+)?$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict) -> dict[str, dict]:
    return compose["services"]


def environment(service: dict) -> dict[str, object]:
    """A service's environment in either of compose's two forms, as a mapping."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def image_tag(image: str) -> str:
    """The tag of ``registry:port/name:tag`` (a registry's port is not a tag)."""
    last = image.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else ""


def locked_version(package: str) -> str:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    return next(p["version"] for p in lock["package"] if p["name"] == package)


def env_example_names() -> list[str]:
    return re.findall(r"^([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M)


def readme_settings() -> set[str]:
    """The variables named in the first column of the README's Settings table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Settings", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)`", section, re.M))


def read_env_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines())
    return {p[0]: p[1] for p in pairs if len(p) == 2 and not p[0].startswith("#")}


# --- the compose file ------------------------------------------------------------------


def test_every_service_has_a_pinned_image_or_is_built(services: dict[str, dict]) -> None:
    """An image is named with an exact version, so `up` next year starts the same thing."""
    for name, service in services.items():
        if "build" in service:
            continue
        image = service.get("image", "")
        assert "$" not in image, f"{name}: the tag of {image!r} comes from a variable"
        tag = image_tag(image)
        assert EXACT_TAG.match(tag), f"{name}: {image!r} is not pinned to an exact version"


def test_stack_versions_match_the_locked_clients(services: dict[str, dict]) -> None:
    """Elasticsearch and Kibana share one version, of the major the `elasticsearch` client
    in uv.lock is made for; the Prefect server is the locked Prefect version."""
    es = image_tag(services["elasticsearch"]["image"])
    assert image_tag(services["kibana"]["image"]) == es
    assert image_tag(services["es-setup"]["image"]) == es
    assert es.split(".")[0] == locked_version("elasticsearch").split(".")[0]
    assert image_tag(services["prefect"]["image"]).split("-")[0] == locked_version("prefect")


def test_long_running_services_have_healthchecks(services: dict[str, dict]) -> None:
    """`depends_on: condition: service_healthy` needs them, and `docker compose ps` shows them."""
    assert services.keys() >= ONE_SHOTS
    for name, service in services.items():
        if name in ONE_SHOTS:
            continue
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name} has no healthcheck"


def test_one_shot_services_are_not_restarted(services: dict[str, dict]) -> None:
    """A one-shot that exits 0 must stay exited (quoted: a bare `no` is YAML's false)."""
    for name in ONE_SHOTS:
        assert services[name].get("restart") == "no", name


def test_dependencies_wait_for_health_or_completion(services: dict[str, dict]) -> None:
    """A service starts when what it needs is healthy, or has finished for a one-shot."""
    for name, service in services.items():
        depends_on = service.get("depends_on") or {}
        assert isinstance(depends_on, dict), f"{name}: depends_on without conditions"
        for dependency, spec in depends_on.items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            expected = (
                "service_completed_successfully" if dependency in ONE_SHOTS else "service_healthy"
            )
            assert spec.get("condition") == expected, f"{name} -> {dependency}"


def test_named_volumes_are_declared_and_used(compose: dict, services: dict[str, dict]) -> None:
    """A named volume missing from the top-level `volumes:` is a compose error; one
    declared but unused is a sign of a typo."""
    used = set()
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume["source"] if isinstance(volume, dict) else volume.split(":", 1)[0]
            if not source.startswith((".", "/", "~")):  # not a bind mount
                used.add(source)
    declared = set(compose.get("volumes") or {})
    assert used == declared, f"volumes used {sorted(used)}, declared {sorted(declared)}"


def test_the_archive_keeps_its_data_and_watches_the_inbox(services: dict[str, dict]) -> None:
    """Documents survive `docker compose down`, and ./inbox on the host is the inbox."""
    archive = services["archive"]
    env = environment(archive)
    mounts = dict(v.split(":", 1) for v in archive["volumes"])
    assert mounts["./inbox"] == env["ARCHIVE_INBOX"]
    assert mounts["archivedata"] == env["ARCHIVE_HOME"]


def test_ports_are_published_on_loopback_only(services: dict[str, dict]) -> None:
    """Nothing is reachable from the network by default: the stack is for this machine."""
    for name, service in services.items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port}"


def test_archive_settings_are_the_readme_settings(services: dict[str, dict]) -> None:
    """The archive's services are configured with the names the README documents."""
    documented = readme_settings()
    for name in ("archive", "kibana-setup"):
        used = {key for key in environment(services[name]) if key.startswith("ARCHIVE_")}
        missing = sorted(used - documented)
        assert not missing, f"{name} sets {missing}, not in the README's Settings table"


def test_compose_variables_are_required_and_documented() -> None:
    """Every `${VAR}` fails `docker compose up` clearly when unset (`:?`), and is in
    .env.example, from which scripts/make-env writes .env."""
    found = VARIABLE.findall(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert found
    for name, modifier in found:
        assert modifier.startswith(":?") and modifier[2:].strip(), f"${{{name}}} has no :?message"
    example = env_example_names()
    assert {name for name, _ in found} == set(example)
    # Each variable is explained by the comment just above it.
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    for name in example:
        index = lines.index(f"{name}=")
        assert index > 0 and lines[index - 1].startswith("#"), f"{name} has no comment"


# --- the es-setup script ---------------------------------------------------------------


def es_setup_script(services: dict[str, dict]) -> str:
    """The bash script of es-setup as the container gets it (compose turns $$ into $)."""
    command = services["es-setup"]["command"]
    assert command[:2] == ["bash", "-c"]
    script = command[2]
    # Every $ is doubled: compose substitutes nothing in the script itself.
    assert "$" not in script.replace("$$", "")
    return script.replace("$$", "$")


def run_es_setup(services: dict[str, dict], tmp_path: Path, status: str):
    """Run es-setup's script against a fake curl that answers ``status``."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    curl = bin_dir / "curl"
    # Logs its arguments one per line and prints the status `-w '%{http_code}'` asks for.
    curl.write_text(
        '#!/usr/bin/env bash\nprintf "%s\\n" "$@" > "$CURL_LOG"\nprintf "$CURL_STATUS"\n'
    )
    curl.chmod(0o755)
    log = tmp_path / "curl.log"
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "ELASTIC_PASSWORD": "elastic-pw_1",
        "KIBANA_PASSWORD": "kibana-pw_2",
        "CURL_LOG": str(log),
        "CURL_STATUS": status,
    }
    result = subprocess.run(
        ["bash", "-c", es_setup_script(services)],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return result, log.read_text().splitlines()


def test_es_setup_sets_the_kibana_system_password(
    services: dict[str, dict], tmp_path: Path
) -> None:
    """It POSTs KIBANA_PASSWORD as JSON to the kibana_system user, as the elastic user."""
    result, args = run_es_setup(services, tmp_path, "200")
    assert result.returncode == 0, result.stderr
    assert args[-1] == "http://elasticsearch:9200/_security/user/kibana_system/_password"
    assert args[args.index("-X") + 1] == "POST"
    assert args[args.index("-u") + 1] == "elastic:elastic-pw_1"
    assert args[args.index("-d") + 1] == '{"password":"kibana-pw_2"}'


def test_es_setup_stops_at_once_on_a_wrong_elastic_password(
    services: dict[str, dict], tmp_path: Path
) -> None:
    """A refused password does not fix itself: say so and fail instead of retrying."""
    result, _ = run_es_setup(services, tmp_path, "401")
    assert result.returncode == 1
    assert "ELASTIC_PASSWORD" in result.stderr


# --- scripts/make-env ------------------------------------------------------------------


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A folder laid out like the repository, with make-env and .env.example only."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(MAKE_ENV, tmp_path / "scripts" / "make-env")
    shutil.copy2(ENV_EXAMPLE, tmp_path / ".env.example")
    return tmp_path


def make_env(checkout: Path) -> subprocess.CompletedProcess:
    # Run from elsewhere: the script finds the checkout from its own path.
    return subprocess.run(
        [str(checkout / "scripts" / "make-env")],
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_env_is_executable() -> None:
    assert MAKE_ENV.stat().st_mode & stat.S_IXUSR


def test_make_env_writes_a_random_password_for_every_variable(checkout: Path) -> None:
    assert make_env(checkout).returncode == 0
    env_file = checkout / ".env"
    values = read_env_file(env_file)
    assert list(values) == env_example_names()
    for name, value in values.items():
        # URL- and JSON-safe, long enough for Elasticsearch's minimum of 6.
        assert re.fullmatch(r"[A-Za-z0-9_-]{16,}", value), f"{name}={value!r}"
    assert len(set(values.values())) == len(values)
    # Only its owner can read the passwords.
    assert stat.S_IMODE(env_file.stat().st_mode) & 0o077 == 0


def test_make_env_keeps_an_existing_env(checkout: Path) -> None:
    env_file = checkout / ".env"
    env_file.write_text("ELASTIC_PASSWORD=mine\n")
    result = make_env(checkout)
    assert result.returncode == 0
    assert env_file.read_text() == "ELASTIC_PASSWORD=mine\n"
    assert "left as it is" in result.stdout


# --- the Dockerfile --------------------------------------------------------------------


def test_dockerfile_is_pinned_and_copies_what_exists() -> None:
    """A pinned base, the Makefile's uv version, and every copied path present."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    base = re.search(r"^FROM (\S+)", dockerfile, re.M).group(1)
    assert EXACT_TAG.match(image_tag(base)), base
    make_uv = re.search(r"^UV_VERSION := (\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert f"uv=={make_uv.group(1)}" in dockerfile
    for line in re.findall(r"^COPY (.+)$", dockerfile, re.M):
        for source in line.split()[:-1]:
            assert (ROOT / source).exists(), f"COPY {source}: no such path"
    assert 'CMD ["archive", "run"]' in dockerfile


def test_dockerignore_keeps_secrets_and_local_data_out() -> None:
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".env", ".venv", ".tools", "var", "inbox", ".git"} <= ignored
