"""Every periodic task, in one place (used as CELERY_BEAT_SCHEDULE). Add entries; keep it flat."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Fail closed: versions the scanner could not check stay PENDING and are tried again here.
    "requeue-pending-document-scans": {
        "task": "applications.requeue_pending_scans",
        "schedule": 60.0,
    },
    # Stored files against the SHA-256 recorded at upload; mismatches and missing files logged.
    "verify-stored-documents": {
        "task": "applications.verify_documents",
        "schedule": crontab(hour=3, minute=30),
    },
}
