"""The chaos test's own Redis and Celery workers, as real processes it can kill."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from portal.celery_app import app

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Rig:
    """Redis on its own port (no persistence: a SIGKILL loses every queued message, the worst
    case) and Celery workers on the test's PostgreSQL database, mailing into `mail_dir`."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.broker_url = f"redis://127.0.0.1:{self.port}/0"
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.logs = tmp_path
        self.redis: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.events: list[tuple[float, str]] = []

    def start_redis(self) -> None:
        server = shutil.which("redis-server")
        command = [
            server,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.redis = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill_redis(self) -> None:
        self.redis.send_signal(signal.SIGKILL)
        self.redis.wait()

    def start_workers(self, *names: str) -> None:
        """Started together (each takes seconds to import Django), then waited for."""
        started = [(name, self._spawn_worker(name)) for name in names]
        for name, worker in started:
            self._wait_ready(name, worker)

    def _spawn_worker(self, name: str) -> subprocess.Popen:
        log = self.logs / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.chaos.settings",
            "DJANGO_SECRET_KEY": "chaos-test-only",
            "DJANGO_HTTPS": "false",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "REDIS_URL": "",
            "CHAOS_MAIL_DIR": str(self.mail_dir),
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            # solo: the threads pool can lose its consumer when the broker connection drops
            # while a thread acknowledges (kombu AttributeError), which would be a flaky test.
            "--pool=solo",
            f"--hostname={name}@%h",
        ]
        command += ["--without-gossip", "--without-mingle", "--loglevel=INFO"]
        with log.open("w") as output:
            worker = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        self.workers.append(worker)
        return worker

    def _wait_ready(self, name: str, worker: subprocess.Popen) -> None:
        log = self.logs / f"{name}.log"
        deadline = time.monotonic() + 90
        while " ready." not in log.read_text():
            if time.monotonic() > deadline or worker.poll() is not None:
                raise RuntimeError(f"worker {name} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait()

    def chaos(
        self, *, redis_down_at: float, redis_down_for: float, worker_killed_at: float
    ) -> threading.Thread:
        """In the background: Redis SIGKILLed and restarted empty; the first worker SIGKILLed."""
        start = time.monotonic()

        def run():
            steps = sorted(
                [
                    (redis_down_at, "redis killed", self.kill_redis),
                    (redis_down_at + redis_down_for, "redis restarted", self.start_redis),
                    (worker_killed_at, "worker killed", lambda: self.kill(self.workers[0])),
                ]
            )
            for at, label, action in steps:
                time.sleep(max(0, start + at - time.monotonic()))
                action()
                self.events.append((time.monotonic(), label))

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def recovered_at(self) -> float:
        return max(at for at, label in self.events if label == "redis restarted")

    def stop(self) -> None:
        for process in [*self.workers, self.redis]:
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.kill(process)


def point_celery_at(broker_url: str | None, monkeypatch) -> None:
    """This process's producer uses `broker_url` (None: back to the settings). Celery reads the
    CELERY_BROKER_URL environment variable before its configuration, so both are set."""
    if broker_url:
        monkeypatch.setenv("CELERY_BROKER_URL", broker_url)
    else:
        monkeypatch.undo()
    app.conf.broker_url = broker_url or settings.CELERY_BROKER_URL
    app.conf.task_always_eager = broker_url is None
    app._pool = None
    app.amqp._producer_pool = None
