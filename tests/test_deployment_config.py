"""The deployment files agree with the settings, and the production settings hold up.

The variables the portal reads are found by reading the source (every read goes through
portal.env), so adding a setting without documenting it, or setting a variable in
docker-compose.yml that nothing reads, fails here. The production checks run in subprocesses:
this process already loaded portal.settings.test.
"""

import functools
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("portal", "applications")
ENV_READ = re.compile(
    r"\benv\.(?:string|optional|boolean|integer|string_list|secret)\(\s*\"([A-Z][A-Z0-9_]*)\""
)
# ${NAME}, ${NAME:-default}, ${NAME:?message} in docker-compose.yml ($$ escapes a literal $).
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}")
ENV_EXAMPLE_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=")
# Variables the image sets for Python or Django itself, not for our settings.
RUNTIME_ENV = {"PATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "DJANGO_SETTINGS_MODULE"}


def _source_files():
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


@functools.cache
def settings_variables() -> frozenset[str]:
    names = set()
    for path in _source_files():
        names.update(ENV_READ.findall(path.read_text(encoding="utf-8")))
    return frozenset(names)


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def portal_services(config: dict) -> dict[str, dict]:
    """The services that run the portal's own image (they build it from the Dockerfile)."""
    return {name: service for name, service in config["services"].items() if "build" in service}


def env_example_variables() -> set[str]:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return {match.group(1) for line in text.splitlines() if (match := ENV_EXAMPLE_LINE.match(line))}


def resolve(value: str) -> str:
    """What compose substitutes when .env leaves a variable unset: the default, or a stand-in for
    a required one (compose itself would refuse to start)."""

    def substitute(match: re.Match) -> str:
        operator, argument = match.group(2), match.group(3)
        if operator in (":-", "-"):
            return argument
        return f"required-{match.group(1).lower()}"

    return INTERPOLATION.sub(substitute, str(value))


def clean_environment(**variables: str) -> dict[str, str]:
    """This process's environment without anything the settings read, plus `variables`."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in settings_variables() and name != "DJANGO_SETTINGS_MODULE"
    }
    return {**environment, "DJANGO_SETTINGS_MODULE": "portal.settings.base", **variables}


def run_python(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py, fixed arguments
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_secret() -> str:
    return secrets.token_urlsafe(60)


# --- The variables ------------------------------------------------------------------------------


def test_settings_variables_are_found_in_the_source():
    names = settings_variables()

    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "STORAGE_BACKEND"} <= names
    assert len(names) >= 25


def test_every_environment_read_names_its_variable_literally():
    """A name built at run time would escape the checks below."""
    any_read = re.compile(r"\benv\.(?:string|optional|boolean|integer|string_list|secret)\(")
    dynamic = [
        str(path.relative_to(ROOT))
        for path in _source_files()
        for text in [path.read_text(encoding="utf-8")]
        if len(any_read.findall(text)) != len(ENV_READ.findall(text))
    ]

    assert dynamic == []


def test_environment_read_only_through_portal_env():
    direct_reads = re.compile(r"os\.environ(?!\.setdefault\(\"DJANGO_SETTINGS_MODULE\")|os\.getenv")
    offenders = [
        str(path.relative_to(ROOT))
        for path in _source_files()
        if path != ROOT / "portal" / "env.py"
        and direct_reads.search(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []


def test_compose_portal_services_set_only_variables_the_settings_read():
    services = portal_services(compose())
    unread = {
        f"{name}: {variable}"
        for name, service in services.items()
        for variable in service.get("environment", {})
        if variable not in settings_variables()
    }

    assert set(services) == {"web", "worker", "beat", "migrate"}
    assert unread == set()


def test_compose_portal_services_share_the_environment_and_env_file():
    config = compose()
    services = portal_services(config)

    for service in services.values():
        assert service["environment"] == config["x-portal-env"]
        assert service["env_file"] == ".env"


def test_env_example_lists_every_variable_the_settings_read():
    missing = settings_variables() - env_example_variables()

    assert missing == set()


def test_env_example_lists_every_variable_compose_substitutes():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    substituted = {match.group(1) for match in INTERPOLATION.finditer(text)}

    assert "POSTGRES_PASSWORD" in substituted
    assert substituted - env_example_variables() == set()


def test_env_example_explains_every_variable():
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    unexplained = []
    for number, line in enumerate(lines):
        if not ENV_EXAMPLE_LINE.match(line):
            continue
        previous = next((lines[i] for i in range(number - 1, -1, -1) if lines[i].strip()), "")
        if not previous.startswith("# ") or ENV_EXAMPLE_LINE.match(previous):
            unexplained.append(line)

    assert unexplained == []


def test_env_example_holds_no_secret_values():
    values = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    secret_names = {
        "DJANGO_SECRET_KEY",
        "POSTGRES_PASSWORD",
        "MINIO_ROOT_PASSWORD",
        "STORAGE_S3_SECRET_KEY",
    }

    assert {name: values[name] for name in secret_names} == dict.fromkeys(secret_names, "")


# --- The compose stack ---------------------------------------------------------------------------


def test_compose_waits_only_for_dependencies_with_a_health_check():
    services = compose()["services"]
    waited_for = {
        dependency
        for service in services.values()
        for dependency, condition in service.get("depends_on", {}).items()
        if condition["condition"] == "service_healthy"
    }
    # Nobody waits for web (it relies on the image's HEALTHCHECK); the rest declare one here.
    unchecked = {
        name
        for name in waited_for
        if not services[name].get("healthcheck", {}).get("test")
        or services[name]["healthcheck"].get("disable")
    }

    assert waited_for == {"db", "redis", "minio"}
    assert unchecked == set()


def test_compose_runs_the_documented_processes():
    services = compose()["services"]

    assert "command" not in services["web"]  # the image's gunicorn CMD
    assert services["worker"]["command"][:4] == ["celery", "-A", "portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "portal", "beat"]
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["command"] == [
        "redis-server",
        "--appendonly",
        "yes",
        "--maxmemory-policy",
        "noeviction",
    ]
    assert services["createbucket"]["image"].startswith("minio/mc:")
    assert services["web"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }


def test_compose_environment_uses_postgres_redis_and_minio():
    environment = {name: resolve(value) for name, value in compose()["x-portal-env"].items()}

    assert environment["DATABASE_URL"].startswith("postgres://portal:")
    assert environment["DATABASE_URL"].endswith("@db:5432/portal")
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/1"
    assert environment["STORAGE_BACKEND"] == "s3"
    assert environment["STORAGE_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert environment["DJANGO_BEHIND_PROXY"] == "true"


# --- The image -----------------------------------------------------------------------------------


def _dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_dockerfile_copies_every_node_modules_folder_the_settings_serve():
    settings_text = (ROOT / "portal" / "settings" / "base.py").read_text(encoding="utf-8")
    served = {
        "/".join(parts)
        for parts in re.findall(r'NODE_MODULES / "([^"]+)" / "([^"]+)"', settings_text)
    }
    copied = set(
        re.findall(r"COPY --from=assets /build/node_modules/(\S+) node_modules/\1", _dockerfile())
    )

    assert served == {"bootstrap/dist", "bootstrap-icons/font", "htmx.org/dist", "chart.js/dist"}
    assert served <= copied


def test_dockerfile_sets_only_variables_the_settings_or_python_read():
    names = set()
    for block in re.findall(r"^ENV ((?:.*\\\n)*.*)$", _dockerfile(), flags=re.MULTILINE):
        names.update(re.findall(r"([A-Z][A-Z0-9_]*)=", block))
    build_tools = {
        "PIP_DISABLE_PIP_VERSION_CHECK",
        "PIP_NO_CACHE_DIR",
        "UV_NO_CACHE",
        "UV_COMPILE_BYTECODE",
    }

    assert "PORTAL_VAR_DIR" in names
    assert names - settings_variables() - RUNTIME_ENV - build_tools == set()


def test_dockerfile_runs_gunicorn_as_a_non_root_user_with_a_health_check():
    dockerfile = _dockerfile()
    runtime = dockerfile.split("AS runtime", 1)[1]

    assert re.search(r"^FROM \$\{PYTHON_IMAGE\} AS runtime$", dockerfile, flags=re.MULTILINE)
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in dockerfile
    assert re.search(r"^USER portal:portal$", runtime, flags=re.MULTILINE)
    assert '"gunicorn", "portal.wsgi"' in runtime
    assert '"--bind", "0.0.0.0:8000"' in runtime
    assert "http://127.0.0.1:8000/healthz" in runtime


def test_healthcheck_path_is_served_without_login(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


# --- The production settings ---------------------------------------------------------------------


def test_settings_load_with_production_defaults(tmp_path):
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.STORAGES['staticfiles']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.DATABASES['default']['ENGINE']]))"
    )
    result = run_python(
        ["-c", script],
        clean_environment(DJANGO_SECRET_KEY=production_secret(), PORTAL_VAR_DIR=str(tmp_path)),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '[false, true, true, true, 31536000, "whitenoise.storage.CompressedManifestStaticFilesStorage", '
        'true, "django.db.backends.sqlite3"]'
    )


def test_check_deploy_passes_with_production_defaults(tmp_path):
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        clean_environment(DJANGO_SECRET_KEY=production_secret(), PORTAL_VAR_DIR=str(tmp_path)),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_passes_with_the_compose_environment(tmp_path):
    environment = {name: resolve(value) for name, value in compose()["x-portal-env"].items()}
    environment["DJANGO_SECRET_KEY"] = production_secret()
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        clean_environment(**environment, PORTAL_VAR_DIR=str(tmp_path)),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_settings_refuse_to_start_without_secret_key(tmp_path):
    result = run_python(["manage.py", "check"], clean_environment(PORTAL_VAR_DIR=str(tmp_path)))

    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: The environment variable DJANGO_SECRET_KEY is required."
        in result.stderr
    )


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_settings_refuse_an_unreadable_boolean(tmp_path, value):
    result = run_python(
        ["manage.py", "check"],
        clean_environment(
            DJANGO_SECRET_KEY=production_secret(), DJANGO_DEBUG=value, PORTAL_VAR_DIR=str(tmp_path)
        ),
    )

    assert result.returncode == 1
    assert f"DJANGO_DEBUG must be true or false, not '{value}'." in result.stderr


# --- The documentation ---------------------------------------------------------------------------


def _mermaid_state_diagram() -> str:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    return re.search(r"```mermaid\nstateDiagram-v2\n(.*?)```", text, flags=re.DOTALL).group(1)


def test_architecture_state_diagram_matches_the_model():
    from applications.enums import TERMINAL_STATES, ApplicationState
    from applications.models import Application

    diagram = _mermaid_state_diagram()
    drawn = set(re.findall(r"^\s*(\w+) --> (\w+) : (\w+)$", diagram, flags=re.MULTILINE))
    declared = {
        (str(t.source), str(t.target), t.name)
        for t in Application._meta.get_field("state").get_all_transitions(Application)
    }
    ends = set(re.findall(r"^\s*(\w+) --> \[\*\]$", diagram, flags=re.MULTILINE))
    states = {state for source, target, _name in drawn for state in (source, target)}

    assert drawn == declared
    assert states == set(ApplicationState.values)
    assert ends == {str(state) for state in TERMINAL_STATES}


def test_settings_take_the_local_secret_file_that_make_setup_writes(tmp_path):
    (tmp_path / "secret_key").write_text("a-local-development-secret-of-fifty-characters-or-more\n")

    result = run_python(["manage.py", "check"], clean_environment(PORTAL_VAR_DIR=str(tmp_path)))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_settings_refuse_an_empty_local_secret_file(tmp_path):
    (tmp_path / "secret_key").write_text("\n")

    result = run_python(["manage.py", "check"], clean_environment(PORTAL_VAR_DIR=str(tmp_path)))

    assert result.returncode == 1
    assert "The environment variable DJANGO_SECRET_KEY is required." in result.stderr
