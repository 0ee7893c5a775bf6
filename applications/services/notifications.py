"""The outbox: a notification is a row written with its cause, then sent after commit."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from applications.enums import NotificationKind, NotificationState
from applications.models import Notification

logger = logging.getLogger(__name__)


def queue_notification(
    *,
    kind: NotificationKind,
    recipient=None,
    email: str | None = None,
    application=None,
    context: dict | None = None,
    language: str | None = None,
) -> Notification:
    """Write one outbox row in the current transaction and send it once that commits."""
    from applications.tasks import send_notification_task

    if recipient is None and not email:
        raise ValueError("A notification needs a recipient or an email address.")
    notification = Notification.objects.create(
        recipient=recipient,
        recipient_email=email or recipient.email,
        kind=kind,
        language=language
        or (recipient.preferred_language if recipient else "")
        or settings.LANGUAGE_CODE,
        application=application,
        context=context or {},
    )
    transaction.on_commit(lambda: send_notification_task.delay(notification_id=notification.pk))
    return notification


def send_notification(*, notification_id: int) -> bool:
    """Send one outbox row at most once. Returns whether this call sent it."""
    claimed = Notification.objects.filter(
        pk=notification_id, state=NotificationState.PENDING
    ).update(state=NotificationState.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return False  # already sent, or another worker holds it
    notification = Notification.objects.select_related("application").get(pk=notification_id)
    try:
        _deliver(notification)
    except OSError as error:  # SMTP and network failures; the row goes back to the queue
        Notification.objects.filter(pk=notification_id).update(
            state=NotificationState.PENDING, last_error=str(error)[:2000]
        )
        logger.warning("Sending notification %s failed: %s", notification_id, error)
        raise
    Notification.objects.filter(pk=notification_id).update(
        state=NotificationState.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def _deliver(notification: Notification) -> None:
    context = {**notification.context, "site_url": settings.SITE_URL, "notification": notification}
    base = f"email/{notification.kind}"
    with translation.override(notification.language):
        subject = render_to_string(f"{base}.subject.txt", context).strip()
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        to=[notification.recipient_email],
    )
    message.attach_alternative(html, "text/html")
    message.send()
