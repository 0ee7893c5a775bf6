import time

import pytest
import redis
from django.core.cache import cache
from django.db import OperationalError, connection
from django.urls import reverse

from portal import health
from tests.factories import ReviewerFactory

pytestmark = pytest.mark.django_db

URL = reverse("healthz")


@pytest.fixture
def with_broker(settings):
    """As in production: a broker, tasks not inline."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6399/9"
    settings.CELERY_TASK_ALWAYS_EAGER = False


class _Broker:
    def __init__(self, *, up):
        self.up = up

    def ping(self):
        if not self.up:
            raise redis.ConnectionError(
                "Error 111 connecting to 127.0.0.1:6399. Connection refused."
            )
        return True

    def close(self):
        pass


def _broker(monkeypatch, *, up):
    monkeypatch.setattr(health.redis.Redis, "from_url", lambda *args, **kwargs: _Broker(up=up))


def test_healthz_without_a_broker_reports_tasks_inline_as_not_configured(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "not configured",
        "storage": "ok",
        "virus_scanner": "not configured",
        "worker": "not configured",
        "worker_heartbeat_age": None,
    }


def test_healthz_needs_no_login_even_for_staff_without_totp(client):
    client.force_login(ReviewerFactory(totp=False))

    response = client.get(URL)

    assert response.json()["database"] == "ok"


def test_healthz_reports_a_database_failure_as_503(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        # What Django raises when the server is unreachable (the driver's error, wrapped).
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "error: OperationalError"


def test_healthz_reports_a_cache_failure_as_503(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise redis.ConnectionError("Connection refused")

    monkeypatch.setattr(cache, "set", unreachable)

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["cache"] == "error: ConnectionError"


def test_healthz_with_broker_and_fresh_heartbeat_is_ok(client, monkeypatch, with_broker):
    _broker(monkeypatch, up=True)
    cache.set(health.HEARTBEAT_KEY, time.time() - 10, timeout=None)

    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert (body["broker"], body["worker"]) == ("ok", "ok")
    assert 9 <= body["worker_heartbeat_age"] <= 12


def test_healthz_with_the_broker_down_is_503(client, monkeypatch, with_broker):
    _broker(monkeypatch, up=False)
    health.record_heartbeat()

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["broker"] == "error: ConnectionError"


@pytest.mark.parametrize(
    ("age", "expected"),
    [(None, "error: no heartbeat"), (600, "error: last heartbeat 600s ago")],
)
def test_healthz_without_a_recent_worker_heartbeat_is_503(
    client, monkeypatch, with_broker, age, expected
):
    _broker(monkeypatch, up=True)
    if age is not None:
        cache.set(health.HEARTBEAT_KEY, time.time() - age, timeout=None)

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["worker"] == expected


def test_heartbeat_task_records_the_time_a_worker_ran_it():
    from portal.tasks import worker_heartbeat_task

    before = time.time()
    recorded = worker_heartbeat_task.apply().get()

    assert before <= recorded <= time.time()
    assert cache.get(health.HEARTBEAT_KEY) == recorded


class _Scanner:
    def __init__(self, answer):
        self.answer = answer

    def ping(self):
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.mark.parametrize(
    ("answer", "status", "expected"),
    [
        (True, 200, "ok"),
        (False, 503, "error: no answer"),
        (ConnectionRefusedError("clamd down"), 503, "error: ConnectionRefusedError"),
    ],
)
def test_healthz_reports_the_virus_scanner_when_one_is_configured(
    client, monkeypatch, answer, status, expected
):
    monkeypatch.setattr(health, "get_scanner", lambda: _Scanner(answer))

    response = client.get(URL)

    assert response.status_code == status
    assert response.json()["virus_scanner"] == expected


def test_healthz_reports_a_storage_failure_as_503(client, monkeypatch):
    class Unreachable:
        def exists(self, name):
            raise ConnectionRefusedError("minio down")

    monkeypatch.setattr(health, "default_storage", Unreachable())

    response = client.get(URL)

    assert response.status_code == 503
    assert response.json()["storage"] == "error: ConnectionRefusedError"


def test_healthz_is_cheap(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        client.get(URL)
