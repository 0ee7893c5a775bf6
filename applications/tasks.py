"""Thin Celery tasks: fetch ids, call one service.

Every task here is idempotent through database state (the outbox row's state, the reminder log),
so it is acknowledged late and given back to the queue if its worker dies (settings: acks_late,
reject_on_worker_lost).
"""

from celery import shared_task
from django.conf import settings

from applications.services import integrity, notifications, outbox, reminders, scans


@shared_task(
    bind=True,
    name="applications.send_notification",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
)
def send_notification_task(self, *, notification_id: int) -> bool:
    try:
        return notifications.send_notification(notification_id=notification_id)
    except OSError as error:
        if self.request.is_eager:  # inline, in a request: the sweeper tries again later
            raise
        raise self.retry(
            exc=error,
            countdown=notifications.retry_delay(self.request.retries + 1),
            max_retries=settings.NOTIFICATION_MAX_ATTEMPTS,
        ) from error


@shared_task(
    name="applications.sweep_outbox", acks_late=True, reject_on_worker_lost=True, time_limit=120
)
def sweep_outbox_task() -> dict[str, int]:
    return outbox.sweep_outbox()


@shared_task(
    name="applications.send_daily_digests",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=600,
)
def send_daily_digests_task() -> int:
    return outbox.send_daily_digests()


@shared_task(
    name="applications.send_due_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=600,
)
def send_due_reminders_task() -> int:
    return reminders.send_due_reminders()


@shared_task(name="applications.scan_document_version", acks_late=True, max_retries=5)
def scan_document_version_task(*, version_id: int) -> str:
    # A scanner that is down leaves the version PENDING; requeue_pending_scans_task retries it.
    return scans.scan_version(version_id=version_id)


@shared_task(name="applications.scan_report_attachment", acks_late=True, max_retries=5)
def scan_report_attachment_task(*, attachment_id: int) -> str:
    return scans.scan_attachment(attachment_id=attachment_id)


@shared_task(name="applications.requeue_pending_scans", acks_late=True)
def requeue_pending_scans_task() -> int:
    """Periodic (portal/beat.py): queue a scan for every version (and report attachment) still
    waiting for one."""
    ids = scans.pending_version_ids()
    for version_id in ids:
        scan_document_version_task.delay(version_id=version_id)
    attachment_ids = scans.pending_attachment_ids()
    for attachment_id in attachment_ids:
        scan_report_attachment_task.delay(attachment_id=attachment_id)
    return len(ids) + len(attachment_ids)


@shared_task(
    name="applications.verify_documents",
    acks_late=True,
    time_limit=6 * 3600,
    soft_time_limit=6 * 3600 - 60,
)
def verify_documents_task() -> dict:
    """Periodic (portal/beat.py): re-hash the stored files; problems are logged and audited."""
    report = integrity.verify_stored_versions()
    return {
        "checked": report.checked,
        "missing": [version.pk for version in report.missing],
        "mismatched": [version.pk for version in report.mismatched],
    }


@shared_task(
    name="applications.record_cohort_schedule",
    acks_late=True,
    max_retries=3,
    time_limit=120,
    soft_time_limit=100,
)
def record_cohort_schedule_task() -> dict:
    """Periodic (portal/beat.py): record cohorts that opened or closed on schedule."""
    from applications.services.cohorts import record_cohort_schedule

    return record_cohort_schedule()


@shared_task(
    name="applications.start_exits_at_test_end",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=600,
    soft_time_limit=540,
)
def start_exits_at_test_end_task() -> list[int]:
    """Periodic (portal/beat.py): tests past their last day move to EXITING, once each."""
    from applications.services.participations import start_exits_at_test_end

    return start_exits_at_test_end()


@shared_task(
    name="applications.refresh_dashboard_snapshot",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=300,
    soft_time_limit=240,
)
def refresh_dashboard_snapshot_task(*, scope_key: str) -> int:
    """Recompute one scope's dashboard figures (queries/dashboard/snapshots.py), queued by a page
    that found them older than DASHBOARD_MAX_AGE_SECONDS. Idempotent: it only replaces older
    figures. Returns how long computing took, in milliseconds."""
    from applications.queries.dashboard import Scope
    from applications.queries.dashboard.snapshots import refresh

    return refresh(Scope.from_key(scope_key)).duration_ms
