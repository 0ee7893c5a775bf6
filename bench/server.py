"""What the page bench and the load test share: the database with the generated data set, the
environment of the portal's processes, and a gunicorn on a free port of 127.0.0.1."""

import http.client
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def work_folder() -> Path:
    """Where the bench's portal keeps its files (uploads, generated documents); kept between
    runs, like the database they belong to."""
    folder = ROOT / "var" / "bench"
    (folder / "static").mkdir(parents=True, exist_ok=True)  # STATIC_ROOT: whitenoise wants it
    return folder


def environment(work: Path, *, services: bool = True) -> dict[str, str]:
    """The portal's production settings (DEBUG off), tasks inline, files and temporary uploads
    under `work`. With `services`, on PostgreSQL and Redis with the floors' URLconf
    (bench/settings.py; BENCH_DATABASE_URL and BENCH_REDIS_URL choose the servers); without, on
    the embedded defaults (SQLite under `work`, local-memory cache)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "PORTAL_", "STORAGE_", "CLAMAV_"))
    }
    env.pop("CELERY_BROKER_URL", None)  # tasks run inline: the bench measures the web process
    if services:
        env.update(
            DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
            REDIS_URL=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
            DJANGO_SETTINGS_MODULE="bench.settings",
        )
    else:
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        env.update(DJANGO_SETTINGS_MODULE="portal.settings.base")
    env.update(
        DJANGO_SECRET_KEY="bench-only-" + uuid.uuid4().hex,
        DJANGO_HTTPS="false",
        DJANGO_STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        PORTAL_VAR_DIR=str(work),
        DJANGO_FILE_UPLOAD_TEMP_DIR=str(work),
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def ensure_database(url: str) -> None:
    """Create the bench's database when the server does not have it yet."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int = 1, threads: int = 1):
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    command = [
        gunicorn,
        "portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "120",
        # Longer than a load-test user's pause, so an idle kept-alive connection is not closed
        # under a request being sent on it (as a proxy in front would keep it).
        "--keep-alive",
        "15",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)


def worker_pids(master: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def signed_in_session(user) -> str:
    """A session key for `user`, as the sign-in would store it (staff have TOTP set up)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key
