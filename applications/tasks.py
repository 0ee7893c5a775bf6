"""Thin Celery tasks: fetch ids, call one service."""

from celery import shared_task

from applications.services import integrity, notifications, scans


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
    # A scanner that is down leaves the version PENDING; requeue_pending_scans_task retries it.
    return scans.scan_version(version_id=version_id)


@shared_task(name="applications.requeue_pending_scans", acks_late=True)
def requeue_pending_scans_task() -> int:
    """Periodic (portal/beat.py): queue a scan for every version still waiting for one."""
    ids = scans.pending_version_ids()
    for version_id in ids:
        scan_document_version_task.delay(version_id=version_id)
    return len(ids)


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
