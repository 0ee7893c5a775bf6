"""With a real broker and a real worker: a notification written in a transaction is sent by the
worker after commit. Runs where a broker is configured (CI sets one); skipped otherwise."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import transaction

from applications.enums import NotificationKind, NotificationState
from applications.models import Notification
from applications.services.notifications import queue_notification
from portal.celery_app import app
from tests import factories

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker():
    if not settings.CELERY_BROKER_URL:
        pytest.skip("No broker configured (set REDIS_URL or CELERY_BROKER_URL).")
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True


def test_worker_sends_notifications_queued_on_commit(real_worker, mailoutbox):
    recipient = factories.ApplicantFactory()
    with transaction.atomic():
        notifications = [
            queue_notification(
                kind=NotificationKind.ORGANISATION_INVITATION,
                email=f"invitee{n}@example.kz",
                context={
                    "organisation": "Steppe LLP",
                    "inviter": recipient.display_name,
                    "token": f"t{n}",
                },
            )
            for n in range(5)
        ]

    deadline = time.monotonic() + 30
    ids = [notification.pk for notification in notifications]
    while time.monotonic() < deadline:
        if Notification.objects.filter(pk__in=ids, state=NotificationState.SENT).count() == len(
            ids
        ):
            break
        time.sleep(0.2)

    assert Notification.objects.filter(pk__in=ids, state=NotificationState.SENT).count() == 5
    assert sorted(message.to[0] for message in mailoutbox) == [
        f"invitee{n}@example.kz" for n in range(5)
    ]
