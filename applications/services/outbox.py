"""Keeping the outbox moving: the sweeper, an admin's retry, and the daily digest."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import EventKind, NotificationKind, NotificationState
from applications.exceptions import WorkflowError
from applications.models import Notification, ReminderLog
from applications.services.audit import record_event
from applications.services.notifications import enqueue, queue_notification, render_subject
from portal.accounts.models import User

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500


def sweep_outbox(*, now=None) -> dict[str, int]:
    """Take back rows whose worker died while sending, then queue again every pending row whose
    time has come (never handed to the broker, lost by it, or waiting for a retry)."""
    now = now or timezone.now()
    lease_expired = now - timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    stale = Notification.objects.filter(
        state=NotificationState.SENDING, claimed_at__lt=lease_expired
    )
    reason = "The worker stopped while sending."
    failed = stale.filter(attempts__gte=settings.NOTIFICATION_MAX_ATTEMPTS).update(
        state=NotificationState.FAILED, claimed_at=None, last_error=reason
    )
    reclaimed = stale.update(
        state=NotificationState.PENDING, claimed_at=None, next_attempt_at=now, last_error=reason
    )

    grace = timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE_SECONDS)
    due = Notification.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lte=now - grace),
        state=NotificationState.PENDING,
    )
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:SWEEP_BATCH])
    # Pushed forward first, so the next sweep does not queue them again while these are on their way.
    Notification.objects.filter(pk__in=ids, state=NotificationState.PENDING).update(
        next_attempt_at=now + grace
    )
    requeued = 0
    for notification_id in ids:
        if not enqueue(notification_id):
            break  # the broker is down: the rest wait for the next sweep
        requeued += 1
    return {"requeued": requeued, "reclaimed": reclaimed, "failed": failed}


def needs_attention(*, now=None):
    """Rows an admin should look at: given up, retrying, or stuck past the sweeper's reach."""
    now = now or timezone.now()
    lease_expired = now - timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    overdue = now - timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE_SECONDS)
    return Notification.objects.filter(
        Q(state=NotificationState.FAILED)
        | Q(state=NotificationState.PENDING, attempts__gt=0)
        | Q(state=NotificationState.PENDING, created_at__lte=overdue)
        | Q(state=NotificationState.SENDING, claimed_at__lt=lease_expired)
    )


def retry_notification(*, actor: User, notification_id: int) -> Notification:
    """An admin sends a failed or stuck notification again, with a fresh set of attempts."""
    if not actor.has_perm("applications.retry_notification"):
        raise WorkflowError(_("Only programme admins may send notifications again."))
    with transaction.atomic():
        notification = needs_attention().select_for_update().filter(pk=notification_id).first()
        if notification is None:
            raise WorkflowError(
                _("This notification has been sent or is being sent; there is nothing to retry.")
            )
        previous = notification.state
        notification.state = NotificationState.PENDING
        notification.attempts = 0
        notification.claimed_at = None
        notification.next_attempt_at = timezone.now() + timedelta(
            seconds=settings.NOTIFICATION_SWEEP_GRACE_SECONDS
        )
        notification.save(update_fields=["state", "attempts", "claimed_at", "next_attempt_at"])
        record_event(
            kind=EventKind.NOTIFICATION_RETRIED,
            actor=actor,
            application=notification.application,
            subject=notification.recipient_email,
            data={
                "notification": notification.pk,
                "kind": notification.kind,
                "previous_state": previous,
            },
        )
        transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


def send_daily_digests(*, now=None) -> int:
    """One email per person gathering what they chose to receive daily; at most one a day."""
    now = now or timezone.now()
    user_ids = (
        Notification.objects.filter(state=NotificationState.DIGEST, recipient__isnull=False)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return sum(
        _send_digest(user_id=user_id, today=timezone.localdate(now), now=now)
        for user_id in list(user_ids)
    )


def _send_digest(*, user_id: int, today, now) -> bool:
    with transaction.atomic():
        user = User.objects.get(pk=user_id)
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient_id=user_id, state=NotificationState.DIGEST)
            .order_by("created_at", "pk")
        )
        if not rows:
            return False
        try:
            with transaction.atomic():
                log = ReminderLog.objects.create(
                    kind=NotificationKind.DAILY_DIGEST,
                    subject=f"user:{user_id}",
                    recipient=user,
                    due_date=today,
                )
        except IntegrityError:
            return False  # today's digest has gone out; these wait for tomorrow's
        language = user.preferred_language or settings.LANGUAGE_CODE
        items = [
            {"subject": render_subject(_in(row, language)), "link": settings.SITE_URL + row.link}
            for row in rows
        ]
        digest = queue_notification(
            kind=NotificationKind.DAILY_DIGEST,
            recipient=user,
            language=language,
            context={"items": items},
        )
        log.notification = digest
        log.save(update_fields=["notification"])
        # The digest itself is new in the centre; what it carries was counted when written.
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            state=NotificationState.SENT, sent_at=now, digest=digest
        )
    return True


def _in(notification: Notification, language: str) -> Notification:
    notification.language = language
    return notification
