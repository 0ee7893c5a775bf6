"""What /healthz checks: a registry of small check functions, each quick and time-bounded.

A check returns a Result: "ok", "not configured" (fine: the set-up does without it), or an error.
Only errors make the portal unhealthy. Add a check by writing a function and listing it in CHECKS.
"""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import redis
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection

from applications.scanning import get_scanner

OK = "ok"
NOT_CONFIGURED = "not configured"
HEARTBEAT_KEY = "portal:worker-heartbeat"
PROBE_TIMEOUT = 1.0  # seconds, for every network probe


@dataclass(frozen=True)
class Result:
    status: str  # OK, NOT_CONFIGURED or "error"
    detail: str = ""

    @property
    def healthy(self) -> bool:
        return self.status != "error"

    def as_json(self) -> str:
        return f"error: {self.detail}" if self.status == "error" else self.status


def error(detail: str) -> Result:
    return Result("error", detail)


def check_database() -> Result:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return error(type(exc).__name__)
    return Result(OK)


def check_cache() -> Result:
    key = f"portal:healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        found = cache.get(key)
        cache.delete(key)
    except (redis.RedisError, OSError) as exc:
        return error(type(exc).__name__)
    return Result(OK) if found == "1" else error("value not kept")


def _broker_configured() -> bool:
    return bool(settings.CELERY_BROKER_URL) and not settings.CELERY_TASK_ALWAYS_EAGER


def check_broker() -> Result:
    if not _broker_configured():
        return Result(NOT_CONFIGURED)
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_connect_timeout=PROBE_TIMEOUT,
        socket_timeout=PROBE_TIMEOUT,
    )
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        return error(type(exc).__name__)
    finally:
        client.close()
    return Result(OK)


def check_storage() -> Result:
    try:
        default_storage.exists("healthz-probe")
    except (OSError, BotoCoreError, ClientError) as exc:
        return error(type(exc).__name__)
    return Result(OK)


def check_scanner() -> Result:
    scanner = get_scanner()
    if scanner is None:
        return Result(NOT_CONFIGURED)
    try:
        answered = scanner.ping()
    except OSError as exc:
        return error(type(exc).__name__)
    return Result(OK) if answered else error("no answer")


def record_heartbeat() -> float:
    """Run by a worker on the beat's schedule: the time it last took a task off the queue."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now


def check_worker() -> Result:
    if not _broker_configured():
        return Result(NOT_CONFIGURED)
    age = heartbeat_age()
    if age is None:
        return error("no heartbeat")
    if age > settings.HEALTH_HEARTBEAT_MAX_AGE:
        return error(f"last heartbeat {age:.0f}s ago")
    return Result(OK)


CHECKS: dict[str, Callable[[], Result]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "storage": check_storage,
    "virus_scanner": check_scanner,
    "worker": check_worker,
}


def heartbeat_age() -> float | None:
    """Seconds since a worker last ran the heartbeat task, or None if none ever did."""
    try:
        beat = cache.get(HEARTBEAT_KEY)
    except (redis.RedisError, OSError):
        return None
    return None if beat is None else round(time.time() - beat, 1)


def run_checks() -> tuple[bool, dict[str, str]]:
    results = {name: check() for name, check in CHECKS.items()}
    healthy = all(result.healthy for result in results.values())
    return healthy, {name: result.as_json() for name, result in results.items()}
