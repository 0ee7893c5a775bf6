"""Every periodic task of the portal, in one place (used as CELERY_BEAT_SCHEDULE).

Add an entry per job; keep it a plain dict so entries from different changes merge side by side.
"""

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
    # Queues again notifications the broker never got or a dead worker left behind.
    "sweep-outbox": {"task": "applications.sweep_outbox", "schedule": 60.0},
    # Lets /healthz tell whether a worker is taking tasks off the queue.
    "worker-heartbeat": {"task": "portal.worker_heartbeat", "schedule": 30.0},
    # Reminders and missed deadlines; sent once per due date however often this runs.
    "send-due-reminders": {
        "task": "applications.send_due_reminders",
        "schedule": crontab(minute=15),
    },
    # One email a day for those who chose the daily digest (CELERY_TIMEZONE: Asia/Almaty).
    "send-daily-digests": {
        "task": "applications.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Cohorts open and close by their window; this records each moment once and tells the panel.
    "record-cohort-schedule": {
        "task": "applications.record_cohort_schedule",
        "schedule": crontab(minute="*/5"),
    },
    # Tests past their last day (extensions included) start their exit and the final report
    # falls due; hourly so a missed run catches up, and a test is moved once however often.
    "start-exits-at-test-end": {
        "task": "applications.start_exits_at_test_end",
        "schedule": crontab(minute=20),
    },
}
