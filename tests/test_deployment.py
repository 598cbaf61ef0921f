"""The production deployment files stay complete and consistent with the settings they feed.

docker-compose.yml and the Dockerfile are read as data (no Docker engine needed); the settings are
checked in a subprocess with a production-like environment.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"

BACKING_SERVICES = ("postgres", "redis", "elasticsearch")
APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING_APP_SERVICES = ("web", "worker", "beat")

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}; not $${NAME} (escaped)
INTERPOLATION = re.compile(r"(?<!\$)\$\{(?P<name>\w+)(?P<operator>:?[-?])?")

# Variables read by talentpool/settings.py that the app services set in production.
SETTINGS_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "MEDIA_ROOT",
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def _environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment as a mapping, whichever of compose's two forms it is written in."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in raw)
    return {key: "" if value is None else str(value) for key, value in raw.items()}


def _command(service: dict[str, Any]) -> str:
    command = service.get("command") or ""
    return " ".join(command) if isinstance(command, list) else command


def _healthcheck_test(service: dict[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def _dependencies(service: dict[str, Any]) -> dict[str, str]:
    """{service name: condition}; the short list form means service_started."""
    depends_on = service.get("depends_on") or {}
    if isinstance(depends_on, list):
        return dict.fromkeys(depends_on, "service_started")
    return {name: spec.get("condition", "service_started") for name, spec in depends_on.items()}


def _build(service: dict[str, Any]) -> tuple[str, str]:
    """(context, dockerfile) of a service built from source; compose also accepts a bare context."""
    build = service["build"]
    if isinstance(build, str):
        return build, "Dockerfile"
    return build["context"], build.get("dockerfile", "Dockerfile")


def _dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        pending = f"{pending} {stripped}" if pending else stripped
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        keyword, _, arguments = pending.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def _final_stage() -> list[tuple[str, str]]:
    instructions = _dockerfile_instructions()
    last_from = max(index for index, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def _production_environment(tmp_path: Path) -> dict[str, str]:
    """Production values and nothing else from this process (CI sets DATABASE_URL and REDIS_URL)."""
    inherited = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "talentpool.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "talentpool.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'talentpool.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
    }


def test_compose_defines_the_data_services_and_every_app_role(services: dict[str, dict[str, Any]]) -> None:
    assert set(BACKING_SERVICES + APP_SERVICES) <= set(services)


def test_compose_runs_exactly_one_beat(services: dict[str, dict[str, Any]]) -> None:
    beats = [
        name for name, service in services.items() if re.search(r"\bcelery\b.*\bbeat\b", _command(service))
    ]

    assert beats == ["beat"]
    assert "replicas" not in (services["beat"].get("deploy") or {})


def test_compose_runs_a_celery_worker_for_the_talentpool_app(services: dict[str, dict[str, Any]]) -> None:
    command = _command(services["worker"])

    assert re.search(r"\bcelery\b.*(-A|--app)[= ]talentpool\b.*\bworker\b", command)


def test_migrate_runs_once_when_postgres_is_healthy(services: dict[str, dict[str, Any]]) -> None:
    migrate = services["migrate"]

    assert re.search(r"\bmanage\.py migrate\b.*--noinput", _command(migrate))
    assert migrate["restart"] == "no"
    assert _dependencies(migrate)["postgres"] == "service_healthy"


@pytest.mark.parametrize("name", LONG_RUNNING_APP_SERVICES)
def test_app_service_starts_only_after_migrations_complete(
    services: dict[str, dict[str, Any]], name: str
) -> None:
    assert _dependencies(services[name])["migrate"] == "service_completed_successfully"


@pytest.mark.parametrize(
    ("name", "backing_services"),
    [
        ("web", ("postgres", "redis", "elasticsearch")),
        ("worker", ("postgres", "redis", "elasticsearch")),
        ("beat", ("redis",)),
    ],
)
def test_app_service_waits_for_the_backing_services_it_uses_to_be_healthy(
    services: dict[str, dict[str, Any]], name: str, backing_services: tuple[str, ...]
) -> None:
    dependencies = _dependencies(services[name])

    assert {dependency: dependencies.get(dependency) for dependency in backing_services} == dict.fromkeys(
        backing_services, "service_healthy"
    )


@pytest.mark.parametrize(
    ("name", "probe"),
    [
        ("postgres", r"\bpg_isready\b"),
        ("redis", r"\bredis-cli\b.*\bping\b"),
        ("elasticsearch", r"\bcurl\b.*/_cluster/health"),
    ],
)
def test_backing_service_has_a_healthcheck(
    services: dict[str, dict[str, Any]], name: str, probe: str
) -> None:
    assert re.search(probe, _healthcheck_test(services[name]))


def test_web_publishes_port_8000(services: dict[str, dict[str, Any]]) -> None:
    ports = [str(port) for port in services["web"]["ports"]]

    assert any(port.endswith(":8000") or port == "8000" for port in ports)


def test_elasticsearch_is_a_pinned_8_19_single_node(services: dict[str, dict[str, Any]]) -> None:
    elasticsearch = services["elasticsearch"]
    environment = _environment(elasticsearch)

    assert re.fullmatch(r"docker\.elastic\.co/elasticsearch/elasticsearch:8\.19\.\d+", elasticsearch["image"])
    assert environment["discovery.type"] == "single-node"


def test_elasticsearch_states_its_security_settings_explicitly(services: dict[str, dict[str, Any]]) -> None:
    environment = _environment(services["elasticsearch"])

    assert environment["xpack.security.enabled"] in {"true", "false"}
    if environment["xpack.security.enabled"] == "true":
        assert environment["xpack.security.http.ssl.enabled"] in {"true", "false"}


def test_app_and_healthcheck_authenticate_when_elasticsearch_security_is_on(
    services: dict[str, dict[str, Any]],
) -> None:
    elasticsearch = services["elasticsearch"]
    security_on = _environment(elasticsearch)["xpack.security.enabled"] == "true"
    url = _environment(services["web"])["ELASTICSEARCH_URL"]

    assert bool(re.match(r"https?://[^/@]+:[^/@]+@", url)) is security_on
    if security_on:
        assert "${ELASTIC_PASSWORD:?" in _environment(elasticsearch)["ELASTIC_PASSWORD"]
        assert "ELASTIC_PASSWORD" in _healthcheck_test(elasticsearch)
        assert ("https://" in url) is (
            _environment(elasticsearch)["xpack.security.http.ssl.enabled"] == "true"
        )


def test_elasticsearch_heap_is_set_and_locked_in_memory(services: dict[str, dict[str, Any]]) -> None:
    elasticsearch = services["elasticsearch"]

    assert re.search(r"-Xms\S+ -Xmx\S+", _environment(elasticsearch)["ES_JAVA_OPTS"])
    assert elasticsearch["ulimits"]["memlock"] == {"soft": -1, "hard": -1}
    assert "elasticsearch-data" in " ".join(elasticsearch["volumes"])


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_requires_a_secret_key_and_turns_debug_off(
    services: dict[str, dict[str, Any]], name: str
) -> None:
    environment = _environment(services[name])

    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert environment["DEBUG"] == "0"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_points_the_settings_at_the_production_services(
    services: dict[str, dict[str, Any]], name: str
) -> None:
    environment = _environment(services[name])

    assert set(environment) >= SETTINGS_VARIABLES
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")
    assert re.search(r"@?elasticsearch:9200$", environment["ELASTICSEARCH_URL"])


def test_secrets_must_be_given_and_have_no_defaults() -> None:
    references = INTERPOLATION.finditer(COMPOSE_FILE.read_text())
    secret_references = [match for match in references if re.search(r"SECRET|PASSWORD", match["name"])]

    assert secret_references
    assert {(match["name"], match["operator"]) for match in secret_references} == {
        (match["name"], ":?") for match in secret_references
    }


def test_every_service_built_from_the_dockerfile_shares_one_build_context(
    services: dict[str, dict[str, Any]],
) -> None:
    built = {name: service for name, service in services.items() if "build" in service}

    assert set(APP_SERVICES) <= set(built)
    assert {_build(service) for service in built.values()} == {(".", "Dockerfile")}
    assert len({service.get("image") for service in built.values()}) == 1


def test_web_and_worker_share_the_media_volume_at_media_root(services: dict[str, dict[str, Any]]) -> None:
    for name in ("web", "worker"):
        media_root = _environment(services[name])["MEDIA_ROOT"]
        assert f"media:{media_root}" in services[name]["volumes"]


def test_dockerfile_runs_as_a_non_root_user() -> None:
    users = [arguments for keyword, arguments in _final_stage() if keyword == "USER"]

    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_has_a_healthcheck_on_the_health_endpoint() -> None:
    healthchecks = [arguments for keyword, arguments in _final_stage() if keyword == "HEALTHCHECK"]

    assert len(healthchecks) == 1
    assert "/health/" in healthchecks[0]
    assert "urllib" in healthchecks[0]


def test_dockerfile_serves_gunicorn_on_port_8000() -> None:
    final_stage = _final_stage()
    command = next(arguments for keyword, arguments in reversed(final_stage) if keyword == "CMD")

    assert ("EXPOSE", "8000") in final_stage
    assert "gunicorn" in command
    assert "talentpool.wsgi:application" in command
    assert "0.0.0.0:8000" in command


def test_dockerfile_collects_static_files_without_storing_a_secret_key() -> None:
    instructions = _dockerfile_instructions()
    runs = [arguments for keyword, arguments in instructions if keyword == "RUN"]
    environment = " ".join(arguments for keyword, arguments in instructions if keyword in {"ENV", "ARG"})

    assert any("collectstatic --noinput" in run and "DEBUG=0" in run for run in runs)
    assert "SECRET_KEY" not in environment


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_build_context() -> None:
    patterns = {
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }

    assert {".venv", "var", ".git", ".env"} <= patterns


def test_deploy_check_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=_production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = result.stdout + result.stderr

    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout, output
    assert "WARNING" not in output


def test_settings_refuse_to_load_without_a_secret_key_when_debug_is_off(tmp_path: Path) -> None:
    environment = _production_environment(tmp_path)
    del environment["SECRET_KEY"]

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
