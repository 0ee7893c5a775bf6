"""The outbox: a notification is a row written with its cause, then sent after commit.

A row is PENDING until a worker claims it (SENDING) with a conditional update, so a redelivered
task never sends twice. A failed send goes back to PENDING with a later `next_attempt_at`, up to
NOTIFICATION_MAX_ATTEMPTS, then FAILED. The sweeper (services/outbox.py) queues again what is left
behind. Rows the recipient wants in the daily digest wait as DIGEST; rows they want only in the
portal are SKIPPED.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerError

from applications.enums import NotificationDelivery, NotificationKind, NotificationState
from applications.models import Notification
from applications.notification_kinds import link_for, spec_for
from portal.accounts.models import NotificationPreference, User

logger = logging.getLogger(__name__)

_STATE_FOR_DELIVERY = {
    NotificationDelivery.IMMEDIATE: NotificationState.PENDING,
    NotificationDelivery.DIGEST: NotificationState.DIGEST,
    NotificationDelivery.OFF: NotificationState.SKIPPED,
}


def queue_notification(
    *,
    kind: NotificationKind,
    recipient=None,
    email: str | None = None,
    application=None,
    context: dict | None = None,
    language: str | None = None,
    link: str | None = None,
) -> Notification:
    """Write one outbox row in the current transaction and send it once that commits."""
    if recipient is None and not email:
        raise ValueError("A notification needs a recipient or an email address.")
    context = context or {}
    delivery = delivery_for(recipient, kind)
    notification = Notification.objects.create(
        recipient=recipient,
        recipient_email=email or recipient.email,
        kind=kind,
        language=language
        or (recipient.preferred_language if recipient else "")
        or settings.LANGUAGE_CODE,
        application=application,
        context=context,
        delivery=delivery,
        state=_STATE_FOR_DELIVERY[delivery],
        link=link if link is not None else link_for(kind, context, application),
        next_attempt_at=timezone.now()
        + timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE_SECONDS),
    )
    if (
        recipient is not None and kind != NotificationKind.DAILY_DIGEST
    ):  # the centre lists what it carries
        User.objects.filter(pk=recipient.pk).update(
            unread_notifications=F("unread_notifications") + 1
        )
    if delivery == NotificationDelivery.IMMEDIATE:
        transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


def notify_members(*, application, kind: NotificationKind, context: dict) -> None:
    """One notification to every active member of the application's organisation."""
    for member in application.organisation.members.filter(is_active=True).order_by("pk"):
        queue_notification(kind=kind, recipient=member, application=application, context=context)


def delivery_for(recipient, kind: str) -> str:
    """Legally required kinds and people without an account: at once; others as they chose."""
    spec = spec_for(kind)
    if spec.legally_required or recipient is None:
        return NotificationDelivery.IMMEDIATE
    chosen = (
        NotificationPreference.objects.filter(user=recipient, category=spec.category)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or NotificationDelivery.IMMEDIATE


def enqueue(notification_id: int) -> bool:
    """Hand one row to the broker. With the broker down the row stays PENDING for the sweeper."""
    from applications.tasks import send_notification_task

    try:
        send_notification_task.delay(notification_id=notification_id)
    except BrokerError as error:
        logger.warning(
            "Broker unavailable, notification %s left for the sweeper: %s", notification_id, error
        )
        return False
    return True


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt after `attempts` failed ones: doubling, capped."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    return min(base * 2 ** max(attempts - 1, 0), settings.NOTIFICATION_RETRY_MAX_SECONDS)


def send_notification(*, notification_id: int) -> bool:
    """Send one outbox row at most once. Returns whether this call sent it."""
    claimed = Notification.objects.filter(
        pk=notification_id, state=NotificationState.PENDING
    ).update(state=NotificationState.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now())
    if not claimed:
        return False  # already sent, given up, or another worker holds it
    notification = Notification.objects.select_related("application").get(pk=notification_id)
    try:
        deliver(notification)
    except (
        OSError
    ) as error:  # SMTP and network failures: try again later, a bounded number of times
        _record_failure(
            notification, error, retry=notification.attempts < settings.NOTIFICATION_MAX_ATTEMPTS
        )
        raise
    except (
        Exception
    ) as error:  # a broken template or context: retrying cannot help; shown to admins
        _record_failure(notification, error, retry=False)
        raise
    Notification.objects.filter(pk=notification_id, state=NotificationState.SENDING).update(
        state=NotificationState.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def _record_failure(notification: Notification, error: Exception, *, retry: bool) -> None:
    message = f"{type(error).__name__}: {error}"[:2000]
    if retry:
        later = timezone.now() + timedelta(seconds=retry_delay(notification.attempts))
        changes = {"state": NotificationState.PENDING, "next_attempt_at": later}
    else:
        changes = {"state": NotificationState.FAILED}
    Notification.objects.filter(pk=notification.pk, state=NotificationState.SENDING).update(
        last_error=message, claimed_at=None, **changes
    )
    logger.warning(
        "Sending notification %s failed (attempt %s): %s",
        notification.pk,
        notification.attempts,
        message,
    )


def render(notification: Notification) -> tuple[str, str, str]:
    """Subject, plain text and HTML of one notification, in its language."""
    context = {
        **notification.context,
        "site_url": settings.SITE_URL,
        "link_url": settings.SITE_URL + notification.link,
        "notification": notification,
    }
    base = f"email/{notification.kind}"
    with translation.override(notification.language):
        subject = render_to_string(f"{base}.subject.txt", context).strip()
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    return subject, text, html


def render_subject(notification: Notification) -> str:
    context = {**notification.context, "site_url": settings.SITE_URL, "notification": notification}
    with translation.override(notification.language):
        return render_to_string(f"email/{notification.kind}.subject.txt", context).strip()


def deliver(notification: Notification) -> None:
    subject, text, html = render(notification)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        to=[notification.recipient_email],
        headers={"X-Portal-Notification": str(notification.pk)},
    )
    message.attach_alternative(html, "text/html")
    message.send()
