import smtplib

import pytest
from django.core import mail

from applications.enums import NotificationKind, NotificationState
from applications.models import Notification
from applications.services.notifications import queue_notification, send_notification

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
    assert notification.last_error == "relay went away"


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


@pytest.mark.parametrize(
    ("kind", "context"),
    [
        (
            NotificationKind.APPLICATION_SUBMITTED,
            {
                "reference": "SBX-2026-00042",
                "title": "T",
                "application_id": 1,
                "cohort": "C",
                "programme": "P",
            },
        ),
        (
            NotificationKind.APPLICATION_WITHDRAWN,
            {
                "reference": "SBX-2026-00042",
                "title": "T",
                "application_id": 1,
                "cohort": "C",
                "programme": "P",
            },
        ),
        (
            NotificationKind.ORGANISATION_INVITATION,
            {"organisation": "Steppe LLP", "inviter": "Aigerim", "token": "abc"},
        ),
    ],
)
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_every_email_renders_in_every_language(kind, context, language):
    notification = queue_notification(
        kind=kind, email="someone@example.kz", context=context, language=language
    )

    assert send_notification(notification_id=notification.pk) is True
    message = mail.outbox[-1]
    assert message.subject.startswith("[Sandbox Portal] ")
    assert "http://" in message.body
    assert Notification.objects.get(pk=notification.pk).language == language
