"""The reminder engine: every source's reminders, each sent once however often the beat runs."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from applications import reminders
from applications.models import ReminderLog
from applications.services.notifications import queue_notification


def send_due_reminders(*, today: date | None = None, sources=None) -> int:
    """Returns how many reminders were sent now (those sent by an earlier run are skipped)."""
    today = today or timezone.localdate()
    sent = 0
    for source in reminders.SOURCES if sources is None else sources:
        for reminder in source(today):
            sent += _send_once(reminder)
    return sent


def _send_once(reminder: reminders.Reminder) -> bool:
    try:
        with transaction.atomic():
            log = ReminderLog.objects.create(
                kind=reminder.kind,
                subject=reminder.subject,
                recipient=reminder.recipient,
                due_date=reminder.due_date,
            )
            log.notification = queue_notification(
                kind=reminder.kind,
                recipient=reminder.recipient,
                application=reminder.application,
                context=reminder.context,
            )
            log.save(update_fields=["notification"])
    except IntegrityError:
        return False  # sent by an earlier run (or a concurrent one) for this due date
    return True
