import smtplib

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.urls import NoReverseMatch
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from applications.enums import (
    NotificationCategory,
    NotificationDelivery,
    NotificationKind,
    NotificationState,
)
from applications.models import Notification
from applications.services.notifications import queue_notification, retry_delay, send_notification
from applications.tasks import send_notification_task
from portal.accounts.models import NotificationPreference
from tests.applications.notification_examples import EXAMPLE_CONTEXTS

pytestmark = pytest.mark.django_db


def _queued(user, **kwargs):
    return queue_notification(
        kind=NotificationKind.APPLICATION_SUBMITTED,
        recipient=user,
        context={
            "reference": "SBX-2026-00042",
            "title": "Token",
            "application_id": 7,
            "cohort": "2026-2",
            "programme": "NBK",
        },
        **kwargs,
    )


def test_send_notification_sends_once_even_when_redelivered(applicant):
    notification = _queued(applicant)

    assert send_notification(notification_id=notification.pk) is True
    assert send_notification(notification_id=notification.pk) is False

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.state == NotificationState.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None


def test_send_notification_puts_a_failed_row_back_in_the_queue(applicant, monkeypatch):
    notification = _queued(applicant)

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("relay went away")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_notification(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.state == NotificationState.PENDING
    assert notification.attempts == 1
    assert notification.last_error == "SMTPServerDisconnected: relay went away"


def test_queue_notification_sends_after_commit(applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _queued(applicant)

    assert len(callbacks) == 1
    assert mail.outbox[0].to == [applicant.email]
    assert "SBX-2026-00042" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_queue_notification_needs_a_recipient():
    with pytest.raises(ValueError, match="recipient"):
        queue_notification(kind=NotificationKind.APPLICATION_SUBMITTED)


def _refuse_smtp(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("relay went away")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)


def test_failed_sends_wait_longer_each_time_then_give_up(applicant, monkeypatch, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    notification = _queued(applicant)
    _refuse_smtp(monkeypatch)
    delays = []
    for _attempt in range(3):
        before = timezone.now()
        with pytest.raises(smtplib.SMTPServerDisconnected):
            send_notification(notification_id=notification.pk)
        notification.refresh_from_db()
        if notification.state == NotificationState.PENDING:
            delays.append(round((notification.next_attempt_at - before).total_seconds()))

    assert delays == [60, 120]
    assert notification.state == NotificationState.FAILED
    assert notification.attempts == 3
    assert (
        send_notification(notification_id=notification.pk) is False
    )  # a failed row is never resent
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("attempts", "delay"), [(1, 60), (2, 120), (3, 240), (7, 3600), (20, 3600)]
)
def test_retry_delay_doubles_up_to_a_cap(attempts, delay):
    assert retry_delay(attempts) == delay


def test_a_broken_template_fails_the_row_at_once(applicant):
    notification = queue_notification(
        kind=NotificationKind.APPLICATION_SUBMITTED,
        recipient=applicant,
        context={"reference": "X"},
        link="/",
    )

    with pytest.raises(NoReverseMatch):
        send_notification(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.state == NotificationState.FAILED
    assert notification.last_error.startswith("NoReverseMatch: ")


def test_broker_down_at_commit_leaves_the_row_pending_for_the_sweeper(
    applicant, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_notification_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        notification = _queued(applicant)

    notification.refresh_from_db()
    assert notification.state == NotificationState.PENDING
    assert mail.outbox == []


def test_the_send_task_retries_smtp_failures_with_the_backoff(applicant, monkeypatch):
    notification = _queued(applicant)
    _refuse_smtp(monkeypatch)
    retries = []

    def retry(**kwargs):
        retries.append(kwargs)
        return Retry()

    monkeypatch.setattr(send_notification_task, "retry", retry)
    with pytest.raises(Retry):
        send_notification_task(notification_id=notification.pk)  # as a worker runs it: not eager

    assert retries[0]["countdown"] == 60
    assert retries[0]["max_retries"] == 6
    assert isinstance(retries[0]["exc"], smtplib.SMTPServerDisconnected)


def test_the_send_task_inline_leaves_retrying_to_the_sweeper(applicant, monkeypatch):
    notification = _queued(applicant)
    _refuse_smtp(monkeypatch)

    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_notification_task.apply(kwargs={"notification_id": notification.pk}).get()

    assert Notification.objects.get(pk=notification.pk).state == NotificationState.PENDING


def test_queue_notification_records_link_channel_and_unread_count(applicant):
    notification = _queued(applicant)

    applicant.refresh_from_db()
    assert notification.link == "/applications/7/receipt/"
    assert notification.channel == "email"
    assert notification.delivery == NotificationDelivery.IMMEDIATE
    assert applicant.unread_notifications == 1


@pytest.mark.parametrize(
    ("choice", "state"),
    [
        (NotificationDelivery.IMMEDIATE, NotificationState.PENDING),
        (NotificationDelivery.DIGEST, NotificationState.DIGEST),
        (NotificationDelivery.OFF, NotificationState.SKIPPED),
    ],
)
def test_preferences_decide_how_optional_kinds_are_emailed(
    applicant, choice, state, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=applicant, category=NotificationCategory.APPLICATION_UPDATES, delivery=choice
    )

    with django_capture_on_commit_callbacks(execute=True):
        notification = _queued(applicant)

    notification.refresh_from_db()
    assert notification.delivery == choice
    assert notification.state == (
        NotificationState.SENT if state == NotificationState.PENDING else state
    )
    assert len(mail.outbox) == (1 if choice == NotificationDelivery.IMMEDIATE else 0)
    applicant.refresh_from_db()
    assert applicant.unread_notifications == 1  # the centre shows everything


@pytest.mark.parametrize(
    "kind",
    [
        NotificationKind.DECISION_RELEASED,
        NotificationKind.RFI_RAISED,
        NotificationKind.RFI_OVERDUE,
        NotificationKind.DOCUMENT_TO_CORRECT,
    ],
)
def test_legally_required_kinds_go_at_once_whatever_the_preferences(applicant, kind):
    for category in NotificationCategory.values:
        NotificationPreference.objects.create(
            user=applicant, category=category, delivery=NotificationDelivery.OFF
        )

    notification = queue_notification(
        kind=kind, recipient=applicant, context=EXAMPLE_CONTEXTS[kind]
    )

    assert notification.delivery == NotificationDelivery.IMMEDIATE
    assert notification.state == NotificationState.PENDING


def test_another_category_preference_does_not_apply(reviewer):
    NotificationPreference.objects.create(
        user=reviewer, category=NotificationCategory.OVERSIGHT, delivery=NotificationDelivery.OFF
    )

    notification = queue_notification(
        kind=NotificationKind.REVIEWER_ASSIGNED,
        recipient=reviewer,
        context=EXAMPLE_CONTEXTS[NotificationKind.REVIEWER_ASSIGNED],
    )

    assert notification.delivery == NotificationDelivery.IMMEDIATE
