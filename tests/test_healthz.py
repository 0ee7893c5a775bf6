import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from tests.factories import ReviewerFactory

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_ok(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_needs_no_login_even_for_staff_without_totp(client):
    client.force_login(ReviewerFactory(totp=False))

    response = client.get(reverse("healthz"))

    assert response.json()["database"] == "ok"


def test_healthz_reports_a_database_failure_as_503(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        # What Django raises when the server is unreachable (the driver's error, wrapped).
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error: OperationalError"}
