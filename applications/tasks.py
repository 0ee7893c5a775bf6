"""Thin Celery tasks: fetch ids, call one service."""

from celery import shared_task

from applications.services import documents, notifications


@shared_task(
    name="applications.send_notification",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
)
def send_notification_task(*, notification_id: int) -> bool:
    return notifications.send_notification(notification_id=notification_id)


@shared_task(name="applications.scan_document_version", acks_late=True, max_retries=5)
def scan_document_version_task(*, version_id: int) -> str:
    return documents.scan_version(version_id=version_id)


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
